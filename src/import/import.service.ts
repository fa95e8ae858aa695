/**
 * Imports everything a person names — archives, folders, CSV files, URLs — one
 * file at a time, each file in its own transaction, and reports what happened.
 */
import type { Store } from '../store/store.ts';
import type { Readable } from 'node:stream';
import { loadConfig } from '../config.ts';
import { badName, importParsed, parseDatasetFileName, type FileReport } from './csv-file.service.ts';
import { LocationCache } from './location-cache.ts';
import { inlineParser, startedEarly, workerParser, type RowParserHost } from './parse-runner.ts';
import { SourceError, csvSources, expandInput, type CsvSource } from './sources.ts';

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
  /**
   * The largest share of a file's rows that may be rejected with the file still
   * imported; past it the file replaces nothing. Default: IMPORT_MAX_REJECTED_SHARE's default.
   */
  maxRejectedShare?: number;
}

/** Taken from the configuration's defaults (no environment read), so the two cannot drift apart. */
const DEFAULT_MAX_REJECTED_SHARE = loadConfig({}).IMPORT_MAX_REJECTED_SHARE;

export interface ImportListener {
  /** A file's turn has come; size is its uncompressed size in bytes. Its bytes may have been read in part already. */
  onFileStart?(name: string, size: number): void;
  /** Bytes of `name` read so far. The next file may start before the last one is done. */
  onBytes?(bytes: number, name: string): void;
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
  const maxRejectedShare = options.maxRejectedShare ?? DEFAULT_MAX_REJECTED_SHARE;
  try {
    await importAll(store, inputs, listener, report, { cache, parser, maxRejectedShare });
  } finally {
    await parser.close();
    restoreCheckpoints();
  }
  return report;
}

type Step =
  | { sourceError: string }
  | { started: () => void; file: FileReport }
  | { started: () => void; run: () => Promise<FileReport> };

/** Every CSV of every input, and the inputs that could not be read, in order. */
async function* everySource(inputs: string[]): AsyncGenerator<{ source: CsvSource } | { sourceError: string }> {
  for (const input of inputs) {
    let paths: string[];
    try {
      paths = await expandInput(input);
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      yield { sourceError: error.message };
      continue;
    }
    for (const path of paths) {
      try {
        for await (const source of csvSources(path)) yield { source };
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        yield { sourceError: error.message };
      }
    }
  }
}

/**
 * Files are written one after another, but the next file is opened and its
 * parsing started as soon as the current one has been read to its end, so the
 * parser keeps working while the current file's rows are written and committed.
 */
async function importAll(
  store: Store,
  inputs: string[],
  listener: ImportListener,
  report: ImportReport,
  run: { cache: LocationCache; parser: RowParserHost; maxRejectedShare: number },
): Promise<void> {
  const { parser } = run;
  const sources = everySource(inputs);
  let upcoming: Promise<Step | null> | undefined;
  const startNext = (): Promise<Step | null> => {
    const next = (async (): Promise<Step | null> => {
      const item = await sources.next();
      if (item.done) return null;
      if ('sourceError' in item.value) return item.value;
      const { name, size, open } = item.value.source;
      // Listeners see files one after another: a file starts when its turn to be written comes.
      const started = () => listener.onFileStart?.(name, size);
      let stream: Readable;
      try {
        stream = await open();
      } catch (error) {
        return { started, file: { file: name, status: 'failed', rows: 0, rejected: 0, rejections: [], error: errorText(error) } };
      }
      const target = parseDatasetFileName(name);
      if (!target) {
        stream.resume();
        return { started, file: badName(name) };
      }
      const parsed = startedEarly(parser.parse(stream, name, target, (bytes) => listener.onBytes?.(bytes, name)));
      stream.once('end', () => {
        upcoming ??= startNext();
      });
      return { started, run: () => importParsed(store, name, target, parsed, run) };
    })();
    next.catch(() => undefined); // awaited below; this only keeps an early failure from being reported as unhandled
    return next;
  };

  upcoming = startNext();
  while (true) {
    const step = await upcoming;
    upcoming = undefined;
    if (!step) return;
    if ('sourceError' in step) {
      report.sourceErrors.push(step.sourceError);
    } else {
      step.started();
      const file = 'file' in step ? step.file : await step.run();
      report.files.push(file);
      report.rowsImported += file.rows;
      report.rowsRejected += file.rejected;
      listener.onFileDone?.(file);
    }
    upcoming ??= startNext();
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
