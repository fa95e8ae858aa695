/**
 * Small data.police.uk-shaped files for the importer's tests, written into a
 * temporary folder, with the quirks of the real ones (BOM, CRLF, quoted commas,
 * unplaced rows, ASB rows without a Crime ID, duplicate outcome rows).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Store } from '../store/store.ts';
import { HEADERS } from './csv-formats.ts';

/** The real published files, outside the project; absent on some machines. */
export const REAL_DATA_DIR = fileURLToPath(new URL('../../../shared/data/police-uk/', import.meta.url));
export const hasRealData = existsSync(join(REAL_DATA_DIR, '2025-street.zip'));

export const hasZipTool = (() => {
  try {
    execFileSync('zip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const FORCE = 'Test Constabulary';
export const id = (n: number) => n.toString(16).padStart(64, '0');

/** One row as a CSV line (no line end), cells quoted where they need it. */
export function csvLine(cells: readonly string[]): string {
  return cells.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

export function csv(header: readonly string[], rows: string[][], opts: { crlf?: boolean; bom?: boolean } = {}): string {
  const eol = opts.crlf ? '\r\n' : '\n';
  const text = [header.join(','), ...rows.map(csvLine)].join(eol) + eol;
  return (opts.bom ? '\uFEFF' : '') + text;
}

/** A street row; `point` is [longitude, latitude] as the file orders them, or null for `No Location`. */
export function streetRow(crimeId: string, month: string, point: [string, string] | null, street: string, type: string, last = 'Under investigation'): string[] {
  return [
    crimeId, month, FORCE, FORCE, point?.[0] ?? '', point?.[1] ?? '', point ? `On or near ${street}` : 'No Location',
    point ? 'E01000001' : '', point ? 'Testshire, North and South 001A' : '', type, last, '',
  ];
}

export function outcomeRow(crimeId: string, month: string, point: [string, string] | null, street: string, outcome: string): string[] {
  return [
    crimeId, month, FORCE, FORCE, point?.[0] ?? '', point?.[1] ?? '', point ? `On or near ${street}` : 'No location',
    point ? 'E01000001' : '', point ? 'Testshire 001A' : '', outcome,
  ];
}

/** A stop-and-search row; `latLng` is [latitude, longitude], the order of these files. */
export function stopRow(type: string, date: string, latLng: [string, string] | null, linked: string, removal: string): string[] {
  return [type, date, 'False', '', latLng?.[0] ?? '', latLng?.[1] ?? '', 'Male', '18-24', 'White - English', 'White',
    'Misuse of Drugs Act 1971 (section 23)', 'Controlled drugs', 'A no further action disposal', linked, removal];
}

export const STREET = HEADERS.street;
export const OUTCOMES = HEADERS.outcomes;
export const STOPS = HEADERS['stop-and-search'];

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'import-test-'));
}

/** Writes `files` (relative path → content) under a new temporary folder and returns it. */
export async function writeFiles(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir();
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** Zips `files` with their folders kept, as data.police.uk packs its downloads. */
export async function makeZip(files: Record<string, string | Buffer>, zipName = 'download.zip'): Promise<string> {
  const dir = await writeFiles(files);
  const zipPath = join(await tempDir(), zipName);
  execFileSync('zip', ['-q', '-r', zipPath, ...Object.keys(files)], { cwd: dir });
  return zipPath;
}

export interface Counts {
  crimes: number;
  outcomes: number;
  stops: number;
  locations: number;
  publications: number;
  forces: number;
}

export async function tableCounts(store: Store): Promise<Counts> {
  const count = async (table: keyof Counts) =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    crimes: await count('crimes'),
    outcomes: await count('outcomes'),
    stops: await count('stops'),
    locations: await count('locations'),
    publications: await count('publications'),
    forces: await count('forces'),
  };
}

/** A street file of `n` placed rows spread over a few hundred points: big enough to span many chunks. */
export function bigStreetFile(month: string, n: number): string {
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const p = i % 300;
    rows.push(streetRow(id(1_000_000 + i), month, [(-1.1 - p / 1000).toFixed(6), (52.6 + p / 1000).toFixed(6)], `Street ${p}`, 'Burglary'));
  }
  return csv(STREET, rows);
}

let gc: (() => void) | undefined;

/** A full garbage collection, made available on first use (the test runner starts Node without --expose-gc). */
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  // V8 frees dead buffers' memory in the background after a collection; the next collection waits for that.
  gc();
}

/**
 * The most memory, in MB, that `run` kept alive at any moment: heap and buffers
 * sampled after a full collection, so garbage waiting to be collected (which
 * comes and goes with the collector's mood) does not count, and what is held
 * does. Measures this thread only: run the import with `worker: false`.
 */
export async function peakRetainedMB(run: () => Promise<unknown>): Promise<number> {
  const retained = () => {
    collectGarbage();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const start = retained();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, retained())), 100);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return (Math.max(peak, retained()) - start) / 2 ** 20;
}
