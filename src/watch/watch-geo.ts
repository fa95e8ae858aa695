/**
 * Geometry for Neighbourhood Watch: where a scheme's centre is, whether two
 * scheme areas overlap, how far a person is from a scheme, and the generalised
 * circle the public pages draw instead of the exact area (which could point at
 * members' streets). Planar arithmetic in kilometres around the shapes' latitude:
 * exact enough for areas the size of a town.
 */
import { randomBytes } from 'node:crypto';
import { boxOf, distanceMetres, MILE_METRES, segmentsMeet, type Box, type Point, type Xy } from '../geo/geo.ts';
import { pointInPolygon } from '../geo/geo.ts';

const KM_PER_DEGREE = 111.195;

function projector(refLat: number): (p: Point) => Xy {
  const cos = Math.cos((refLat * Math.PI) / 180);
  return (p) => ({ x: p.longitude * KM_PER_DEGREE * cos, y: p.latitude * KM_PER_DEGREE });
}

/** The ring without its closing point. */
export function openRing(ring: readonly Point[]): Point[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  const closed = ring.length > 1 && first && last && first.latitude === last.latitude && first.longitude === last.longitude;
  return closed ? ring.slice(0, -1) : [...ring];
}

/**
 * The area-weighted centroid of a simple polygon. For a strongly concave shape it
 * can fall outside the area; distances to it are then a little generous, which is
 * harmless for "how far is the nearest scheme".
 */
export function ringCentroid(ring: readonly Point[]): Point {
  const pts = openRing(ring);
  const refLat = pts.reduce((s, p) => s + p.latitude, 0) / pts.length;
  const refLng = pts.reduce((s, p) => s + p.longitude, 0) / pts.length;
  let twice = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    const ax = a.longitude - refLng;
    const ay = a.latitude - refLat;
    const bx = b.longitude - refLng;
    const by = b.latitude - refLat;
    const f = ax * by - bx * ay;
    twice += f;
    cx += (ax + bx) * f;
    cy += (ay + by) * f;
  }
  if (Math.abs(twice) < 1e-18) return { latitude: refLat, longitude: refLng };
  return { latitude: refLat + cy / (3 * twice), longitude: refLng + cx / (3 * twice) };
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.minLat <= b.maxLat && b.minLat <= a.maxLat && a.minLng <= b.maxLng && b.minLng <= a.maxLng;
}

/**
 * Whether two areas overlap: any edge of one crosses (or touches) an edge of the
 * other, or a vertex of one lies inside the other (one wholly inside the other).
 * O(n·m) edge pairs after a bounding-box check; areas have at most 200 corners.
 */
export function ringsIntersect(a: readonly Point[], b: readonly Point[]): boolean {
  const ra = openRing(a);
  const rb = openRing(b);
  if (ra.length < 3 || rb.length < 3 || !boxesOverlap(boxOf(ra), boxOf(rb))) return false;
  const project = projector(ra[0]!.latitude);
  const pa = ra.map(project);
  const pb = rb.map(project);
  for (let i = 0; i < pa.length; i++) {
    for (let j = 0; j < pb.length; j++) {
      if (segmentsMeet(pa[i]!, pa[(i + 1) % pa.length]!, pb[j]!, pb[(j + 1) % pb.length]!)) return true;
    }
  }
  return pointInPolygon(ra[0]!, rb) || pointInPolygon(rb[0]!, ra);
}

/** A polygon of `sides` corners approximating a circle (a scheme chosen as "a distance around a postcode"). */
export function circleRing(centre: Point, metres: number, sides = 24): Point[] {
  const dLat = metres / 1000 / KM_PER_DEGREE;
  const dLng = dLat / Math.cos((centre.latitude * Math.PI) / 180);
  const ring: Point[] = [];
  for (let i = 0; i < sides; i++) {
    const t = (2 * Math.PI * i) / sides;
    ring.push({ latitude: round6(centre.latitude + dLat * Math.sin(t)), longitude: round6(centre.longitude + dLng * Math.cos(t)) });
  }
  return [...ring, ring[0]!];
}

export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Grid the public circle's centre snaps to: about 220 m north–south. */
const GENERALISE_DEGREES = 0.002;
const GENERALISE_STEP_METRES = 250;

/**
 * The circle the public sees: its centre snapped to a ~200 m grid and its radius
 * the farthest corner plus the snapping, rounded up to 250 m. It covers the whole
 * area but says nothing about which streets are in it.
 */
export function generalisedCircle(ring: readonly Point[], centre: Point): { latitude: number; longitude: number; radiusMetres: number } {
  const snap = (v: number) => Math.round(Math.round(v / GENERALISE_DEGREES) * GENERALISE_DEGREES * 1e6) / 1e6;
  const c = { latitude: snap(centre.latitude), longitude: snap(centre.longitude) };
  const farthest = Math.max(...openRing(ring).map((p) => distanceMetres(c, p)));
  const radiusMetres = Math.max(GENERALISE_STEP_METRES, Math.ceil(farthest / GENERALISE_STEP_METRES) * GENERALISE_STEP_METRES);
  return { ...c, radiusMetres };
}

/** "0.4 miles", "1 mile", "12 miles". */
export function milesText(metres: number): string {
  const miles = metres / MILE_METRES;
  const shown = miles < 10 ? Math.round(miles * 10) / 10 : Math.round(miles);
  return `${shown} ${shown === 1 ? 'mile' : 'miles'}`;
}

const BASE32 = 'abcdefghijkmnpqrstuvwxyz23456789'; // no l, o, 0, 1: easy to read aloud

/** A random, unguessable scheme id of 10 characters (50 bits). */
export function newSchemeId(): string {
  const bytes = randomBytes(10);
  return [...bytes].map((b) => BASE32[b & 31]).join('');
}

export const SCHEME_ID = /^[a-z2-9]{10}$/;
