/**
 * Neighbourhood reads for place search: by name across every force, one by
 * key with its force's name, and every boundary near a group of points.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';

export interface NamedNeighbourhood {
  forceId: string;
  neighbourhoodId: string;
  name: string;
  /** The force's name, or its id when the store has no record of the force. */
  forceName: string;
  /** Forces upstream lists first, so a station of an unlisted force (btp) does not outrank the local team. */
  listed: boolean;
}

/** LIKE treats % and _ as wildcards; a resident typing one means the character. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function named(r: { force_id: string; id: string; name: string; force_name: string | null; listed: number | null }): NamedNeighbourhood {
  return { forceId: r.force_id, neighbourhoodId: r.id, name: r.name, forceName: r.force_name ?? r.force_id, listed: (r.listed ?? 0) === 1 };
}

/** Neighbourhoods of every force whose name contains `text`, ignoring case; unordered. */
export async function neighbourhoodsNamedLike(db: Kysely<Database>, text: string): Promise<NamedNeighbourhood[]> {
  const rows = await db
    .selectFrom('neighbourhoods as n')
    .leftJoin('forces as f', 'f.id', 'n.force_id')
    .select(['n.force_id', 'n.id', 'n.name', 'f.name as force_name', 'f.listed'])
    .where(sql<boolean>`lower(n.name) like ${likePattern(text)} escape '\\'`)
    .execute();
  return rows.map(named);
}

/** One neighbourhood's name and force; undefined when unknown. */
export async function namedNeighbourhood(db: Kysely<Database>, forceId: string, id: string): Promise<NamedNeighbourhood | undefined> {
  const row = await db
    .selectFrom('neighbourhoods as n')
    .leftJoin('forces as f', 'f.id', 'n.force_id')
    .select(['n.force_id', 'n.id', 'n.name', 'f.name as force_name', 'f.listed'])
    .where('n.force_id', '=', forceId)
    .where('n.id', '=', id)
    .executeTakeFirst();
  return row ? named(row) : undefined;
}

export interface BoundaryNear extends NamedNeighbourhood {
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number };
  boundary: LatLng[];
}

/**
 * Neighbourhoods whose bounding box overlaps the box around `points`, in the
 * order locate-neighbourhood tries them (listed forces first, then by force and
 * id), so a point in two of them is given to the same one either way.
 */
export async function boundariesNear(db: Kysely<Database>, points: readonly LatLng[]): Promise<BoundaryNear[]> {
  if (points.length === 0) return [];
  const lats = points.map((p) => p.latitude);
  const lngs = points.map((p) => p.longitude);
  const rows = await db
    .selectFrom('neighbourhoods as n')
    .leftJoin('forces as f', 'f.id', 'n.force_id')
    .select(['n.force_id', 'n.id', 'n.name', 'f.name as force_name', 'f.listed', 'n.boundary', 'n.min_latitude', 'n.max_latitude', 'n.min_longitude', 'n.max_longitude'])
    .where('n.min_latitude', '<=', Math.max(...lats))
    .where('n.max_latitude', '>=', Math.min(...lats))
    .where('n.min_longitude', '<=', Math.max(...lngs))
    .where('n.max_longitude', '>=', Math.min(...lngs))
    .orderBy((eb) => eb.fn.coalesce('f.listed', eb.lit(0)), 'desc')
    .orderBy('n.force_id')
    .orderBy('n.id')
    .execute();
  return rows.map((r) => ({
    ...named(r),
    // The where clause has already excluded neighbourhoods without a box.
    box: { minLat: r.min_latitude ?? 0, maxLat: r.max_latitude ?? 0, minLng: r.min_longitude ?? 0, maxLng: r.max_longitude ?? 0 },
    boundary: (JSON.parse(r.boundary) as Array<[number, number]>).map(([latitude, longitude]) => ({ latitude, longitude })),
  }));
}
