/**
 * Crimes and their outcomes as stored: every query is keyed by month first,
 * which is how both the data and its indexes are laid out.
 */
import type { Kysely, Selectable } from 'kysely';
import type { CrimeTable, Database } from '../store/database.ts';
import { inIntegers } from '../store/sql-helpers.ts';
import type { Store } from '../store/store.ts';

const crimeColumns = [
  'c.id',
  'c.category',
  'c.persistent_id',
  'c.location_id',
  'c.location_type',
  'c.location_subtype',
  'c.context',
  'c.month',
  'c.last_outcome',
  'c.outcome_code',
  'c.outcome_month',
] as const;

/** A crime as the API needs it: the stored row less what only imports and summaries use. */
export type CrimeRow = Omit<Selectable<CrimeTable>, 'force_id' | 'lsoa_code' | 'lsoa_name'>;

/** Crimes of one month at the given snap points, optionally of one category. */
export async function crimesAtLocations(store: Store, month: string, locationIds: readonly number[], category: string | null): Promise<CrimeRow[]> {
  if (locationIds.length === 0) return [];
  let query = store.db
    .selectFrom('crimes as c')
    .select(crimeColumns)
    .where('c.month', '=', month)
    .where(inIntegers(store, 'c.location_id', locationIds));
  if (category) query = query.where('c.category', '=', category);
  // No ORDER BY: rows come in index order (month, location), which is stable, and
  // sorting a dense area's crimes by id costs a temporary B-tree per request.
  return query.execute();
}

/** Of the given snap points, those with at least one crime in the month. */
export async function locationsWithCrimes(store: Store, month: string, locationIds: readonly number[]): Promise<Set<number>> {
  if (locationIds.length === 0) return new Set();
  const rows = await store.db
    .selectFrom('crimes as c')
    .select('c.location_id')
    .distinct()
    .where('c.month', '=', month)
    .where(inIntegers(store, 'c.location_id', locationIds))
    .execute();
  return new Set(rows.map((r) => r.location_id).filter((id): id is number => id !== null));
}

export async function crimesWithoutLocation(db: Kysely<Database>, forceId: string, month: string, category: string | null): Promise<CrimeRow[]> {
  let query = db
    .selectFrom('crimes as c')
    .select(crimeColumns)
    .where('c.force_id', '=', forceId)
    .where('c.month', '=', month)
    .where('c.location_id', 'is', null);
  if (category) query = query.where('c.category', '=', category);
  return query.orderBy('c.id').execute();
}

/** A placed crime with its snap point's position and street, as the in-memory month index loads them. */
export type PlacedCrimeRow = CrimeRow & { latitude: number; longitude: number; street_name: string };

/** Every placed crime of the month with its snap point, grouped by snap point (then by id). */
export async function placedCrimesOfMonth(db: Kysely<Database>, month: string): Promise<PlacedCrimeRow[]> {
  return db
    .selectFrom('crimes as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select([
      'c.id', 'c.category', 'c.persistent_id', 'c.location_id', 'c.location_type', 'c.location_subtype', 'c.context',
      'c.month', 'c.last_outcome', 'c.outcome_code', 'c.outcome_month', 'l.latitude', 'l.longitude', 'l.street_name',
    ])
    .where('c.month', '=', month)
    .orderBy('c.location_id')
    .orderBy('c.id')
    .execute();
}

/**
 * Forces that published stop and search, month by month from `sinceMonth` on,
 * each month's forces in id order.
 */
export async function stopAndSearchPublishersSince(db: Kysely<Database>, sinceMonth: string): Promise<Array<{ month: string; force_id: string }>> {
  return db
    .selectFrom('publications')
    .select(['month', 'force_id'])
    .where('kind', '=', 'stop-and-search')
    .where('month', '>=', sinceMonth)
    .orderBy('force_id')
    .execute();
}

/** The crime's most recent street record (a crime id can recur across monthly files). */
export async function crimeByPersistentId(db: Kysely<Database>, persistentId: string): Promise<CrimeRow | undefined> {
  return db
    .selectFrom('crimes as c')
    .select(crimeColumns)
    .where('c.persistent_id', '=', persistentId)
    .orderBy('c.month', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface OutcomeEventRow {
  month: string;
  outcome_code: string;
}

/** A crime's outcome history, oldest first. */
export async function outcomeHistory(db: Kysely<Database>, persistentId: string): Promise<OutcomeEventRow[]> {
  return db
    .selectFrom('outcomes')
    .select(['month', 'outcome_code'])
    .where('persistent_id', '=', persistentId)
    .orderBy('month')
    .orderBy('id')
    .execute();
}

export interface AreaOutcomeRow extends CrimeRow {
  outcome_event_month: string;
  outcome_event_code: string;
  outcome_location_id: number | null;
}

/**
 * Outcomes recorded in the month at the given snap points, each with the crime
 * it belongs to. An outcome whose crime's street record is not in the store is
 * left out: its crime object (category above all) cannot be given.
 */
export async function outcomesAtLocations(store: Store, month: string, locationIds: readonly number[]): Promise<AreaOutcomeRow[]> {
  if (locationIds.length === 0) return [];
  return store.db
    .selectFrom('outcomes as o')
    .innerJoin('crimes as c', 'c.persistent_id', 'o.persistent_id')
    .select([
      ...crimeColumns,
      'o.month as outcome_event_month',
      'o.outcome_code as outcome_event_code',
      'o.location_id as outcome_location_id',
    ])
    .where('o.month', '=', month)
    .where(inIntegers(store, 'o.location_id', locationIds))
    .orderBy('o.id')
    .execute();
}
