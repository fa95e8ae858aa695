/**
 * Imports one data.police.uk CSV file from a stream: checks its name and header,
 * converts each row, skips and reports the bad ones, and commits the good ones
 * as one transaction, or nothing at all if the file cannot be read to its end.
 */
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { DatasetKind, Month } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import {
  RowError,
  kindOfHeader,
  parseOutcomeRow,
  parseStopRow,
  parseStreetRow,
  type StopRow,
} from './csv-formats.ts';
import { beginDataset, type DatasetRow, type DatasetWriter, type LocationCache } from './dataset-writer.ts';

/** How many rejected rows are listed one by one; the rest are only counted. */
export const MAX_LISTED_REJECTIONS = 50;

export interface Rejection {
  line: number;
  reason: string;
}

export interface FileReport {
  file: string;
  forceId?: string;
  month?: Month;
  kind?: DatasetKind;
  status: 'imported' | 'rejected' | 'failed';
  rows: number;
  rejected: number;
  rejections: Rejection[];
  /** Why the whole file was refused or rolled back. */
  error?: string;
}

const FILE_NAME = /^(\d{4}-(?:0[1-9]|1[0-2]))-([a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$/i;

/** `2025-01-hampshire-street.csv` → its force, month and kind. */
export function parseDatasetFileName(name: string): { month: Month; forceId: string; kind: DatasetKind } | undefined {
  const base = name.split('/').pop() ?? name;
  const m = FILE_NAME.exec(base);
  if (!m) return undefined;
  return { month: m[1]!, forceId: m[2]!.toLowerCase(), kind: m[3]!.toLowerCase() as DatasetKind };
}

export interface CsvFileOptions {
  cache: LocationCache;
  /** Called with the number of bytes read so far. */
  onBytes?: (bytes: number) => void;
}

export async function importCsvStream(store: Store, name: string, input: Readable, options: CsvFileOptions): Promise<FileReport> {
  const report: FileReport = { file: name, status: 'rejected', rows: 0, rejected: 0, rejections: [] };
  const target = parseDatasetFileName(name);
  if (!target) {
    input.resume();
    report.error = `${name}: the file name must be YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv, as data.police.uk names its files`;
    return report;
  }
  Object.assign(report, target);

  const reject = (line: number, reason: string) => {
    report.rejected += 1;
    if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push({ line, reason });
  };

  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  });
  parser.on('skip', (err: Error & { lines?: number }) => reject(err.lines ?? 0, `unreadable CSV: ${err.message}`));

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      options.onBytes?.(bytes);
      done(null, chunk);
    },
  });

  const reading = pipeline(input, counter, parser).catch((error: unknown) => {
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  });

  let writer: DatasetWriter | undefined;
  let convert: ((record: string[]) => DatasetRow) | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!convert) {
        const kind = kindOfHeader(record);
        if (!kind) {
          report.error = `${name}: unknown header "${record.join(',')}"; expected a data.police.uk street, outcomes or stop-and-search file`;
          input.destroy();
          return report;
        }
        if (kind !== target.kind) {
          report.error = `${name}: the header is that of a ${kind} file but the name says ${target.kind}`;
          input.destroy();
          return report;
        }
        convert =
          kind === 'street'
            ? (r) => parseStreetRow(r, target.month)
            : kind === 'outcomes'
              ? (r) => parseOutcomeRow(r, target.month)
              : (r): StopRow => parseStopRow(r);
        continue;
      }
      let row: DatasetRow;
      try {
        row = convert(record);
      } catch (error) {
        if (error instanceof RowError) {
          reject(info.lines, error.message);
          continue;
        }
        throw error;
      }
      if (!writer) {
        const forceName = target.kind === 'stop-and-search' ? null : (record[2] ?? '').trim() || null;
        writer = await beginDataset(store, { ...target, forceName, source: name }, options.cache);
      }
      await writer.add(row);
      report.rows += 1;
    }
    await reading;
    if (!convert) {
      report.error = `${name}: the file is empty`;
      return report;
    }
    // A file with a header and no good rows still says the force published that month.
    writer ??= await beginDataset(store, { ...target, forceName: null, source: name }, options.cache);
    await writer.commit({ rows: report.rows, rejected: report.rejected });
    report.status = 'imported';
    return report;
  } catch (error) {
    await writer?.rollback();
    report.status = 'failed';
    report.error = `${name}: ${error instanceof Error ? error.message : String(error)}; nothing from this file was kept`;
    report.rows = 0;
    return report;
  }
}
