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
