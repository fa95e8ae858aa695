/**
 * Turns what a person names on the command line (archive zips, folders, CSV
 * files, http(s) URLs) into a sequence of CSV files to read, each opened only
 * when its turn comes, so memory holds one file's stream at a time.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Readable as NodeReadable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

export interface CsvSource {
  /** Path shown in reports: the zip entry name or the file path. */
  name: string;
  /** Uncompressed size in bytes, for progress. */
  size: number;
  open: () => Promise<Readable>;
}

export class SourceError extends Error {}

/**
 * What `input` stands for, one entry per archive or CSV: a folder becomes the files
 * inside it, so one unreadable archive there does not stop the others.
 */
export async function expandInput(input: string): Promise<string[]> {
  if (/^https?:\/\//i.test(input)) return [input];
  const info = await stat(input).catch(() => {
    throw new SourceError(`${input}: no such file or folder`);
  });
  return info.isDirectory() ? walk(input) : [input];
}

/** Yields every CSV file inside `input`. Throws SourceError when the input itself cannot be read. */
export async function* csvSources(input: string): AsyncGenerator<CsvSource> {
  if (/^https?:\/\//i.test(input)) {
    yield* urlSources(input);
    return;
  }
  for (const path of await expandInput(input)) yield* fileSources(path);
}

async function* fileSources(path: string): AsyncGenerator<CsvSource> {
  if (await isZip(path)) {
    yield* zipSources(path);
  } else if (path.toLowerCase().endsWith('.csv')) {
    const { size } = await stat(path);
    yield { name: path, size, open: async () => createReadStream(path) };
  } else {
    throw new SourceError(`${path}: neither a zip archive nor a .csv file`);
  }
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(path)));
    else if (/\.(csv|zip)$/i.test(entry.name)) found.push(path);
  }
  return found;
}

async function isZip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** What went wrong, for a message: an Error's own message (fetch and streams throw nothing else). */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) reject(new SourceError(`${path}: not a readable zip archive (${err?.message ?? 'unknown error'})`));
      else resolve(zip);
    });
  });
}

async function* zipSources(path: string): AsyncGenerator<CsvSource> {
  const zip = await openZip(path);
  try {
    while (true) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          zip.off('end', onEnd);
          zip.off('error', onError);
          resolve(e);
        };
        const onEnd = () => {
          zip.off('entry', onEntry);
          zip.off('error', onError);
          resolve(null);
        };
        const onError = (err: Error) => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          reject(new SourceError(`${path}: the archive is damaged (${err.message})`));
        };
        zip.once('entry', onEntry);
        zip.once('end', onEnd);
        zip.once('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      const name = entry.fileName;
      // Skip folders and the resource forks macOS adds to zips it makes.
      if (name.endsWith('/') || name.startsWith('__MACOSX/') || basename(name).startsWith('.')) continue;
      if (!name.toLowerCase().endsWith('.csv')) continue;
      yield {
        name: `${basename(path)}:${name}`,
        size: entry.uncompressedSize,
        open: () =>
          new Promise<Readable>((resolve, reject) => {
            zip.openReadStream(entry, (err, stream) => {
              if (err || !stream) reject(new SourceError(`${path}:${name}: cannot be read (${err?.message ?? 'unknown error'})`));
              else resolve(stream);
            });
          }),
      };
    }
  } finally {
    zip.close();
  }
}

/**
 * A download is streamed to a temporary file first (a zip must be read from its
 * end), never held in memory, and only read once it has arrived whole: a failed
 * download imports nothing.
 */
async function* urlSources(url: string): AsyncGenerator<CsvSource> {
  const dir = await mkdtemp(join(tmpdir(), 'safe-communities-import-'));
  try {
    const fileName = basename(new URL(url).pathname) || 'download';
    const path = join(dir, fileName);
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'follow' });
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      throw new SourceError(`${url}: download failed (${cause instanceof Error ? cause.message : errorText(error)})`);
    }
    if (!response.ok || !response.body) throw new SourceError(`${url}: download failed with HTTP ${response.status}`);
    try {
      await pipeline(NodeReadable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(path));
    } catch (error) {
      throw new SourceError(`${url}: download broke off (${errorText(error)}); nothing was imported from it`);
    }
    const expected = Number(response.headers.get('content-length') ?? NaN);
    const { size } = await stat(path);
    if (Number.isFinite(expected) && size !== expected) {
      throw new SourceError(`${url}: download incomplete (${size} of ${expected} bytes); nothing was imported from it`);
    }
    if (await isZip(path)) {
      yield* zipSources(path);
    } else {
      yield { name: fileName, size, open: async () => createReadStream(path) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
