/**
 * The little geometry the API needs: distances on the Earth, bounding boxes and
 * point-in-polygon. Coordinates are WGS84 degrees, as data.police.uk publishes them.
 */

export interface Point {
  latitude: number;
  longitude: number;
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
}

/** One statute mile in metres: upstream's radius for point queries. */
export const MILE_METRES = 1609.344;
const EARTH_RADIUS_METRES = 6371008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: Point, b: Point): number {
  const dLat = (b.latitude - a.latitude) * RAD;
  const dLng = (b.longitude - a.longitude) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * RAD) * Math.cos(b.latitude * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The smallest latitude/longitude box that holds every point within `metres` of `centre`. */
export function boxAround(centre: Point, metres: number): Box {
  const dLat = (metres / EARTH_RADIUS_METRES) / RAD;
  const cosLat = Math.cos(centre.latitude * RAD);
  const dLng = cosLat < 1e-9 ? 180 : Math.min(180, dLat / cosLat);
  // A small margin keeps points exactly on the circle inside the box despite rounding.
  const margin = 1e-7;
  return {
    minLat: centre.latitude - dLat - margin,
    maxLat: centre.latitude + dLat + margin,
    minLng: centre.longitude - dLng - margin,
    maxLng: centre.longitude + dLng + margin,
  };
}

export function boxOf(points: readonly Point[]): Box {
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLng = Infinity;
  let maxLng = -Infinity;
  for (const p of points) {
    if (p.latitude < minLat) minLat = p.latitude;
    if (p.latitude > maxLat) maxLat = p.latitude;
    if (p.longitude < minLng) minLng = p.longitude;
    if (p.longitude > maxLng) maxLng = p.longitude;
  }
  return { minLat, maxLat, minLng, maxLng };
}

/** Even-odd ray casting; the ring may be open or closed. Points on an edge may fall either way. */
export function pointInPolygon(p: Point, ring: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.latitude > p.latitude !== b.latitude > p.latitude) {
      const lngAtLat = ((b.longitude - a.longitude) * (p.latitude - a.latitude)) / (b.latitude - a.latitude) + a.longitude;
      if (p.longitude < lngAtLat) inside = !inside;
    }
  }
  return inside;
}

/** A point on a flat plane (a local projection of latitude and longitude). */
export interface Xy {
  x: number;
  y: number;
}

const cross = (o: Xy, a: Xy, b: Xy) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
const within = (p: Xy, q: Xy, r: Xy) => Math.min(p.x, q.x) <= r.x && r.x <= Math.max(p.x, q.x) && Math.min(p.y, q.y) <= r.y && r.y <= Math.max(p.y, q.y);

/**
 * True when segments ab and cd cross or touch. Touching and overlapping collinear
 * edges count: for a drawn outline they make it ambiguous, and for two areas they
 * mean the areas meet.
 */
export function segmentsMeet(a: Xy, b: Xy, c: Xy, d: Xy): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 === 0 && within(c, d, a)) || (d2 === 0 && within(c, d, b)) || (d3 === 0 && within(a, b, c)) || (d4 === 0 && within(a, b, d));
}
