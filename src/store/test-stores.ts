/**
 * Runs a store test suite on every store: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set. Each PostgreSQL suite works in a schema of its own,
 * so test files can run side by side against one database.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openStore, type Store } from './store.ts';

export interface StoreFactory {
  name: 'sqlite' | 'postgres';
  open(): Promise<{ store: Store; dispose(): Promise<void> }>;
}

export function storeFactories(): StoreFactory[] {
  const factories: StoreFactory[] = [
    {
      name: 'sqlite',
      async open() {
        const store = await openStore('sqlite::memory:');
        return { store, dispose: () => store.close() };
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    factories.push({
      name: 'postgres',
      async open() {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const store = await openStore(url, { schema });
        return {
          store,
          async dispose() {
            await store.close();
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            await client.query(`DROP SCHEMA ${schema} CASCADE`);
            await client.end();
          },
        };
      },
    });
  }
  return factories;
}

/**
 * `describe` once per store; `getStore()` gives that suite's open store.
 * @example
 * describeEachStore('crime repository', (getStore) => {
 *   it('finds nothing in an empty store', async () => { … getStore().db … });
 * });
 */
export function describeEachStore(title: string, body: (getStore: () => Store) => void): void {
  if (!process.env.TEST_DATABASE_URL) {
    // Said once per file so a run on a laptop makes clear what it did not cover.
    console.log(`# ${title}: PostgreSQL skipped (TEST_DATABASE_URL not set)`);
  }
  for (const factory of storeFactories()) {
    describe(`${title} [${factory.name}]`, () => {
      let opened: Awaited<ReturnType<StoreFactory['open']>> | undefined;
      before(async () => {
        opened = await factory.open();
      });
      after(async () => {
        await opened?.dispose();
      });
      body(() => {
        if (!opened) throw new Error('store not open yet');
        return opened.store;
      });
    });
  }
}
