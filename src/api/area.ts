/**
 * The area a data.police.uk area route asks about: a one-mile circle around
 * `lat`,`lng`, or a polygon `poly=lat,lng:lat,lng:…`, with upstream's answers to
 * malformed input (400 for a bad point, 404 for a bad polygon, 502 for a polygon
 * of fewer than three points).
 */
import { fail } from '../errors.ts';
import { MILE_METRES, boxAround, boxOf, distanceMetres, pointInPolygon, type Box, type Point } from '../geo/geo.ts';

export type Area =
  | { kind: 'circle'; centre: Point; radiusMetres: number; box: Box }
  | { kind: 'polygon'; ring: Point[]; box: Box };

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

function coordinate(value: unknown): number | undefined {
  if (typeof value !== 'string' || !NUMBER.test(value)) return undefined;
  return Number(value);
}

export function parsePoint(lat: unknown, lng: unknown): Point {
  const latitude = coordinate(lat);
  const longitude = coordinate(lng);
  if (latitude === undefined || longitude === undefined) fail('SC_ERR_BAD_LOCATION');
  return { latitude, longitude };
}

export function parsePoly(poly: string): Point[] {
  const ring: Point[] = [];
  for (const pair of poly.split(':')) {
    if (pair.trim() === '') continue;
    const parts = pair.split(',');
    if (parts.length !== 2) fail('SC_ERR_BAD_POLY');
    const latitude = coordinate(parts[0]);
    const longitude = coordinate(parts[1]);
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
    const ring = parsePoly(poly);
    return { kind: 'polygon', ring, box: boxOf(ring) };
  }
  if (poly !== undefined && typeof poly !== 'string') fail('SC_ERR_BAD_POLY');
  const centre = parsePoint(params.lat, params.lng);
  return { kind: 'circle', centre, radiusMetres: MILE_METRES, box: boxAround(centre, MILE_METRES) };
}

export function areaContains(area: Area, p: Point): boolean {
  return area.kind === 'circle' ? distanceMetres(area.centre, p) <= area.radiusMetres : pointInPolygon(p, area.ring);
}
