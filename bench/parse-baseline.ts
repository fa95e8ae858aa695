/**
 * The parse-only baseline: the same files read with csv-parse and the importer's
 * own settings (CSV_OPTIONS from src/import/row-parser.ts), records counted and
 * thrown away (csv-parse/sync, one file at a time). src/import has no parse-only
 * entry point yet, so it lives here.
 * A second figure runs the importer's CsvRowParser (parse + row checks, no store)
 * in this thread, to show what checking the rows costs on top of csv-parse.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parseDatasetFileName } from '../src/import/csv-file.service.ts';
import { CSV_OPTIONS, CsvRowParser } from '../src/import/row-parser.ts';
import type { DataSet } from './generate.ts';
import { round } from './stats.ts';

export interface ParseFigure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
}

function figure(rows: number, bytes: number, startedMs: number): ParseFigure {
  const s = (performance.now() - startedMs) / 1000;
  return { rows, seconds: round(s, 3), rowsPerSecond: Math.round(rows / s), megabytesPerSecond: round(bytes / 1e6 / s, 1) };
}

/**
 * csv-parse's synchronous entry point over one whole file (a few MB at most, so
 * memory holds one file, never the set): the parser's own speed with no stream
 * in the way, which is what the importer gets by calling the parser's core
 * directly. (Its Transform stream read record by record measured about half as fast.)
 */
async function countRecords(path: string): Promise<number> {
  const records: unknown[] = parse(await readFile(path), CSV_OPTIONS);
  return records.length - 1; // the header is not a row
}

/** csv-parse alone, as the baseline the import is compared with. */
export async function parseOnly(set: DataSet): Promise<ParseFigure> {
  const started = performance.now();
  let rows = 0;
  for (const file of set.files) rows += await countRecords(join(set.dir, file.path));
  return figure(rows, set.bytes, started);
}

/** csv-parse plus the importer's row conversion and checks, in this thread. */
export async function parseAndCheck(set: DataSet): Promise<ParseFigure & { rejected: number }> {
  const started = performance.now();
  let rows = 0;
  let rejected = 0;
  for (const file of set.files) {
    const target = parseDatasetFileName(file.path);
    if (!target) throw new Error(`${file.path}: not a data.police.uk file name`);
    const parser = new CsvRowParser(file.path, target);
    for await (const chunk of createReadStream(join(set.dir, file.path), { highWaterMark: 256 * 1024 })) {
      const out = parser.push(chunk as Buffer);
      rows += out.points.length; // one snap-point entry per good row
      rejected += out.rejected;
    }
    const out = parser.end();
    rows += out.points.length; // one snap-point entry per good row
    rejected += out.rejected;
    if (out.refused) throw new Error(out.refused);
  }
  return { ...figure(rows, set.bytes, started), rejected };
}
