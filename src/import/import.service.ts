/**
 * Imports everything a person names — archives, folders, CSV files, URLs — one
 * file at a time, each file in its own transaction, and reports what happened.
 */
import type { Store } from '../store/store.ts';
import { importCsvStream, type FileReport } from './csv-file.service.ts';
import { LocationCache } from './dataset-writer.ts';
import { inlineParser, workerParser, type RowParserHost } from './parse-runner.ts';
import { SourceError, csvSources } from './sources.ts';

export interface ImportReport {
  files: FileReport[];
  /** Inputs that could not be read at all (missing path, broken archive, failed download). */
  sourceErrors: string[];
  rowsImported: number;
  rowsRejected: number;
}

export interface ImportOptions {
  /** Parse in a worker thread so parsing overlaps writing (default true). */
  worker?: boolean;
}

export interface ImportListener {
  /** A file is about to be read; size is its uncompressed size in bytes. */
  onFileStart?(name: string, size: number): void;
  onBytes?(bytes: number): void;
  onFileDone?(report: FileReport): void;
}

/**
 * @example
 * const report = await importSources(store, ['../shared/data/police-uk/2025-street.zip']);
 * console.log(report.rowsImported);
 */
export async function importSources(
  store: Store,
  inputs: string[],
  listener: ImportListener = {},
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { files: [], sourceErrors: [], rowsImported: 0, rowsRejected: 0 };
  const cache = new LocationCache();
  const parser = options.worker === false ? inlineParser() : workerParser();
  const restoreCheckpoints = deferCheckpoints(store);
  try {
    await importAll(store, inputs, listener, report, cache, parser);
  } finally {
    await parser.close();
    restoreCheckpoints();
  }
  return report;
}

async function importAll(
  store: Store,
  inputs: string[],
  listener: ImportListener,
  report: ImportReport,
  cache: LocationCache,
  parser: RowParserHost,
): Promise<void> {
  for (const input of inputs) {
    try {
      for await (const source of csvSources(input)) {
        listener.onFileStart?.(source.name, source.size);
        let file: FileReport;
        try {
          const stream = await source.open();
          file = await importCsvStream(store, source.name, stream, { cache, parser, onBytes: listener.onBytes });
        } catch (error) {
          file = { file: source.name, status: 'failed', rows: 0, rejected: 0, rejections: [], error: errorText(error) };
        }
        report.files.push(file);
        report.rowsImported += file.rows;
        report.rowsRejected += file.rejected;
        listener.onFileDone?.(file);
      }
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      report.sourceErrors.push(error.message);
    }
  }
}

/**
 * SQLite checkpoints its write-ahead log every 1000 pages by default, copying
 * hot index pages back again and again during a bulk import. For the run the log
 * may grow to WAL_PAGES and is checkpointed once at the end.
 */
const WAL_PAGES = 262_144;

function deferCheckpoints(store: Store): () => void {
  if (store.kind !== 'sqlite' || store.sqlite.memory) return () => undefined;
  const db = store.sqlite;
  const before = db.pragma('wal_autocheckpoint', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${WAL_PAGES}`);
  return () => {
    db.pragma(`wal_autocheckpoint = ${before}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
