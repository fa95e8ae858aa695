/**
 * The area a person asks about on the public pages: a polygon they drew
 * (`poly=lat,lng:lat,lng:…`) or a circle (`lat`, `lng`, `radius` in miles).
 * Unlike the compatible API, which mimics upstream's bare status codes, a bad
 * area here gets a sentence saying what to do, shown in a GOV.UK error summary.
 */
import { MAX_EDGE_TESTS } from '../api/area.ts';
import { polygonArea, type Area } from '../geo/area.ts';
import { boxAround, MILE_METRES, segmentsMeet, splitVertices, type Point } from '../geo/geo.ts';

/** Smaller than this holds at most a snap point or two: the figures would mean nothing. */
export const MIN_AREA_KM2 = 0.05;
/** Larger than a big county: a force-wide question is answered by the force figures. */
export const MAX_AREA_KM2 = 2_000;
/**
 * Corners a person may draw. Every edge is checked against every other for
 * crossings, so this is far below MAX_POLYGON_VERTICES, the cap on any polygon,
 * which splitVertices enforces; nobody draws 200 corners by hand.
 */
export const MAX_VERTICES = 200;
export const RADIUS_MILES = { min: 0.1, max: 10, default: 1 } as const;

export type DrawnArea = { area: Area; description: string; km2: number };
export type AreaResult = { ok: true; value: DrawnArea } | { ok: false; field: 'poly' | 'lat' | 'radius'; message: string };

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;
const KM_PER_DEGREE = 111.195;

const bad = (field: 'poly' | 'lat' | 'radius', message: string): AreaResult => ({ ok: false, field, message });

/** Planar x/y in km around a reference latitude: exact enough for areas the size of a county. */
function toKm(p: Point, refLat: number): { x: number; y: number } {
  return { x: p.longitude * KM_PER_DEGREE * Math.cos((refLat * Math.PI) / 180), y: p.latitude * KM_PER_DEGREE };
}

/** Area in km² of a ring (open or closed), by the shoelace formula. */
export function ringAreaKm2(ring: readonly Point[]): number {
  const refLat = ring.reduce((s, p) => s + p.latitude, 0) / Math.max(ring.length, 1);
  const pts = ring.map((p) => toKm(p, refLat));
  let twice = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return Math.abs(twice) / 2;
}

/** Whether any two non-adjacent edges of the open ring meet. O(n²), fine for MAX_VERTICES. */
export function selfIntersects(ring: readonly Point[]): boolean {
  const refLat = ring[0]?.latitude ?? 0;
  const pts = ring.map((p) => toKm(p, refLat));
  const n = pts.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex
      if (segmentsMeet(pts[i]!, pts[(i + 1) % n]!, pts[j]!, pts[(j + 1) % n]!)) return true;
    }
  }
  return false;
}

const squareKm = (km2: number) => (km2 < 0.01 ? 'under 0.01' : km2 < 10 ? km2.toFixed(2) : Math.round(km2).toLocaleString('en-GB'));

/** Reads and checks `poly`: corners separated by colons, or by `separator`. */
export function parseDrawnPolygon(text: string, separator = /:/): AreaResult {
  // One more than MAX_VERTICES: a closed ring repeats its first corner.
  const pairs = splitVertices(text, separator, MAX_VERTICES + 1);
  if (!pairs) return bad('poly', `The area has more than ${MAX_VERTICES} corners. Draw it with ${MAX_VERTICES} corners or fewer`);
  const ring: Point[] = [];
  for (const pair of pairs) {
    const parts = pair.split(',');
    if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) {
      return bad('poly', 'Enter the area as corners in the form latitude,longitude separated by colons, for example 52.60,0.70:52.61,0.72:52.59,0.73');
    }
    const latitude = Number(parts[0]);
    const longitude = Number(parts[1]);
    // Also refuses Infinity, which 400 digits read as.
    if (!(Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180)) {
      return bad('poly', 'Each corner must have a latitude from -90 to 90 and a longitude from -180 to 180');
    }
    const last = ring[ring.length - 1];
    if (!last || last.latitude !== latitude || last.longitude !== longitude) ring.push({ latitude, longitude });
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && ring.length > 1 && first.latitude === last.latitude && first.longitude === last.longitude) ring.pop();
  if (ring.length < 3) return bad('poly', 'The area needs at least 3 corners. Draw it again and add more points');
  if (selfIntersects(ring)) return bad('poly', 'The edges of the area cross each other. Draw it again so that no edges cross');
  const km2 = ringAreaKm2(ring);
  if (km2 < MIN_AREA_KM2) return bad('poly', `The area is too small (${squareKm(km2)} km²). Draw an area of at least ${MIN_AREA_KM2} square kilometres`);
  if (km2 > MAX_AREA_KM2) return bad('poly', `The area is too large (${squareKm(km2)} km²). Draw an area smaller than ${MAX_AREA_KM2.toLocaleString('en-GB')} square kilometres`);
  const closed = [...ring, ring[0]!];
  return { ok: true, value: { area: polygonArea(closed, MAX_EDGE_TESTS), description: `the area you drew (${ring.length} corners, ${squareKm(km2)} km²)`, km2 } };
}

/** Reads and checks a circle: `lat`, `lng` and an optional `radius` in miles. */
export function parseCircle(lat: string, lng: string, radius: string | undefined): AreaResult {
  if (!NUMBER.test(lat) || !NUMBER.test(lng) || !(Math.abs(Number(lat)) <= 90 && Math.abs(Number(lng)) <= 180)) {
    return bad('lat', 'Enter a latitude from -90 to 90 and a longitude from -180 to 180, for example 52.62 and 0.70');
  }
  const miles = radius === undefined || radius.trim() === '' ? RADIUS_MILES.default : NUMBER.test(radius) ? Number(radius) : NaN;
  if (!(miles >= RADIUS_MILES.min && miles <= RADIUS_MILES.max)) {
    return bad('radius', `Enter a distance from ${RADIUS_MILES.min} to ${RADIUS_MILES.max} miles`);
  }
  const centre = { latitude: Number(lat), longitude: Number(lng) };
  const metres = miles * MILE_METRES;
  const km2 = Math.PI * (metres / 1000) ** 2;
  const plural = miles === 1 ? 'mile' : 'miles';
  return {
    ok: true,
    value: {
      area: { kind: 'circle', centre, radiusMetres: metres, box: boxAround(centre, metres) },
      description: `${miles} ${plural} around ${centre.latitude.toFixed(4)}, ${centre.longitude.toFixed(4)}`,
      km2,
    },
  };
}

/** The area's query string, to carry it from one page to another. */
export function areaQuery(area: Area): Record<string, string> {
  if (area.kind === 'circle') {
    return { lat: area.centre.latitude.toFixed(6), lng: area.centre.longitude.toFixed(6), radius: String(+(area.radiusMetres / MILE_METRES).toFixed(3)) };
  }
  return { poly: area.ring.slice(0, -1).map((p) => `${+p.latitude.toFixed(6)},${+p.longitude.toFixed(6)}`).join(':') };
}
