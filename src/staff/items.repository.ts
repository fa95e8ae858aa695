/**
 * A neighbourhood's priorities and events as staff edit them, one row at a time.
 * Rows are keyed by their position, which new rows take after the last one and
 * edits and removals never change, so a position names the same row throughout.
 */
import type { Kysely } from 'kysely';
import { parseJsonColumn } from '../forces/forces.repository.ts';
import type { ContactDetails, NeighbourhoodEvent, NeighbourhoodPriority } from '../neighbourhoods/neighbourhood.types.ts';
import { insertNeighbourhoodEvents, updateNeighbourhoodEvent } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Database } from '../store/database.ts';
import type { Db } from './staff.repository.ts';

type ItemTable = 'neighbourhood_priorities' | 'neighbourhood_events';

export interface Positioned<T> {
  position: number;
  item: T;
}

/** The position after the neighbourhood's last row in the table (0 for the first). */
export async function nextPosition(db: Db, table: ItemTable | 'neighbourhood_people', forceId: string, id: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/** Removes one row; false when there was none at that position. */
export async function deleteItem(db: Db, table: ItemTable, forceId: string, id: string, position: number): Promise<boolean> {
  const result = await db.deleteFrom(table).where('force_id', '=', forceId).where('neighbourhood_id', '=', id).where('position', '=', position).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listPriorityRows(db: Kysely<Database>, forceId: string, id: string): Promise<Positioned<NeighbourhoodPriority>[]> {
  const rows = await db
    .selectFrom('neighbourhood_priorities')
    .select(['position', 'issue', 'issue_date', 'action', 'action_date'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .orderBy('position')
    .execute();
  return rows.map(({ position, ...item }) => ({ position, item }));
}

export async function insertPriority(db: Db, forceId: string, id: string, p: NeighbourhoodPriority): Promise<number> {
  const position = await nextPosition(db, 'neighbourhood_priorities', forceId, id);
  await db.insertInto('neighbourhood_priorities').values({ force_id: forceId, neighbourhood_id: id, position, ...p }).execute();
  return position;
}

/** False when there is no priority at that position. */
export async function updatePriority(db: Db, forceId: string, id: string, position: number, p: NeighbourhoodPriority): Promise<boolean> {
  const result = await db
    .updateTable('neighbourhood_priorities')
    .set({ ...p })
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .where('position', '=', position)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every event, past ones too, soonest first. */
export async function listEventRows(db: Kysely<Database>, forceId: string, id: string): Promise<Positioned<NeighbourhoodEvent>[]> {
  const rows = await db
    .selectFrom('neighbourhood_events')
    .select(['position', 'title', 'type', 'description', 'address', 'start_date', 'end_date', 'contact_details'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .orderBy('start_date')
    .orderBy('position')
    .execute();
  return rows.map(({ position, contact_details, ...rest }) => ({ position, item: { ...rest, contact_details: parseJsonColumn<ContactDetails>(contact_details) } }));
}

/** Adds an event after the last one, through the neighbourhoods' one writer of events. */
export async function insertEvent(db: Db, forceId: string, id: string, e: NeighbourhoodEvent): Promise<number> {
  const position = await nextPosition(db, 'neighbourhood_events', forceId, id);
  await insertNeighbourhoodEvents(db, forceId, id, position, [e]);
  return position;
}

/** Changes what the form edits; the event's contact details stay as they were. */
export async function updateEvent(db: Db, forceId: string, id: string, position: number, e: NeighbourhoodEvent): Promise<boolean> {
  return updateNeighbourhoodEvent(db, forceId, id, position, e);
}
