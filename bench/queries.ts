/**
 * The requests measured, chosen from what the store holds so they look like real
 * traffic: 1-mile points mostly on real crime locations of the latest month
 * (jittered by up to ~100 m, as a person's position would be), some on the
 * busiest city centres of every copy, some where there is no data at all;
 * ~2.5 km hexagons; and crime ids that have outcomes (most) or none.
 */
import type { Store } from '../src/store/store.ts';
import type { DataSet } from './generate.ts';

export interface LatLng {
  lat: number;
  lng: number;
}

export interface QuerySet {
  month: string;
  points: LatLng[];
  polygons: LatLng[][];
  crimeIds: string[];
  /** How the points were chosen, for the report. */
  mix: { realLocations: number; cityCentres: number; empty: number };
}

/** Seed coordinates of dense centres in the real forces (Leicester's is the one API examples use). */
const CITY_CENTRES: LatLng[] = [
  { lat: 52.629729, lng: -1.131592 }, // Leicester
  { lat: 50.904, lng: -1.404 }, // Southampton
  { lat: 50.797, lng: -1.092 }, // Portsmouth
  { lat: 51.5155, lng: -0.0922 }, // City of London
];

/** A deterministic stream of numbers in [0, 1): the same queries on every run and every store. */
function sequence(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

/** Evenly spaced ids between the first and last of a range: a spread sample without ORDER BY random(). */
function spread(min: number, max: number, count: number): number[] {
  if (count <= 0 || max < min) return [];
  const step = (max - min + 1) / count;
  return Array.from({ length: count }, (_, i) => Math.floor(min + i * step));
}

async function realLocations(store: Store, month: string, count: number): Promise<LatLng[]> {
  const range = await store.db.selectFrom('crimes').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).where('month', '=', month).executeTakeFirstOrThrow();
  if (range.min === null || range.max === null) return [];
  const ids = spread(Number(range.min), Number(range.max), count * 2);
  const rows = await store.db
    .selectFrom('crimes as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.id', 'l.latitude', 'l.longitude'])
    .where('c.id', 'in', ids)
    .orderBy('c.id')
    .execute();
  return rows.slice(0, count).map((r) => ({ lat: r.latitude, lng: r.longitude }));
}

export function hexagon(centre: LatLng, radiusMetres: number): LatLng[] {
  const dLat = radiusMetres / 111_320;
  const dLng = dLat / Math.cos((centre.lat * Math.PI) / 180);
  return Array.from({ length: 6 }, (_, i) => {
    const a = (i * Math.PI) / 3;
    return { lat: centre.lat + dLat * Math.sin(a), lng: centre.lng + dLng * Math.cos(a) };
  });
}

async function crimeIdsToAsk(store: Store, month: string, count: number): Promise<string[]> {
  const withOutcomes = Math.ceil(count * 0.8);
  const range = await store.db.selectFrom('outcomes').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).executeTakeFirstOrThrow();
  const fromOutcomes =
    range.min === null || range.max === null
      ? []
      : (await store.db.selectFrom('outcomes').select('persistent_id').where('id', 'in', spread(Number(range.min), Number(range.max), withOutcomes)).orderBy('id').execute()).map((r) => r.persistent_id);
  const crimeRange = await store.db.selectFrom('crimes').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).where('month', '=', month).executeTakeFirstOrThrow();
  const fromCrimes =
    crimeRange.min === null || crimeRange.max === null
      ? []
      : (
          await store.db
            .selectFrom('crimes')
            .select('persistent_id')
            .where('id', 'in', spread(Number(crimeRange.min), Number(crimeRange.max), (count - fromOutcomes.length) * 3))
            .where('persistent_id', '!=', '')
            .orderBy('id')
            .execute()
        ).map((r) => r.persistent_id);
  return [...new Set([...fromOutcomes, ...fromCrimes])].slice(0, count);
}

/** Leicester centre in the first copy: the point API examples use, for the query plans. */
export function exampleCentre(set: DataSet): LatLng {
  const copy = set.layout[0]!;
  const c = CITY_CENTRES[0]!;
  return { lat: copy.moveLat(c.lat), lng: copy.moveLng(c.lng) };
}

export async function chooseQueries(store: Store, set: DataSet, counts: { points: number; polygons: number; outcomes: number }): Promise<QuerySet> {
  const month = set.months[set.months.length - 1]!;
  const random = sequence(20250101);
  const centres = Math.max(1, Math.round(counts.points * 0.1));
  const empty = Math.max(1, Math.round(counts.points * 0.1));
  const real = (await realLocations(store, month, counts.points - centres - empty)).map((p) => ({
    lat: p.lat + (random() - 0.5) * 0.0018,
    lng: p.lng + (random() - 0.5) * 0.0028,
  }));
  const dense: LatLng[] = Array.from({ length: centres }, (_, i) => {
    const copy = set.layout[i % set.layout.length]!;
    const c = CITY_CENTRES[Math.floor(i / set.layout.length) % CITY_CENTRES.length]!;
    return { lat: copy.moveLat(c.lat), lng: copy.moveLng(c.lng) };
  });
  // South of every copy, where no row was generated: the cost of an answer of [].
  const southEdge = Math.min(...set.placements.map((p) => p.centre.lat)) - 3;
  const nothing: LatLng[] = Array.from({ length: empty }, () => ({ lat: southEdge - random() * 2, lng: -6 + random() * 8 }));
  // Interleaved so each kind is spread over the whole run rather than bunched at the end.
  const points = [...real, ...dense, ...nothing]
    .map((p) => ({ p, k: random() }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.p);
  const polygonCentres = [...dense, ...real].slice(0, counts.polygons);
  return {
    month,
    points,
    polygons: polygonCentres.map((c) => hexagon(c, 1250)),
    crimeIds: await crimeIdsToAsk(store, month, counts.outcomes),
    mix: { realLocations: real.length, cityCentres: dense.length, empty: nothing.length },
  };
}

export function pointUrl(p: LatLng, month: string): string {
  return `/api/crimes-street/all-crime?lat=${p.lat.toFixed(6)}&lng=${p.lng.toFixed(6)}&date=${month}`;
}

export function polygonUrl(ring: LatLng[], month: string): string {
  return `/api/crimes-street/all-crime?poly=${ring.map((p) => `${p.lat.toFixed(6)},${p.lng.toFixed(6)}`).join(':')}&date=${month}`;
}

export function outcomeUrl(id: string): string {
  return `/api/outcomes-for-crime/${id}`;
}
