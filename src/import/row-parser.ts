/**
 * Turns the bytes of one data.police.uk CSV file into checked rows, chunk by
 * chunk and synchronously, so the same code runs in the parse worker and in the
 * main thread. The header decides the format; a bad line becomes a rejection
 * with its line number and reason and the rest of the file is kept. LineReader
 * cuts the lines, so no line can spoil another and memory stays flat; csv-parse
 * splits each line into fields.
 */
import { Parser, type Options } from 'csv-parse';
import type { DatasetKind, Month } from '../store/database.ts';
import { appendRow, emptyBatch, type RowBatch } from './row-batch.ts';
import { RowError, kindOfHeader, parseOutcomeRow, parseStopRow, parseStreetRow, type OutcomeRow, type StopRow, type StreetRow } from './csv-formats.ts';
import { LineReader } from './line-reader.ts';

export { MAX_LINE_BYTES } from './line-reader.ts';

export type DatasetRow = StreetRow | OutcomeRow | StopRow;

export interface Rejection {
  line: number;
  reason: string;
}

/** How many rejected rows are listed one by one; the rest are only counted. */
export const MAX_LISTED_REJECTIONS = 50;

/** What the file's name says it holds. */
export interface FileTarget {
  month: Month;
  forceId: string;
  kind: DatasetKind;
}

/** What one chunk of input gave. */
export interface ParseOutput {
  /** The good rows, column by column. */
  rows: RowBatch;
  /** For each row, its snap point's number in the run's PointIndex, or -1 when unplaced. */
  points: number[];
  /** Rejections to list (the parser stops listing after MAX_LISTED_REJECTIONS per file). */
  rejections: Rejection[];
  /** Every rejected row, listed or not. */
  rejected: number;
  /** Display name of the force (`Reported by`) from the first good row, sent once. */
  forceName?: string | null;
  /** Set when the whole file is refused (unknown header, wrong kind, empty); nothing more follows. */
  refused?: string;
}

/**
 * How csv-parse reads fields; bench/parse-baseline.ts times parsing whole files
 * with the same settings. The row parser strips the byte order mark itself (so
 * csv-parse never switches encoding part way) and gets errors back rather than
 * skipped, to name the bad line. Line ends are given, not guessed: a stray CR
 * must not become the file's line end.
 */
export const CSV_OPTIONS: Options = {
  bom: true,
  relax_column_count: true,
  skip_empty_lines: true,
  record_delimiter: ['\r\n', '\n'],
};

const LINE_OPTIONS: Options = { ...CSV_OPTIONS, bom: false };

/**
 * Numbers each distinct snap point (coordinates and street; stop-and-search
 * points have no street) once per import run, where the parsing happens, so
 * the writing thread finds a point's location id by array index, not by
 * hashing a string for every row.
 */
export class PointIndex {
  private readonly numbers = new Map<string, number>();

  /**
   * `key` is made of the cells as written: cheaper than formatting numbers, and
   * a point written two ways only costs the writer one more lookup by value.
   */
  numberOf(key: string): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.numbers.size;
      this.numbers.set(key, n);
    }
    return n;
  }
}

/** csv-parse's push-style core, which the Transform stream wraps; calling it directly avoids a stream per file. */
interface CsvCore {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
}

function newCore(): CsvCore {
  return (new Parser(LINE_OPTIONS) as unknown as { api: CsvCore }).api;
}

const noop = () => undefined;

export class CsvRowParser {
  /** Replaced after a line it could not read: csv-parse keeps no usable state after an error. */
  private core: CsvCore = newCore();
  private readonly lines: LineReader;
  /** The line of the next record csv-parse gives. */
  private recordLine = 1;
  private convert: ((record: string[]) => DatasetRow) | undefined;
  private out: ParseOutput;
  private listed = 0;
  private forceNameSent = false;
  private done = false;
  private readonly onRecord = (record: string[]) => this.record(record);

  constructor(
    private readonly name: string,
    private readonly target: FileTarget,
    private readonly pointIndex: PointIndex = new PointIndex(),
  ) {
    this.out = emptyOutput(target.kind);
    this.lines = new LineReader({
      plain: (buf, from, to, first, count) => this.plain(buf, from, to, first, count),
      quoted: (buf, from, to, line) => this.quoted(buf, from, to, line),
      bad: (line, reason) => this.reject(line, reason),
    });
  }

  push(chunk: Uint8Array): ParseOutput {
    if (!this.done) this.lines.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    return this.take();
  }

  end(): ParseOutput {
    if (!this.done) {
      this.lines.end();
      if (!this.done && !this.convert) this.refuse(`${this.name}: the file is empty`);
    }
    this.done = true;
    return this.take();
  }

  private take(): ParseOutput {
    const out = this.out;
    this.out = emptyOutput(this.target.kind);
    return out;
  }

  /** Lines without quotes: one record each, whatever is in them, so csv-parse cannot fail on them. */
  private plain(buf: Buffer, from: number, to: number, first: number, count: number): void {
    if (this.done) return;
    this.recordLine = first;
    const error = this.core.parse(buf.subarray(from, to), true, this.onRecord, noop);
    if (error || this.recordLine !== first + count) {
      throw new Error(`csv-parse read lines ${first} to ${first + count - 1} as ${this.recordLine - first} records (${error?.message ?? 'no error'})`);
    }
  }

  /** A line whose quotes LineReader has checked; should csv-parse still refuse it, only that line is lost. */
  private quoted(buf: Buffer, from: number, to: number, line: number): void {
    if (this.done) return;
    this.recordLine = line;
    const error = this.core.parse(buf.subarray(from, to), true, this.onRecord, noop);
    if (!error) return;
    this.core = newCore();
    this.recordLine = line + 1;
    this.reject(line, `unreadable CSV (${error.message.replace(/ at line \d+/, '')})`);
  }

  private record(record: string[]): void {
    const line = this.recordLine++;
    if (this.done) return;
    if (!this.convert) {
      this.convert = this.converterFor(record);
      return;
    }
    let row: DatasetRow;
    try {
      row = this.convert(record);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      this.reject(line, error.message);
      return;
    }
    if (!this.forceNameSent) {
      this.forceNameSent = true;
      this.out.forceName = this.target.kind === 'stop-and-search' ? null : (record[2] ?? '').trim() || null;
    }
    appendRow(this.out.rows, row);
    this.out.points.push(row.point ? this.pointIndex.numberOf(this.pointKey(record)) : -1);
  }

  /** Latitude, Longitude and street cells; stop-and-search has Latitude first and no street. */
  private pointKey(record: string[]): string {
    if (this.target.kind === 'stop-and-search') return `${record[4]}|${record[5]}|*`;
    return `${record[5]}|${record[4]}|${record[6]}`;
  }

  private converterFor(header: string[]): ((record: string[]) => DatasetRow) | undefined {
    const { kind, month } = this.target;
    const found = kindOfHeader(header);
    if (!found) {
      this.refuse(`${this.name}: unknown header "${header.join(',')}"; expected a data.police.uk street, outcomes or stop-and-search file`);
      return undefined;
    }
    if (found !== kind) {
      this.refuse(`${this.name}: the header is that of a ${found} file but the name says ${kind}`);
      return undefined;
    }
    if (kind === 'street') return (r) => parseStreetRow(r, month);
    if (kind === 'outcomes') return (r) => parseOutcomeRow(r, month);
    return (r) => parseStopRow(r);
  }

  private reject(line: number, reason: string): void {
    if (this.done) return;
    if (!this.convert) {
      this.refuse(`${this.name}: line ${line} should be the header, but ${reason}`);
      return;
    }
    this.out.rejected += 1;
    if (this.listed < MAX_LISTED_REJECTIONS) {
      this.listed += 1;
      this.out.rejections.push({ line, reason });
    }
  }

  private refuse(error: string): void {
    this.done = true;
    this.out.refused = error;
  }
}

function emptyOutput(kind: DatasetKind): ParseOutput {
  return { rows: emptyBatch(kind), points: [], rejections: [], rejected: 0 };
}
