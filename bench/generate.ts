/**
 * Writes the national-scale data set as data.police.uk names its files
 * (`YYYY-MM/YYYY-MM-bench-NN-street.csv` and `-outcomes.csv`), one copy and one
 * month at a time through a write stream, so memory holds the seed and one
 * chunk of output, never the whole set. A manifest records the parameters and
 * every file's size; a later run with the same parameters reuses the files.
 */
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { HEADERS } from '../src/import/csv-formats.ts';
import { placeCopies, type CopyPlacement } from './layout.ts';
import { planOutcomes, type OutcomeEvent } from './outcome-plan.ts';
import type { BenchParams } from './params.ts';
import { COL, loadSeed } from './seed.ts';

/** Bump when the generated content changes, so old files are not reused. */
const GENERATOR_VERSION = 3;
const LINES_PER_WRITE = 2000;

export interface GeneratedFile {
  path: string;
  kind: 'street' | 'outcomes';
  month: string;
  rows: number;
  bytes: number;
}

export interface DataSet {
  dir: string;
  reused: boolean;
  seconds: number;
  copies: number;
  months: string[];
  seedForces: string[];
  streetRows: number;
  outcomeRows: number;
  /** Distinct snap points in the whole set: seed points × copies. */
  snapPoints: number;
  bytes: number;
  files: GeneratedFile[];
  /** Where each copy sits, for choosing dense and empty query points. */
  placements: { forceId: string; centre: { lat: number; lng: number } }[];
  /** Seed-to-copy maps for the dense city centres, applied by the query chooser. */
  layout: CopyPlacement[];
}

interface Manifest {
  version: number;
  copies: number;
  months: number;
  outcomeShare: number;
  seedBytes: number;
  set: Omit<DataSet, 'dir' | 'reused' | 'seconds' | 'layout'>;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: string[]): string {
  let line = csvField(fields[0]!);
  for (let i = 1; i < fields.length; i++) line += ',' + csvField(fields[i]!);
  return line + '\n';
}

/** A copy's version of a seed row's first columns: id, month, force names and moved coordinates. */
function movedPoint(row: string[], copy: CopyPlacement): [string, string] {
  if (row[COL.lat] === '' || row[COL.lng] === '') return ['', ''];
  return [copy.moveLng(Number(row[COL.lng])).toFixed(6), copy.moveLat(Number(row[COL.lat])).toFixed(6)];
}

function copyId(id: string, copy: CopyPlacement): string {
  return id === '' ? '' : copy.idPrefix + id.slice(2);
}

async function writeCsv(path: string, header: readonly string[], count: number, line: (i: number) => string): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  let chunk = csvLine([...header]);
  for (let i = 0; i < count; i++) {
    chunk += line(i);
    if ((i + 1) % LINES_PER_WRITE === 0 || i === count - 1) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  if (chunk !== '') {
    bytes += Buffer.byteLength(chunk);
    out.write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

function streetLine(row: string[], copy: CopyPlacement): string {
  const [lng, lat] = movedPoint(row, copy);
  return csvLine([
    copyId(row[COL.id]!, copy), row[COL.month]!, copy.forceName, copy.forceName, lng, lat,
    row[COL.location]!, row[COL.lsoaCode]!, row[COL.lsoaName]!, row[COL.type]!, row[COL.lastOutcome]!, row[COL.context]!,
  ]);
}

function outcomeLine(event: OutcomeEvent, month: string, copy: CopyPlacement): string {
  const row = event.row;
  const [lng, lat] = movedPoint(row, copy);
  return csvLine([
    copyId(row[COL.id]!, copy), month, copy.forceName, copy.forceName, lng, lat,
    row[COL.location]!, row[COL.lsoaCode]!, row[COL.lsoaName]!, event.name,
  ]);
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export async function generateDataSet(params: BenchParams, archive: string, outDir: string, log: (line: string) => void): Promise<DataSet> {
  const started = performance.now();
  const dir = join(outDir, 'data');
  const manifestPath = join(dir, 'manifest.json');
  const seedBytes = statSync(archive).size;
  const seed = await loadSeed(archive, params.months);
  const layout = placeCopies(seed, params.copies);

  const old = readManifest(manifestPath);
  if (
    old &&
    old.version === GENERATOR_VERSION &&
    old.copies === params.copies &&
    old.months === params.months &&
    old.outcomeShare === params.outcomeShare &&
    old.seedBytes === seedBytes &&
    old.set.files.every((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.bytes)
  ) {
    log(`reusing ${old.set.files.length} generated files in ${dir}`);
    return { ...old.set, dir, reused: true, seconds: (performance.now() - started) / 1000, layout };
  }

  const partial = join(outDir, 'data.partial');
  await rm(partial, { recursive: true, force: true });
  const events = planOutcomes(seed, params.outcomeShare);
  const files: GeneratedFile[] = [];
  for (const [monthIndex, { month, rows }] of seed.months.entries()) {
    await mkdir(join(partial, month), { recursive: true });
    const monthEvents = events[monthIndex]!;
    for (const copy of layout) {
      const street = `${month}/${month}-${copy.forceId}-street.csv`;
      const streetBytes = await writeCsv(join(partial, street), HEADERS.street, rows.length, (i) => streetLine(rows[i]!, copy));
      files.push({ path: street, kind: 'street', month, rows: rows.length, bytes: streetBytes });
      const outcomes = `${month}/${month}-${copy.forceId}-outcomes.csv`;
      const outcomeBytes = await writeCsv(join(partial, outcomes), HEADERS.outcomes, monthEvents.length, (i) => outcomeLine(monthEvents[i]!, month, copy));
      files.push({ path: outcomes, kind: 'outcomes', month, rows: monthEvents.length, bytes: outcomeBytes });
    }
    log(`generated ${month}: ${layout.length} copies × (${rows.length} crimes + ${monthEvents.length} outcomes)`);
  }
  const set: Manifest['set'] = {
    copies: params.copies,
    months: seed.months.map((m) => m.month),
    seedForces: seed.forces,
    streetRows: files.filter((f) => f.kind === 'street').reduce((s, f) => s + f.rows, 0),
    outcomeRows: files.filter((f) => f.kind === 'outcomes').reduce((s, f) => s + f.rows, 0),
    snapPoints: seed.distinctPoints * params.copies,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    files,
    placements: layout.map((c) => ({ forceId: c.forceId, centre: c.centre })),
  };
  const manifest: Manifest = { version: GENERATOR_VERSION, copies: params.copies, months: params.months, outcomeShare: params.outcomeShare, seedBytes, set };
  await writeFile(join(partial, 'manifest.json'), JSON.stringify(manifest));
  // Swapped in whole only when complete, so an interrupted run is never mistaken for a finished one.
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return { ...set, dir, reused: false, seconds: (performance.now() - started) / 1000, layout };
}
