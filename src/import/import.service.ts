/**
 * Imports everything a person names — archives, folders, CSV files, URLs — one
 * file at a time, each file in its own transaction, and reports what happened.
 */
import type { Store } from '../store/store.ts';
import { importCsvStream, type FileReport } from './csv-file.service.ts';
import { LocationCache } from './dataset-writer.ts';
import { SourceError, csvSources } from './sources.ts';

export interface ImportReport {
  files: FileReport[];
  /** Inputs that could not be read at all (missing path, broken archive, failed download). */
  sourceErrors: string[];
  rowsImported: number;
  rowsRejected: number;
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
export async function importSources(store: Store, inputs: string[], listener: ImportListener = {}): Promise<ImportReport> {
  const report: ImportReport = { files: [], sourceErrors: [], rowsImported: 0, rowsRejected: 0 };
  const cache = new LocationCache();
  for (const input of inputs) {
    try {
      for await (const source of csvSources(input)) {
        listener.onFileStart?.(source.name, source.size);
        let file: FileReport;
        try {
          const stream = await source.open();
          file = await importCsvStream(store, source.name, stream, { cache, onBytes: listener.onBytes });
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
  return report;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
