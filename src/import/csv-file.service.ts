/**
 * Imports one data.police.uk CSV file from a stream: checks its name and header,
 * converts each row, skips and reports the bad ones, and commits the good ones
 * as one transaction, or nothing at all if the file cannot be read to its end,
 * has no good row, or has more bad rows than the run allows. A file that commits
 * nothing leaves its month as it was, listed or not.
 */
import type { Readable } from 'node:stream';
import type { DatasetKind, Month } from '../store/database.ts';
import { DATASET_KINDS, isOneOf } from '../store/column-values.ts';
import type { ErrorCode } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { DatasetWriter } from './dataset.ts';
import { beginDataset } from './dataset-writer.ts';
import type { LocationCache } from './location-cache.ts';
import type { RowParserHost } from './parse-runner.ts';
import { MAX_LISTED_REJECTIONS, type FileTarget, type ParseOutput, type Rejection } from './row-parser.ts';

export { MAX_LISTED_REJECTIONS, type Rejection };

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
  /** Set when a file read to its end was refused: it had no good row, or too many bad ones. */
  code?: ErrorCode;
}

const FILE_NAME = /^(\d{4}-(?:0[1-9]|1[0-2]))-([a-z0-9-]+?)-(street|outcomes|stop-and-search)\.csv$/i;

/** `2025-01-hampshire-street.csv` → its force, month and kind. */
export function parseDatasetFileName(name: string): FileTarget | undefined {
  const base = name.split(/[/\\:]/).pop() ?? name;
  const m = FILE_NAME.exec(base);
  if (!m) return undefined;
  const kind = m[3]!.toLowerCase();
  // Always true once the name matched (the pattern lists the three kinds); says so to the types.
  if (!isOneOf(DATASET_KINDS, kind)) return undefined;
  return { month: m[1]!, forceId: m[2]!.toLowerCase(), kind };
}

export interface CsvFileOptions {
  cache: LocationCache;
  /** The largest share of a file's rows that may be rejected with the file still imported (IMPORT_MAX_REJECTED_SHARE). */
  maxRejectedShare: number;
  /**
   * Where parsing runs. It numbers snap points for `cache`, so one parser host
   * and one cache go together for a whole run.
   */
  parser: RowParserHost;
  /** Called with the number of bytes read so far. */
  onBytes?: (bytes: number) => void;
}

export async function importCsvStream(store: Store, name: string, input: Readable, options: CsvFileOptions): Promise<FileReport> {
  const target = parseDatasetFileName(name);
  if (!target) {
    input.resume();
    return badName(name);
  }
  return importParsed(store, name, target, options.parser.parse(input, name, target, options.onBytes), options);
}

export function badName(name: string): FileReport {
  return {
    file: name,
    status: 'rejected',
    rows: 0,
    rejected: 0,
    rejections: [],
    error: `${name}: the file name must be YYYY-MM-<force>-<street|outcomes|stop-and-search>.csv, as data.police.uk names its files`,
  };
}

/** Writes what a parser gives for one file, as one transaction. */
export async function importParsed(
  store: Store,
  name: string,
  target: FileTarget,
  parsed: AsyncIterable<ParseOutput>,
  options: { cache: LocationCache; maxRejectedShare: number },
): Promise<FileReport> {
  const report: FileReport = { file: name, ...target, status: 'rejected', rows: 0, rejected: 0, rejections: [] };
  let writer: DatasetWriter | undefined;
  let forceName: string | null = null;
  try {
    for await (const out of parsed) {
      if (out.refused) {
        report.error = out.refused;
        report.rows = 0;
        await writer?.rollback();
        return report;
      }
      report.rejected += out.rejected;
      report.rejections.push(...out.rejections);
      if (out.forceName !== undefined) forceName = out.forceName;
      if (out.rows.length === 0) continue;
      // The transaction opens with the first good row, which names the force.
      writer ??= await beginDataset(store, { ...target, forceName, source: name }, options.cache);
      await writer.addRows(out.rows, out.points);
      report.rows += out.rows.length;
    }
    const refusal = refusalOf(name, report.rows, report.rejected, options.maxRejectedShare);
    if (refusal || !writer) {
      await writer?.rollback();
      report.error = refusal?.error;
      report.code = refusal?.code;
      report.rows = 0;
      return report;
    }
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

/**
 * Why a file read to its end must still replace nothing: no good row (a month
 * listed with nothing behind it), or too large a share of bad ones (a damaged
 * file, whose month would lose the rows it could not read).
 */
function refusalOf(name: string, rows: number, rejected: number, maxShare: number): { error: string; code: ErrorCode } | undefined {
  const kept = 'nothing was replaced and the data already stored for that month was kept';
  if (rows === 0) {
    const why = rejected === 0 ? 'the file has a header and no rows' : rejected === 1 ? 'its one row was rejected' : `all ${rejected} rows were rejected`;
    return { code: 'SC_ERR_IMPORT_NO_ROWS', error: `${name}: no row could be imported (${why}); ${kept}` };
  }
  const total = rows + rejected;
  if (rejected / total <= maxShare) return undefined;
  return {
    code: 'SC_ERR_IMPORT_TOO_MANY_REJECTED',
    error: `${name}: ${rejected} of ${total} rows (${percent(rejected / total)}) were rejected, more than the ` +
      `${percent(maxShare)} allowed (IMPORT_MAX_REJECTED_SHARE); ${kept}`,
  };
}

function percent(share: number): string {
  return `${Number((share * 100).toPrecision(3))}%`;
}
