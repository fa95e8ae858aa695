/**
 * Where each copy of the real forces goes: a grid of cells over Great Britain,
 * one copy per cell, cells as large as the seed's bulk so copies never overlap
 * (some cells lie partly at sea; only the density inside a copy matters for the
 * 1-mile query). Longitudes are rescaled by the cosine of the latitude so a copy
 * moved north keeps its real distances, and so its real 1-mile densities.
 */
import type { Seed } from './seed.ts';
import { COL } from './seed.ts';

export interface CopyPlacement {
  index: number;
  forceId: string;
  forceName: string;
  /** Two hex digits that replace the start of every Crime ID of this copy, so ids stay unique. */
  idPrefix: string;
  /** Maps a seed coordinate to this copy's coordinate. */
  moveLat(lat: number): number;
  moveLng(lng: number): number;
  /** Centre of the copy, for choosing empty points between copies. */
  centre: { lat: number; lng: number };
}

/** Centre of Great Britain, roughly; the grid is laid out around it. */
const GB_CENTRE = { lat: 54.0, lng: -2.5 };
/** Gap between cells, in degrees, so even the bulk's edges stay apart. */
const GAP = 0.1;

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]!;
}

/** The box holding 99.6% of the seed's placed rows: a few far-off outliers must not make every cell huge. */
export function bulkBox(seed: Seed): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const lats: number[] = [];
  const lngs: number[] = [];
  for (const m of seed.months) {
    for (const r of m.rows) {
      if (r[COL.lat] === '') continue;
      lats.push(Number(r[COL.lat]));
      lngs.push(Number(r[COL.lng]));
    }
  }
  const la = Float64Array.from(lats).sort();
  const ln = Float64Array.from(lngs).sort();
  return { minLat: quantile(la, 0.002), maxLat: quantile(la, 0.998), minLng: quantile(ln, 0.002), maxLng: quantile(ln, 0.998) };
}

export function placeCopies(seed: Seed, copies: number): CopyPlacement[] {
  const box = bulkBox(seed);
  const seedCentre = { lat: (box.minLat + box.maxLat) / 2, lng: (box.minLng + box.maxLng) / 2 };
  const cellLat = box.maxLat - box.minLat + GAP;
  const cellLng = box.maxLng - box.minLng + GAP;
  const cols = Math.ceil(Math.sqrt(copies));
  const rows = Math.ceil(copies / cols);
  const seedCos = Math.cos((seedCentre.lat * Math.PI) / 180);
  return Array.from({ length: copies }, (_, index) => {
    const row = Math.floor(index / cols);
    const col = index % cols;
    const lat = GB_CENTRE.lat + (row - (rows - 1) / 2) * cellLat;
    // A cell's longitude width grows northwards with the rescaling; space columns by the widest row.
    const widest = seedCos / Math.cos(((GB_CENTRE.lat + ((rows - 1) / 2) * cellLat) * Math.PI) / 180);
    const lng = GB_CENTRE.lng + (col - (cols - 1) / 2) * cellLng * widest;
    const scale = seedCos / Math.cos((lat * Math.PI) / 180);
    const n = String(index + 1).padStart(2, '0');
    return {
      index,
      forceId: `bench-${n}`,
      forceName: `Bench Force ${n}`,
      idPrefix: (index + 1).toString(16).padStart(2, '0'),
      moveLat: (v: number) => v - seedCentre.lat + lat,
      moveLng: (v: number) => (v - seedCentre.lng) * scale + lng,
      centre: { lat, lng },
    };
  });
}
