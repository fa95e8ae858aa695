/**
 * Imports the generated set into a fresh store with the project's own importer
 * (importSources, parse worker on), timing street and outcomes files apart.
 */
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import pg from 'pg';
import { importSources } from '../src/import/import.service.ts';
import { openStore, type Store } from '../src/store/store.ts';
import type { DataSet } from './generate.ts';
import { round } from './stats.ts';

export interface ImportFigure {
  rows: number;
  rejected: number;
  failedFiles: string[];
  seconds: number;
  rowsPerSecond: number;
  street: { rows: number; seconds: number; rowsPerSecond: number };
  outcomes: { rows: number; seconds: number; rowsPerSecond: number };
  /** Checkpoint of the SQLite write-ahead log and anything else after the last file. */
  finishSeconds: number;
}

export const PG_SCHEMA = 'bench_national';

/** A fresh store: the SQLite file deleted, or the PostgreSQL bench schema dropped. */
export async function openFreshStore(kind: 'sqlite' | 'postgres', sqlitePath: string, postgresUrl?: string): Promise<Store> {
  if (kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) await rm(sqlitePath + suffix, { force: true });
    return openStore(`sqlite:${sqlitePath}`);
  }
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
  } finally {
    await admin.end();
  }
  return openStore(postgresUrl, { schema: PG_SCHEMA });
}

export async function importDataSet(store: Store, set: DataSet, log: (line: string) => void): Promise<ImportFigure> {
  const perKind = { street: { rows: 0, ms: 0 }, outcomes: { rows: 0, ms: 0 } };
  let fileStarted = 0;
  let lastDone = 0;
  let files = 0;
  const started = performance.now();
  const report = await importSources(store, [set.dir], {
    onFileStart() {
      fileStarted = performance.now();
    },
    onFileDone(file) {
      lastDone = performance.now();
      const kind = file.kind === 'outcomes' ? 'outcomes' : 'street';
      perKind[kind].rows += file.rows;
      perKind[kind].ms += lastDone - fileStarted;
      files += 1;
      if (files % 50 === 0) log(`  imported ${files}/${set.files.length} files, ${Math.round((lastDone - started) / 1000)} s`);
    },
  });
  const total = (performance.now() - started) / 1000;
  const kindFigure = (k: { rows: number; ms: number }) => ({ rows: k.rows, seconds: round(k.ms / 1000, 3), rowsPerSecond: Math.round(k.rows / (k.ms / 1000)) });
  return {
    rows: report.rowsImported,
    rejected: report.rowsRejected,
    failedFiles: [...report.sourceErrors, ...report.files.filter((f) => f.status !== 'imported').map((f) => `${f.file}: ${f.error ?? f.status}`)],
    seconds: round(total, 3),
    rowsPerSecond: Math.round(report.rowsImported / total),
    street: kindFigure(perKind.street),
    outcomes: kindFigure(perKind.outcomes),
    finishSeconds: round((performance.now() - lastDone) / 1000, 3),
  };
}

export function sqliteBytes(path: string): number {
  return ['', '-wal'].reduce((s, suffix) => s + (existsSync(path + suffix) ? statSync(path + suffix).size : 0), 0);
}
