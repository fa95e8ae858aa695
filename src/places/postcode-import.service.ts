/**
 * Imports a postcode directory from a CSV stream as one transaction: each live
 * postcode is inserted or replaced, terminated ones and ones without
 * coordinates are removed, bad rows are listed by line and skipped, and a file
 * that cannot be read to its end leaves the store as it was.
 *
 * Postcodes the file does not mention are kept, so the ONSPD's per-area files
 * can be imported one after another; the full directory lists terminated
 * postcodes too, so importing a newer one still removes them.
 */
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { parse, type Info } from 'csv-parse';
import type { Store } from '../store/store.ts';
import { columnsFromHeader, convertRow, type ColumnMap, type PostcodeFormat } from './postcode-formats.ts';
import { WRITE_BATCH, deletePostcodes, upsertPostcodes, type PostcodeRow } from './postcodes.repository.ts';

/** Rejected rows listed one by one in a report; the rest are only counted. */
export const MAX_LISTED_REJECTIONS = 100;

export interface PostcodeRejection {
  line: number;
  reason: string;
}

export interface PostcodeImportReport {
  file: string;
  /** imported: committed. rejected: header not recognised, nothing written. failed: rolled back. */
  status: 'imported' | 'rejected' | 'failed';
  format?: PostcodeFormat;
  /** Live postcodes inserted or replaced. */
  stored: number;
  /** Terminated postcodes skipped (and removed if the store had them). */
  terminated: number;
  /** Postcodes without coordinates skipped (and removed if the store had them). */
  withoutCoordinates: number;
  rejected: number;
  /** The first MAX_LISTED_REJECTIONS bad rows. */
  rejections: PostcodeRejection[];
  error?: string;
}

export interface PostcodeImportOptions {
  /** Called every 100,000 data rows with the number read so far. */
  onProgress?: (rows: number) => void;
}

const PROGRESS_EVERY = 100_000;

class HeaderRefused extends Error {}

/** Reads and imports a postcode CSV file. See importPostcodes. */
export async function importPostcodeFile(store: Store, path: string, options: PostcodeImportOptions = {}): Promise<PostcodeImportReport> {
  return importPostcodes(store, createReadStream(path), path, options);
}

/**
 * Imports a postcode CSV (ONS Postcode Directory, or postcode/latitude/longitude
 * columns) from a stream; `name` labels the report. Never throws for a bad
 * file: the report says what happened.
 */
export async function importPostcodes(store: Store, input: Readable, name: string, options: PostcodeImportOptions = {}): Promise<PostcodeImportReport> {
  const report: PostcodeImportReport = { file: name, status: 'failed', stored: 0, terminated: 0, withoutCoordinates: 0, rejected: 0, rejections: [] };
  const reject = (line: number, reason: string) => {
    report.rejected++;
    if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push({ line, reason });
  };
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
    on_skip: (error) => {
      reject(lineOf(error), `not readable as CSV: ${error?.message ?? 'unknown error'}`);
      return undefined;
    },
  });
  // pipeline, not pipe: a read error must reach the parser, or the import would
  // commit what it had read as if the file had ended there.
  const records = pipeline(input, parser, () => undefined) as AsyncIterable<{ record: string[]; info: Info }>;

  try {
    await store.db.transaction().execute(async (trx) => {
      let columns: ColumnMap | undefined;
      // Last word per postcode wins, and a postcode is never both upserted and deleted in one flush.
      const live = new Map<string, PostcodeRow>();
      const gone = new Set<string>();
      const flush = async () => {
        await upsertPostcodes(trx, [...live.values()]);
        await deletePostcodes(trx, [...gone]);
        live.clear();
        gone.clear();
      };
      let rows = 0;
      for await (const { record, info } of records) {
        if (!columns) {
          const header = columnsFromHeader(record);
          if (!header.ok) throw new HeaderRefused(header.reason);
          columns = header.columns;
          report.format = columns.format;
          continue;
        }
        rows++;
        if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
        const result = convertRow(record, columns);
        switch (result.kind) {
          case 'bad':
            reject(info.lines, result.reason);
            break;
          case 'live':
            gone.delete(result.row.postcode);
            live.set(result.row.postcode, result.row);
            report.stored++;
            break;
          case 'terminated':
          case 'no-coordinates':
            live.delete(result.postcode);
            gone.add(result.postcode);
            if (result.kind === 'terminated') report.terminated++;
            else report.withoutCoordinates++;
            break;
        }
        if (live.size >= WRITE_BATCH || gone.size >= WRITE_BATCH) await flush();
      }
      if (!columns) throw new HeaderRefused('the file is empty: expected a header line and postcode rows');
      await flush();
    });
    report.status = 'imported';
  } catch (error) {
    // The transaction has rolled back; nothing of this file is in the store.
    input.destroy();
    report.status = error instanceof HeaderRefused ? 'rejected' : 'failed';
    report.error = `${name}: ${error instanceof Error ? error.message : String(error)}`;
    if (report.status === 'failed') report.error += ' (nothing was imported: the store is as it was before)';
    report.stored = 0;
  }
  // CSV syntax errors are reported by the parser ahead of the rows around them.
  report.rejections.sort((a, b) => a.line - b.line);
  return report;
}

function lineOf(error: unknown): number {
  const lines = typeof error === 'object' && error !== null && 'lines' in error ? error.lines : undefined;
  return typeof lines === 'number' ? lines : 0;
}
