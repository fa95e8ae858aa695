/**
 * The benchmark's parameters and paths. Every size comes from an environment
 * variable so a quick run can scale the national data set down; the defaults
 * give the full national scale (about 5 million crimes over 12 months).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const PROJECT_DIR = resolve(BENCH_DIR, '..');
export const OUT_DIR = join(BENCH_DIR, 'out');
/** The real published files: read in place, never copied into the project. */
export const SHARED_DATA_DIR = resolve(PROJECT_DIR, '../shared/data/police-uk');
export const SEED_ARCHIVE = join(SHARED_DATA_DIR, '2025-street.zip');

export interface BenchParams {
  /** Copies of the real forces, each a synthetic force `bench-NN` placed elsewhere in Great Britain. */
  copies: number;
  /** Months generated, counted from 2025-01 (the seed archive holds 12). */
  months: number;
  /** Share of crimes with a Crime ID that get 1–3 outcome rows in later months. */
  outcomeShare: number;
  /** Concurrent clients for the requests/s figure, and its bounds. */
  concurrency: number;
  throughputMs: number;
  throughputMaxRequests: number;
  /** Query points for the 1-mile query (mostly real crime locations). */
  pointQueries: number;
  polygonQueries: number;
  outcomeQueries: number;
  /** Reuse bench/out/bench.db instead of importing again (for profiling the HTTP part). */
  reuseDatabase: boolean;
  /** PostgreSQL URL (TEST_DATABASE_URL), or undefined to skip PostgreSQL. */
  postgresUrl: string | undefined;
}

function intEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name}=${raw}: must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function readParams(): BenchParams {
  const share = intEnv('BENCH_OUTCOME_PERCENT', 55, 0, 100);
  return {
    // 19 copies × ~24k real rows a month ≈ 450k crimes a month, one month of England and Wales.
    copies: intEnv('BENCH_COPIES', 19, 1, 99),
    months: intEnv('BENCH_MONTHS', 12, 1, 12),
    outcomeShare: share / 100,
    concurrency: intEnv('BENCH_CONCURRENCY', 4, 1, 64),
    throughputMs: intEnv('BENCH_THROUGHPUT_MS', 5000, 100, 60_000),
    throughputMaxRequests: intEnv('BENCH_THROUGHPUT_MAX_REQUESTS', 20_000, 10, 1_000_000),
    pointQueries: intEnv('BENCH_POINT_QUERIES', 300, 10, 5000),
    polygonQueries: intEnv('BENCH_POLYGON_QUERIES', 100, 5, 5000),
    outcomeQueries: intEnv('BENCH_OUTCOME_QUERIES', 300, 5, 5000),
    reuseDatabase: ['1', 'true', 'yes'].includes((process.env.BENCH_REUSE_DB ?? '').toLowerCase()),
    postgresUrl: process.env.TEST_DATABASE_URL?.trim() || undefined,
  };
}

/** Stops the run with a message that says what to do when the real files are absent. */
export function requireSeedArchive(): string {
  if (!existsSync(SEED_ARCHIVE)) {
    throw new Error(
      `The benchmark needs the real data.police.uk files in ${SHARED_DATA_DIR} (2025-street.zip), ` +
        'read in place from ../shared/data/police-uk/ beside the project. They are absent: ' +
        'put the shared data folder there (CI has it) and run npm run bench again.',
    );
  }
  return SEED_ARCHIVE;
}
