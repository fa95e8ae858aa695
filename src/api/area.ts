/**
 * The area a data.police.uk area route asks about: a one-mile circle around
 * `lat`,`lng`, or a polygon `poly=lat,lng:lat,lng:…`, with upstream's answers to
 * malformed input (400 for a bad point, 404 for a bad polygon, 502 for a polygon
 * of fewer than three points). What one request may cost is bounded here: at most
 * MAX_POLYGON_VERTICES corners, a body no larger than they need, and a budget of
 * point-in-polygon work.
 */
import { fail } from '../errors.ts';
import { polygonArea, type Area } from '../geo/area.ts';
import { MAX_POLYGON_VERTICES, MILE_METRES, boxAround, splitVertices, type Point } from '../geo/geo.ts';

/**
 * The largest form body an area route reads: a polygon at the cap with every
 * coordinate at full double precision (17 digits, sign and point) and its commas
 * and colons percent-encoded is under 48 bytes a corner; 64 KiB more for the
 * other parameters. Fastify's default of 1 MiB let 55,000 corners in.
 */
export const AREA_BODY_LIMIT_BYTES = 64 * 1024 + MAX_POLYGON_VERTICES * 48;

/**
 * Point-in-polygon edge tests one request's polygon may make (about 0.1 s at worst). An
 * ordinary outline at the cap tests about 200 edges a point, so this is tens of
 * thousands of snap points, more than API_AREA_LIMIT lets through anyway; only a
 * contrived outline over a dense area reaches it, and is answered as an area too
 * large (503), on which clients split their areas.
 */
export const MAX_EDGE_TESTS = 8_000_000;

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A finite number within ±limit, or undefined: 400 digits read as Infinity and 91 is no latitude. */
function coordinate(value: unknown, limit: number): number | undefined {
  if (typeof value !== 'string' || !NUMBER.test(value)) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : undefined;
}

export function parsePoint(lat: unknown, lng: unknown): Point {
  const latitude = coordinate(lat, 90);
  const longitude = coordinate(lng, 180);
  if (latitude === undefined || longitude === undefined) fail('SC_ERR_BAD_LOCATION');
  return { latitude, longitude };
}

export function parsePoly(poly: string): Point[] {
  const pairs = splitVertices(poly, /:/);
  if (!pairs) fail('SC_ERR_POLY_TOO_MANY_POINTS', `poly has more than ${MAX_POLYGON_VERTICES} points; simplify the outline or split the area`);
  const ring: Point[] = [];
  for (const pair of pairs) {
    const parts = pair.split(',');
    if (parts.length !== 2) fail('SC_ERR_BAD_POLY');
    const latitude = coordinate(parts[0], 90);
    const longitude = coordinate(parts[1], 180);
    if (latitude === undefined || longitude === undefined) fail('SC_ERR_BAD_POLY');
    ring.push({ latitude, longitude });
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  // Upstream closes the ring itself; a closed ring sent by the client is fine too.
  if (first && last && ring.length > 1 && (first.latitude !== last.latitude || first.longitude !== last.longitude)) ring.push(first);
  if (ring.length < 4) fail('SC_ERR_POLY_TOO_FEW_POINTS');
  return ring;
}

/** Reads `poly`, or else `lat` and `lng`, from query or form parameters. */
export function parseArea(params: Record<string, unknown>): Area {
  const poly = params.poly;
  if (typeof poly === 'string' && poly !== '') {
    return polygonArea(parsePoly(poly), MAX_EDGE_TESTS);
  }
  if (poly !== undefined && typeof poly !== 'string') fail('SC_ERR_BAD_POLY');
  const centre = parsePoint(params.lat, params.lng);
  return { kind: 'circle', centre, radiusMetres: MILE_METRES, box: boxAround(centre, MILE_METRES) };
}
