/**
 * An area crimes, stops and snap points are looked up in: a circle around a point, or
 * a polygon with indexed point-in-polygon work and an optional budget of that work
 * (a request's own polygon has one: src/api/area.ts reads it from the request).
 */
import { fail } from '../errors.ts';
import { PolygonIndex, boxOf, distanceMetres, type Box, type Point } from './geo.ts';

export type Area =
  | { kind: 'circle'; centre: Point; radiusMetres: number; box: Box }
  | { kind: 'polygon'; ring: Point[]; box: Box; index: PolygonIndex; maxEdgeTests: number };

/** A polygon area whose point-in-polygon work is indexed and, for a request's own polygon, budgeted. */
export function polygonArea(ring: Point[], maxEdgeTests = Infinity): Area {
  return { kind: 'polygon', ring, box: boxOf(ring), index: new PolygonIndex(ring), maxEdgeTests };
}

export function areaContains(area: Area, p: Point): boolean {
  if (area.kind === 'circle') return distanceMetres(area.centre, p) <= area.radiusMetres;
  const inside = area.index.contains(p);
  if (area.index.edgeTests > area.maxEdgeTests) fail('SC_ERR_AREA_TOO_LARGE', 'The polygon needs more work than one request may take; split the area or simplify its outline');
  return inside;
}
