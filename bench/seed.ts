/**
 * The seed of the synthetic data set: the real 2025 street files, read straight
 * from the shared archive into memory (about 24k rows a month, small next to the
 * millions generated from them). Only forces published in every chosen month are
 * kept, so every generated month has the same shape.
 */
import type { Readable } from 'node:stream';
import { Parser } from 'csv-parse';
import { parseDatasetFileName } from '../src/import/csv-file.service.ts';
import { CSV_OPTIONS } from '../src/import/row-parser.ts';
import { csvSources } from '../src/import/sources.ts';

/** Column positions of a street file (see HEADERS.street in src/import/csv-formats.ts). */
export const COL = { id: 0, month: 1, reportedBy: 2, fallsWithin: 3, lng: 4, lat: 5, location: 6, lsoaCode: 7, lsoaName: 8, type: 9, lastOutcome: 10, context: 11 } as const;

export interface SeedMonth {
  month: string;
  /** Street rows of every kept force, header removed. */
  rows: string[][];
}

export interface Seed {
  forces: string[];
  months: SeedMonth[];
  /** Bounding box of every placed row, to lay the copies out side by side. */
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number };
  /** Distinct snap points (lat, lng, street) over all kept rows: each copy has this many. */
  distinctPoints: number;
}

async function readRecords(stream: Readable): Promise<string[][]> {
  const parser = new Parser(CSV_OPTIONS);
  const rows: string[][] = [];
  parser.on('readable', () => {
    for (let record: unknown = parser.read(); record !== null; record = parser.read()) rows.push(record as string[]);
  });
  const done = new Promise<void>((resolve, reject) => {
    parser.once('end', resolve);
    parser.once('error', reject);
  });
  stream.pipe(parser);
  await done;
  return rows.slice(1); // the header was checked by the importer's rules when the archive was made
}

export async function loadSeed(archive: string, months: number): Promise<Seed> {
  const wanted = Array.from({ length: months }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
  const byMonth = new Map<string, Map<string, string[][]>>();
  for await (const source of csvSources(archive)) {
    const target = parseDatasetFileName(source.name);
    if (!target || target.kind !== 'street' || !wanted.includes(target.month)) continue;
    const rows = await readRecords(await source.open());
    const forces = byMonth.get(target.month) ?? new Map<string, string[][]>();
    forces.set(target.forceId, rows);
    byMonth.set(target.month, forces);
  }
  const missing = wanted.filter((m) => !byMonth.has(m));
  if (missing.length > 0) throw new Error(`${archive} has no street files for ${missing.join(', ')}`);
  const forces = [...byMonth.get(wanted[0]!)!.keys()].filter((f) => wanted.every((m) => byMonth.get(m)!.has(f))).sort();

  const box = { minLat: Infinity, maxLat: -Infinity, minLng: Infinity, maxLng: -Infinity };
  const points = new Set<string>();
  const seedMonths: SeedMonth[] = wanted.map((month) => {
    const rows = forces.flatMap((f) => byMonth.get(month)!.get(f)!);
    for (const r of rows) {
      const lat = Number(r[COL.lat]);
      const lng = Number(r[COL.lng]);
      if (r[COL.lat] === '' || !Number.isFinite(lat) || !Number.isFinite(lng)) continue;
      box.minLat = Math.min(box.minLat, lat);
      box.maxLat = Math.max(box.maxLat, lat);
      box.minLng = Math.min(box.minLng, lng);
      box.maxLng = Math.max(box.maxLng, lng);
      points.add(`${r[COL.lat]}|${r[COL.lng]}|${r[COL.location]}`);
    }
    return { month, rows };
  });
  return { forces, months: seedMonths, box, distinctPoints: points.size };
}
