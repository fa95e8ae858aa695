/**
 * The store reads behind the map pages: the months with street crime, the
 * neighbourhood boundaries the map draws, a postcode's position, and the
 * aggregates of the area statistics. Counting is done by the store (GROUP BY),
 * never by loading crimes into memory: a drawn area can hold a year of a city.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { inIntegers } from '../store/sql-helpers.ts';
import type { Store } from '../store/store.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';

/** Months with any street crime published, newest first. */
export async function streetMonths(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('publications').select('month').distinct().where('kind', '=', 'street').orderBy('month', 'desc').execute();
  return rows.map((r) => r.month);
}

export interface BoundaryRow {
  force_id: string;
  id: string;
  name: string;
  boundary: LatLng[];
}

/** Neighbourhoods with a boundary, optionally only those whose box meets `box`. */
export async function neighbourhoodBoundaries(
  db: Kysely<Database>,
  box: { minLat: number; maxLat: number; minLng: number; maxLng: number } | null,
): Promise<BoundaryRow[]> {
  let query = db.selectFrom('neighbourhoods').select(['force_id', 'id', 'name', 'boundary']).where('boundary', '!=', '[]');
  if (box) {
    query = query
      .where('max_latitude', '>=', box.minLat)
      .where('min_latitude', '<=', box.maxLat)
      .where('max_longitude', '>=', box.minLng)
      .where('min_longitude', '<=', box.maxLng);
  }
  const rows = await query.orderBy('force_id').orderBy('id').execute();
  return rows.map((r) => ({
    ...r,
    boundary: (JSON.parse(r.boundary) as Array<[number, number]>).map(([latitude, longitude]) => ({ latitude, longitude })),
  }));
}

/** The box around every neighbourhood, where the map opens when no centre is given. */
export async function neighbourhoodsExtent(db: Kysely<Database>): Promise<{ minLat: number; maxLat: number; minLng: number; maxLng: number } | null> {
  const row = await db
    .selectFrom('neighbourhoods')
    .select((eb) => [
      eb.fn.min('min_latitude').as('minLat'),
      eb.fn.max('max_latitude').as('maxLat'),
      eb.fn.min('min_longitude').as('minLng'),
      eb.fn.max('max_longitude').as('maxLng'),
    ])
    .executeTakeFirst();
  if (!row || row.minLat === null || row.maxLat === null || row.minLng === null || row.maxLng === null) return null;
  return { minLat: Number(row.minLat), maxLat: Number(row.maxLat), minLng: Number(row.minLng), maxLng: Number(row.maxLng) };
}

export interface CategoryCount {
  force_id: string;
  category: string;
  crimes: number;
}

export interface OutcomeCount {
  outcome_code: string | null;
  last_outcome: string;
  crimes: number;
}

type Scope = { locationIds: readonly number[] } | { forceId: string };

function scoped(store: Store, scope: Scope, from: string, to: string) {
  const query = store.db.selectFrom('crimes').where('month', '>=', from).where('month', '<=', to);
  return 'forceId' in scope ? query.where('force_id', '=', scope.forceId) : query.where(inIntegers(store, 'location_id', scope.locationIds));
}

/** Crimes by force and category from `from` to `to`, at the snap points or in the whole force. */
export async function countByCategory(store: Store, scope: Scope, from: string, to: string): Promise<CategoryCount[]> {
  if ('locationIds' in scope && scope.locationIds.length === 0) return [];
  const rows = await scoped(store, scope, from, to)
    .select(['force_id', 'category', sql<number>`count(*)`.as('crimes')])
    .groupBy(['force_id', 'category'])
    .execute();
  return rows.map((r) => ({ ...r, crimes: Number(r.crimes) }));
}

/**
 * Crimes (anti-social behaviour excluded: it has no outcomes) by latest outcome:
 * the outcomes files' code where known, else the street file's name.
 */
export async function countByOutcome(store: Store, scope: Scope, from: string, to: string): Promise<OutcomeCount[]> {
  if ('locationIds' in scope && scope.locationIds.length === 0) return [];
  const rows = await scoped(store, scope, from, to)
    .where('category', '!=', 'anti-social-behaviour')
    .select(['outcome_code', 'last_outcome', sql<number>`count(*)`.as('crimes')])
    .groupBy(['outcome_code', 'last_outcome'])
    .execute();
  return rows.map((r) => ({ ...r, crimes: Number(r.crimes) }));
}

export async function forceName(db: Kysely<Database>, forceId: string): Promise<string> {
  const row = await db.selectFrom('forces').select('name').where('id', '=', forceId).executeTakeFirst();
  return row?.name ?? forceId;
}

/** The forces holding any neighbourhood, by id. */
export async function forcesWithNeighbourhoods(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('neighbourhoods').select('force_id').distinct().orderBy('force_id').execute();
  return rows.map((r) => r.force_id);
}
