/**
 * Opens the store: SQLite (embedded default, one file) or PostgreSQL (production),
 * behind one Kysely handle. The raw driver handle is exposed too, because bulk
 * import needs each engine's fastest path (prepared statements in one SQLite
 * transaction; multi-row inserts on a dedicated PostgreSQL connection).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import type { StoreKind } from './store-kind.ts';
import { crimeDataMigration } from './migrations/001-crime-data.ts';
import { neighbourhoodsMigration } from './migrations/002-neighbourhoods.ts';
import { postcodesMigration } from './migrations/003-postcodes.ts';
import { auditMigration } from './migrations/004-audit.ts';
import { accountsMigration } from './migrations/005-accounts.ts';
import { staffToolsMigration } from './migrations/006-staff-tools.ts';
import { watchMigration } from './migrations/007-watch.ts';
import { sessionSecondFactorMigration } from './migrations/008-session-second-factor.ts';
import { accessDenialsMigration } from './migrations/009-access-denials.ts';
import { guidesMigration } from './migrations/010-guides.ts';

export type { StoreKind } from './store-kind.ts';

interface StoreBase {
  db: Kysely<Database>;
  url: string;
  close(): Promise<void>;
}
export interface SqliteStore extends StoreBase {
  kind: 'sqlite';
  sqlite: BetterSqlite3.Database;
}
export interface PostgresStore extends StoreBase {
  kind: 'postgres';
  pool: pg.Pool;
}
export type Store = SqliteStore | PostgresStore;

export interface OpenStoreOptions {
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL only: work inside this schema, created if missing (used to isolate test files). */
  schema?: string;
}

// PostgreSQL returns bigint (count(*)) as text by default; counts here fit easily in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

function migrationsFor(kind: StoreKind): Record<string, Migration> {
  return {
    '001-crime-data': crimeDataMigration(kind),
    '002-neighbourhoods': neighbourhoodsMigration(),
    '003-postcodes': postcodesMigration(),
    '004-audit': auditMigration(kind),
    '005-accounts': accountsMigration(kind),
    '006-staff-tools': staffToolsMigration(kind),
    '007-watch': watchMigration(kind),
    '008-session-second-factor': sessionSecondFactorMigration(),
    '009-access-denials': accessDenialsMigration(),
    '010-guides': guidesMigration(kind),
  };
}

/**
 * @param url `sqlite:PATH` (`sqlite::memory:` for a throwaway store) or `postgres://…`.
 * @example const store = await openStore('sqlite:./data/safe-communities.db');
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = url.startsWith('sqlite:') ? openSqlite(url) : await openPostgres(url, options.schema);
  if (options.migrate !== false) await migrate(store, options.schema);
  return store;
}

function openSqlite(url: string): SqliteStore {
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('cache_size = -131072'); // 128 MiB page cache: the hot indexes stay in memory
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    kind: 'sqlite',
    url,
    db,
    sqlite,
    close: async () => {
      await db.destroy();
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<PostgresStore> {
  if (schema !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Invalid schema name ${schema}`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    url,
    db,
    pool,
    close: async () => {
      await db.destroy();
    },
  };
}

/** @param schema PostgreSQL: keep Kysely's bookkeeping tables in this schema, not whichever it finds first. */
export async function migrate(store: Store, schema?: string): Promise<void> {
  const migrations = migrationsFor(store.kind);
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error as unknown)}`, { cause: error });
  }
}
