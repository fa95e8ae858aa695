/**
 * Fetches from a second instance of our own server, so the fetcher is tested
 * against exactly the API it claims to copy: after a fetch, store B must answer
 * every force and neighbourhood route with the same bytes as store A.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { FIXTURE_FORCES, FIXTURE_NEIGHBOURHOODS, seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import { saveForce, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import pg from 'pg';
import { openStore, type Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { FetchError, fetchFromApi, formatSummary, type FetchOptions } from './fetch.service.ts';
import { FakeClock } from './test-clock.ts';

const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' });

/** Every route the force and neighbourhood plugins answer for the fixtures, plus misses. */
function routesFor(): string[] {
  const routes = ['/forces', '/forces/btp', '/forces/atlantis', '/atlantis/neighbourhoods'];
  for (const f of FIXTURE_FORCES.filter((f) => f.listed)) {
    routes.push(`/forces/${f.id}`, `/forces/${f.id}/people`, `/${f.id}/neighbourhoods`, `/${f.id}/NOPE`);
  }
  for (const { forceId, data } of FIXTURE_NEIGHBOURHOODS) {
    const base = `/${forceId}/${encodeURIComponent(data.id)}`;
    routes.push(base, `${base}/boundary`, `${base}/people`, `${base}/events`, `${base}/priorities`);
  }
  for (const q of ['52.64,-1.15', '52.64,-1.13', '52.62,-1.13', '50.92,-1.3565432101', '50.92,-1.35', '54.6,-5.92', '0,0', 'junk']) {
    routes.push(`/locate-neighbourhood?q=${q}`);
  }
  return routes;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * An empty store of the same kind as the source. PostgreSQL targets get a
 * database of their own: the store's migrator looks for its bookkeeping tables
 * in every schema, so a second schema in the source's database would be taken
 * as already migrated.
 */
async function openEmptyStore(kind: Store['kind']): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const store = await openStore('sqlite::memory:');
    return { store, dispose: () => store.close() };
  }
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  const name = `fetch_target_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const store = await openStore(target.toString());
  return {
    store,
    async dispose() {
      await store.close();
      await admin(`DROP DATABASE ${name}`);
    },
  };
}

describeEachStore('fetch from a compatible API', (getStore) => {
  let source: FastifyInstance;
  let api: string;
  const opened: Array<{ store: Store; dispose(): Promise<void> }> = [];
  const lines: string[] = [];

  async function freshStore(): Promise<Store> {
    const o = await openEmptyStore(getStore().kind);
    opened.push(o);
    return o.store;
  }
  const options = (extra: Partial<FetchOptions> = {}): FetchOptions => ({ api, forces: [], rate: 1000, log: (l) => lines.push(l), ...extra });

  before(async () => {
    await seedFixtures(getStore().db);
    source = await buildApp(getStore(), config);
    const address = await source.listen({ port: 0, host: '127.0.0.1' });
    api = `${address}/api`;
  });
  after(async () => {
    await source.close();
    for (const o of opened) await o.dispose();
  });

  it('copies every listed force so that both stores answer every route identically', async () => {
    const target = await freshStore();
    // A neighbourhood upstream no longer lists must be gone after a full fetch.
    await saveForce(target.db, FIXTURE_FORCES[0]!);
    await saveNeighbourhood(target.db, 'hampshire', { ...FIXTURE_NEIGHBOURHOODS[1]!.data, id: 'STALE' });

    const summary = await fetchFromApi(target.db, options());
    assert.deepEqual(summary.forces, ['hampshire', 'leicestershire', 'northern-ireland']);
    assert.equal(summary.neighbourhoods, FIXTURE_NEIGHBOURHOODS.length);
    assert.equal(summary.removed, 1);
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.requests, 1 + 3 * 3 + FIXTURE_NEIGHBOURHOODS.length * 5);
    assert.match(formatSummary(summary, 1234), /^Fetched 3 forces and 5 neighbourhoods in 1\.2 s/);
    assert.ok(lines.some((l) => l.includes('hampshire (Hampshire and Isle of Wight Constabulary): 3 neighbourhoods')));

    const copy = await buildApp(target, config);
    try {
      for (const route of routesFor()) {
        const [a, b] = await Promise.all([source.inject(`/api${route}`), copy.inject(`/api${route}`)]);
        assert.equal(b.statusCode, a.statusCode, route);
        assert.equal(b.body, a.body, route);
        assert.equal(b.headers['content-type'], a.headers['content-type'], route);
      }
      // The source only serves upcoming events, so the past ones never reach the copy.
      const events = (await copy.inject('/api/hampshire/SO1/events')).json() as unknown[];
      assert.equal(events.length, 3);
    } finally {
      await copy.close();
    }

    // A second run refreshes in place.
    const again = await fetchFromApi(target.db, options({ forces: ['leicestershire'] }));
    assert.deepEqual(again.forces, ['leicestershire']);
    assert.equal(again.removed, 0);
  });

  it('fetches only the forces asked for, from a comma list already split', async () => {
    const target = await freshStore();
    const summary = await fetchFromApi(target.db, options({ forces: ['northern-ireland'] }));
    assert.deepEqual(summary.forces, ['northern-ireland']);
    const forces = await target.db.selectFrom('forces').select('id').execute();
    assert.deepEqual(forces.map((f) => f.id), ['northern-ireland']);
  });

  it('refuses an unknown force (and btp, which the API does not serve) before writing anything', async () => {
    const target = await freshStore();
    await assert.rejects(fetchFromApi(target.db, options({ forces: ['hampshire', 'atlantis', 'btp'] })), (e: unknown) => {
      assert.ok(e instanceof FetchError);
      assert.match(e.message, /Unknown forces "atlantis", "btp": .* has no such force\. Forces it lists: hampshire, leicestershire, northern-ireland\./);
      return true;
    });
    assert.deepEqual(await target.db.selectFrom('forces').select('id').execute(), []);
  });

  it('says clearly when the API cannot be reached', async () => {
    const target = await freshStore();
    const port = await closedPort();
    await assert.rejects(
      fetchFromApi(target.db, options({ api: `http://127.0.0.1:${port}/api`, clock: new FakeClock(), maxRetries: 2 })),
      /^FetchError: Cannot reach the API at http:\/\/127\.0\.0\.1:\d+\/api \(.*ECONNREFUSED.*\)\. Check --api/,
    );
  });

  it('says clearly when --api is not the API base URL', async () => {
    const target = await freshStore();
    await assert.rejects(fetchFromApi(target.db, options({ api: api.replace(/\/api$/, '') })), /does not look like a data\.police\.uk-compatible API/);
  });
});
