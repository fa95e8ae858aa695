/**
 * Snap points: finding those inside an area, and the nearest one to a point.
 * Every area query starts here, so it is the one place that must never scan:
 * the (latitude, longitude) index narrows a one-mile circle to a thin band.
 */
import type { Kysely } from 'kysely';
import { areaContains, type Area } from '../geo/area.ts';
import { distanceMetres, type Point } from '../geo/geo.ts';
import type { Database } from '../store/database.ts';

export interface SnapPoint {
  id: number;
  latitude: number;
  longitude: number;
  street_name: string;
}

/** Snap points inside the area (exactly: within the circle or the polygon). */
export async function locationsInArea(db: Kysely<Database>, area: Area): Promise<Map<number, SnapPoint>> {
  const rows = await db
    .selectFrom('locations')
    .select(['id', 'latitude', 'longitude', 'street_name'])
    .where('latitude', '>=', area.box.minLat)
    .where('latitude', '<=', area.box.maxLat)
    .where('longitude', '>=', area.box.minLng)
    .where('longitude', '<=', area.box.maxLng)
    .execute();
  const inside = new Map<number, SnapPoint>();
  for (const row of rows) if (areaContains(area, row)) inside.set(row.id, row);
  return inside;
}

export async function locationById(db: Kysely<Database>, id: number): Promise<SnapPoint | undefined> {
  return db.selectFrom('locations').select(['id', 'latitude', 'longitude', 'street_name']).where('id', '=', id).executeTakeFirst();
}

export async function locationsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, SnapPoint>> {
  const unique = [...new Set(ids)];
  const found = new Map<number, SnapPoint>();
  // Chunked so the bound-variable count stays far below either store's limit.
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('locations')
      .select(['id', 'latitude', 'longitude', 'street_name'])
      .where('id', 'in', unique.slice(i, i + 5000))
      .execute();
    for (const r of rows) found.set(r.id, r);
  }
  return found;
}

/**
 * The nearest snap point to `point` among those `accept`ed, searching outwards
 * in growing boxes so a rural point still finds its nearest neighbour.
 */
export async function nearestLocation(
  db: Kysely<Database>,
  point: Point,
  accept: (candidates: SnapPoint[]) => Promise<SnapPoint[]>,
): Promise<SnapPoint | undefined> {
  for (const degrees of [0.005, 0.02, 0.08, 0.3]) {
    const candidates = await db
      .selectFrom('locations')
      .select(['id', 'latitude', 'longitude', 'street_name'])
      .where('latitude', '>=', point.latitude - degrees)
      .where('latitude', '<=', point.latitude + degrees)
      .where('longitude', '>=', point.longitude - degrees * 1.7)
      .where('longitude', '<=', point.longitude + degrees * 1.7)
      .execute();
    const accepted = await accept(candidates);
    if (accepted.length === 0) continue;
    // Only a candidate nearer than the box's half-width is sure to be the nearest overall.
    const best = accepted.reduce((a, b) => (distanceMetres(point, a) <= distanceMetres(point, b) ? a : b));
    if (distanceMetres(point, best) <= degrees * 111_000 || degrees === 0.3) return best;
  }
  return undefined;
}
