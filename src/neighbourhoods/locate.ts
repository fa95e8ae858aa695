/**
 * Which neighbourhood covers a point: the store's bounding-box prefilter, then
 * the exact polygon test. A point exactly on a boundary counts as inside, so a
 * point on the line two neighbourhoods share still finds one of them.
 */
import type { Kysely } from 'kysely';
import { pointInPolygon } from '../geo/geo.ts';
import type { Database } from '../store/database.ts';
import type { LatLng } from './neighbourhood.types.ts';
import { neighbourhoodsWithBoxAround } from './neighbourhoods.repository.ts';

/** About 1 cm at UK latitudes: the precision published boundaries carry. */
const EDGE_TOLERANCE_DEGREES = 1e-7;

/** Whether `p` lies on a segment of the ring, within the tolerance. */
export function onRing(p: LatLng, ring: readonly LatLng[]): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    const dx = b.longitude - a.longitude;
    const dy = b.latitude - a.latitude;
    const lengthSquared = dx * dx + dy * dy;
    const t = lengthSquared === 0 ? 0 : ((p.longitude - a.longitude) * dx + (p.latitude - a.latitude) * dy) / lengthSquared;
    const clamped = Math.max(0, Math.min(1, t));
    const ex = a.longitude + clamped * dx - p.longitude;
    const ey = a.latitude + clamped * dy - p.latitude;
    if (ex * ex + ey * ey <= EDGE_TOLERANCE_DEGREES * EDGE_TOLERANCE_DEGREES) return true;
  }
  return false;
}

/** The first neighbourhood (listed forces first, then by id) whose boundary holds `point`. */
export async function locateNeighbourhood(db: Kysely<Database>, point: LatLng): Promise<{ force_id: string; id: string } | undefined> {
  for (const candidate of await neighbourhoodsWithBoxAround(db, point)) {
    if (pointInPolygon(point, candidate.boundary) || onRing(point, candidate.boundary)) {
      return { force_id: candidate.force_id, id: candidate.id };
    }
  }
  return undefined;
}
