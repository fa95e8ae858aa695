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

/**
 * The most corners any polygon we are given may have: the API's `poly`, an area
 * drawn on the crime map or for a Watch scheme, a boundary typed by staff.
 * data.police.uk's own neighbourhood boundaries run to a few thousand points and
 * clients send them back as `poly`, so this leaves room above the largest of
 * them; beyond it, reading the polygon and testing points against it cost more
 * than one request may take (55,000 corners took 0.6 s a request).
 */
export const MAX_POLYGON_VERTICES = 10_000;

/**
 * The non-empty pieces of `text` between `separator`s (one piece a corner), or
 * undefined when there are more than `max`. The one check of every polygon's
 * size: it stops at the first piece over the limit, so an oversized input costs
 * no more than a polygon at the limit. `max` may be lower (a drawn area's own
 * limit) but never higher than MAX_POLYGON_VERTICES.
 */
export function splitVertices(text: string, separator: RegExp, max: number = MAX_POLYGON_VERTICES): string[] | undefined {
  const limit = Math.min(max, MAX_POLYGON_VERTICES);
  const pattern = new RegExp(separator.source, 'g');
  const pieces: string[] = [];
  let start = 0;
  for (;;) {
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    const end = match ? match.index : text.length;
    const piece = text.slice(start, end);
    if (piece.trim() !== '') {
      if (pieces.length === limit) return undefined;
      pieces.push(piece);
    }
    if (!match) return pieces;
    start = end + Math.max(match[0].length, 1);
  }
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

/**
 * A ring prepared for testing many points, with the same answers as
 * pointInPolygon. Its edges are filed into horizontal bands (about the square
 * root of the corner count of them), and a point is tested against the edges of
 * its own band only: for an ordinary outline of n corners about 2√n edges
 * instead of n. A contrived outline (a comb whose every tooth spans every band)
 * still costs n a point, so `edgeTests` counts the work done, and a caller
 * answering a request can stop when it passes a budget.
 */
export class PolygonIndex {
  /** Edge tests made so far, across every call of contains. */
  edgeTests = 0;
  private readonly lat: Float64Array;
  private readonly lng: Float64Array;
  private readonly minLat: number;
  private readonly maxLat: number;
  private readonly bandHeight: number;
  private readonly bandCount: number;
  /** Band b's edges are edges[first[b]] to edges[first[b + 1] - 1]; edge k joins corner k to corner k + 1 (wrapping). */
  private readonly first: Int32Array;
  private readonly edges: Int32Array;

  constructor(ring: readonly Point[]) {
    const n = ring.length;
    this.lat = Float64Array.from(ring, (p) => p.latitude);
    this.lng = Float64Array.from(ring, (p) => p.longitude);
    const box = boxOf(ring);
    this.minLat = box.minLat;
    this.maxLat = box.maxLat;
    this.bandCount = Math.max(1, Math.ceil(Math.sqrt(n)));
    this.bandHeight = (this.maxLat - this.minLat) / this.bandCount || 1;
    // Two passes: count each band's edges, then file them (at most n × √n entries).
    const counts = new Int32Array(this.bandCount + 1);
    this.forEachEdgeBand(n, (band) => counts[band + 1]!++);
    for (let b = 0; b < this.bandCount; b++) counts[b + 1]! += counts[b]!;
    this.first = counts.slice();
    this.edges = new Int32Array(counts[this.bandCount]!);
    this.forEachEdgeBand(n, (band, edge) => (this.edges[counts[band]!++] = edge));
  }

  /** Whether `p` is inside, exactly as pointInPolygon(p, ring) answers. */
  contains(p: Point): boolean {
    const y = p.latitude;
    if (!(y >= this.minLat && y <= this.maxLat)) return false;
    const band = this.bandOf(y);
    const { lat, lng, edges } = this;
    const n = lat.length;
    const end = this.first[band + 1]!;
    let inside = false;
    this.edgeTests += end - this.first[band]!;
    for (let e = this.first[band]!; e < end; e++) {
      // The same arithmetic as pointInPolygon, with a = ring[i] and b = ring[i - 1].
      const j = edges[e]!;
      const i = j + 1 === n ? 0 : j + 1;
      const aLat = lat[i]!;
      const bLat = lat[j]!;
      if (aLat > y !== bLat > y) {
        const lngAtLat = ((lng[j]! - lng[i]!) * (y - aLat)) / (bLat - aLat) + lng[i]!;
        if (p.longitude < lngAtLat) inside = !inside;
      }
    }
    return inside;
  }

  private bandOf(latitude: number): number {
    const band = Math.floor((latitude - this.minLat) / this.bandHeight);
    return band < 0 ? 0 : band >= this.bandCount ? this.bandCount - 1 : band;
  }

  /** Calls `file` for every band an edge's latitudes reach; flat edges cross no east-west line and are left out. */
  private forEachEdgeBand(n: number, file: (band: number, edge: number) => void): void {
    for (let j = 0; j < n; j++) {
      const i = j + 1 === n ? 0 : j + 1;
      const lo = Math.min(this.lat[i]!, this.lat[j]!);
      const hi = Math.max(this.lat[i]!, this.lat[j]!);
      if (lo === hi) continue;
      const last = this.bandOf(hi);
      for (let band = this.bandOf(lo); band <= last; band++) file(band, j);
    }
  }
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
