/**
 * Stop and search records, by place or by force, one month at a time.
 */
import type { Kysely } from 'kysely';
import type { Database, StopTable } from '../store/database.ts';
import { inIntegers } from '../store/sql-helpers.ts';
import type { Store } from '../store/store.ts';

export type StopRow = Omit<StopTable, 'id'> & { id: number };

export async function stopsAtLocations(store: Store, month: string, locationIds: readonly number[]): Promise<StopRow[]> {
  if (locationIds.length === 0) return [];
  return store.db
    .selectFrom('stops')
    .selectAll()
    .where('month', '=', month)
    .where(inIntegers(store, 'location_id', locationIds))
    .orderBy('datetime')
    .orderBy('id')
    .execute();
}

/** A force's stops in a month: all of them, or only the unplaced ones. */
export async function stopsOfForce(db: Kysely<Database>, forceId: string, month: string, onlyUnplaced: boolean): Promise<StopRow[]> {
  let query = db.selectFrom('stops').selectAll().where('force_id', '=', forceId).where('month', '=', month);
  if (onlyUnplaced) query = query.where('location_id', 'is', null);
  return query.orderBy('datetime').orderBy('id').execute();
}
