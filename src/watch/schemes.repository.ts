/**
 * Neighbourhood Watch schemes: reading them, and the little the other Watch
 * modules need (the coordinator's first name, the member count, whether a point
 * is inside a scheme's area). Writing schemes lives in start.repository.ts and
 * area-admin.repository.ts; the geometry in watch-geo.ts.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, WatchSchemeTable } from '../store/database.ts';
import type { JoinPolicy, SchemeBadge, SchemeStatus } from '../store/column-values.ts';
import type { Box, Point } from '../geo/geo.ts';
import { pointInPolygon } from '../geo/geo.ts';
import { onRing } from '../neighbourhoods/locate.ts';

export type Scheme = Selectable<WatchSchemeTable>;
export type { JoinPolicy, SchemeBadge, SchemeStatus };

/** The scheme with this id, whatever its status, or undefined. */
export async function findScheme(db: Kysely<Database>, id: string): Promise<Scheme | undefined> {
  return db.selectFrom('watch_schemes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The area column ([[lat, lng], …], closed) as points. */
export function schemeRing(scheme: Pick<Scheme, 'area'>): Point[] {
  const raw = JSON.parse(scheme.area) as [number, number][];
  return raw.map(([latitude, longitude]) => ({ latitude, longitude }));
}

/** Whether the point lies inside the scheme's area (a point on its edge counts as inside). */
export function isPointInScheme(scheme: Pick<Scheme, 'area' | 'min_latitude' | 'max_latitude' | 'min_longitude' | 'max_longitude'>, lat: number, lng: number): boolean {
  if (lat < scheme.min_latitude || lat > scheme.max_latitude || lng < scheme.min_longitude || lng > scheme.max_longitude) return false;
  const ring = schemeRing(scheme);
  const p = { latitude: lat, longitude: lng };
  return pointInPolygon(p, ring) || onRing(p, ring);
}

/** The first word of the active main coordinator's name, as they gave it; undefined when there is none. */
export async function schemeCoordinatorFirstName(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('watch_memberships')
    .select('name')
    .where('scheme_id', '=', id)
    .where('role', '=', 'coordinator')
    .where('status', '=', 'active')
    .orderBy('applied_at')
    .executeTakeFirst();
  if (!row) return undefined;
  const first = row.name.trim().split(/\s+/)[0];
  return first ? first : undefined;
}

/** Active memberships of the scheme, coordinators and deputies included. */
export async function activeMemberCount(db: Kysely<Database>, id: string): Promise<number> {
  const row = await db
    .selectFrom('watch_memberships')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('scheme_id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The neighbourhoods a scheme lies in, with their names, for links to their pages. */
export async function schemeNeighbourhoods(db: Kysely<Database>, id: string): Promise<{ force_id: string; id: string; name: string }[]> {
  return db
    .selectFrom('watch_scheme_neighbourhoods as s')
    .innerJoin('neighbourhoods as n', (j) => j.onRef('n.force_id', '=', 's.force_id').onRef('n.id', '=', 's.neighbourhood_id'))
    .select(['n.force_id', 'n.id', 'n.name'])
    .where('s.scheme_id', '=', id)
    .orderBy('n.name')
    .execute();
}

/** The scheme's public news, newest first. */
export async function publicNews(db: Kysely<Database>, id: string, limit = 20) {
  return db
    .selectFrom('watch_news')
    .select(['id', 'title', 'body', 'created_at'])
    .where('scheme_id', '=', id)
    .where('public', '=', 1)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The person's active role in the scheme, if any. */
export async function activeRoleIn(db: Kysely<Database>, schemeId: string, personId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('watch_memberships')
    .select('role')
    .where('scheme_id', '=', schemeId)
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row?.role;
}

/** Closes the scheme if it is active or pending; false when it was not open. */
export async function closeOpenScheme(db: Kysely<Database>, id: string, closedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('watch_schemes')
    .set({ status: 'closed', closed_at: closedAt })
    .where('id', '=', id)
    .where('status', 'in', ['active', 'pending'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Active schemes whose bounding box meets the box (the (status, min_latitude, max_latitude) index): candidates to measure exactly. */
export async function activeSchemesWithBoxMeeting(db: Kysely<Database>, box: Box) {
  return db
    .selectFrom('watch_schemes')
    .select(['id', 'name', 'badge', 'area', 'centre_latitude', 'centre_longitude', 'min_latitude', 'max_latitude', 'min_longitude', 'max_longitude'])
    .where('status', '=', 'active')
    .where('min_latitude', '<=', box.maxLat)
    .where('max_latitude', '>=', box.minLat)
    .where('min_longitude', '<=', box.maxLng)
    .where('max_longitude', '>=', box.minLng)
    .execute();
}
