/**
 * Crime counts for the neighbourhood page and the trends pages, always as SQL
 * aggregates: a national store holds tens of millions of crimes, so months are
 * never loaded into memory here. A neighbourhood is the set of snap points
 * inside its boundary, as upstream's `crimes-street?poly=` defines it.
 */
import { sql } from 'kysely';
import { polygonArea, type Area } from '../geo/area.ts';
import { locationsInArea } from '../crime/locations.repository.ts';
import type { Point } from '../geo/geo.ts';
import { inIntegers } from '../store/sql-helpers.ts';
import type { Store } from '../store/store.ts';

/** Crimes of one category in one month. */
export interface MonthCategoryCount {
  month: string;
  category: string;
  count: number;
}

/** The polygon area for a boundary ring, or null when the boundary is unknown or degenerate. */
export function boundaryArea(ring: readonly Point[]): Area | null {
  if (ring.length < 4) return null;
  return polygonArea([...ring]);
}

/** Ids of the snap points inside the boundary; empty when the boundary is unknown. */
export async function snapPointIdsInBoundary(store: Store, ring: readonly Point[]): Promise<number[]> {
  const area = boundaryArea(ring);
  if (!area) return [];
  return [...(await locationsInArea(store.db, area)).keys()];
}

/**
 * Counts by month and category at the given snap points, for the months given
 * (one query whatever the number of months: the page asks for three at once).
 */
export async function countsAtLocations(store: Store, locationIds: readonly number[], months: readonly string[]): Promise<MonthCategoryCount[]> {
  if (locationIds.length === 0 || months.length === 0) return [];
  const rows = await store.db
    .selectFrom('crimes as c')
    .select(['c.month', 'c.category', sql<number | string>`count(*)`.as('n')])
    .where('c.month', 'in', [...months])
    .where(inIntegers(store, 'c.location_id', locationIds))
    .groupBy(['c.month', 'c.category'])
    .execute();
  // PostgreSQL answers count(*) as a bigint string.
  return rows.map((r) => ({ month: r.month, category: r.category, count: Number(r.n) }));
}

/** Counts by month and category at the snap points over an inclusive month range. */
export async function countsAtLocationsBetween(store: Store, locationIds: readonly number[], first: string, last: string): Promise<MonthCategoryCount[]> {
  if (locationIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('crimes as c')
    .select(['c.month', 'c.category', sql<number | string>`count(*)`.as('n')])
    .where('c.month', '>=', first)
    .where('c.month', '<=', last)
    .where(inIntegers(store, 'c.location_id', locationIds))
    .groupBy(['c.month', 'c.category'])
    .execute();
  return rows.map((r) => ({ month: r.month, category: r.category, count: Number(r.n) }));
}

/** A force's own crimes (with or without a location) by month and category over an inclusive month range. */
export async function forceCountsBetween(store: Store, forceId: string, first: string, last: string): Promise<MonthCategoryCount[]> {
  const rows = await store.db
    .selectFrom('crimes as c')
    .select(['c.month', 'c.category', sql<number | string>`count(*)`.as('n')])
    .where('c.force_id', '=', forceId)
    .where('c.month', '>=', first)
    .where('c.month', '<=', last)
    .groupBy(['c.month', 'c.category'])
    .execute();
  return rows.map((r) => ({ month: r.month, category: r.category, count: Number(r.n) }));
}

/**
 * Months for which the force published street crime, newest first. A month not
 * listed was not published, which is not the same as a month with no crime.
 */
export async function publishedStreetMonths(store: Store, forceId: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('publications')
    .select('month')
    .where('force_id', '=', forceId)
    .where('kind', '=', 'street')
    .orderBy('month', 'desc')
    .execute();
  return rows.map((r) => r.month);
}
