/**
 * The store reads the map needs beyond the month index: outcome histories of
 * the crimes at one snap point, and which forces published street crime when.
 */
import type { Kysely } from 'kysely';
import type { OutcomeEventRow } from '../crime/crime.repository.ts';
import type { Database } from '../store/database.ts';

/** Kept well under either store's bound-variable limit. */
const CHUNK = 500;

/**
 * Outcome histories of several crimes at once, each oldest first (month, then
 * the order the outcomes files listed them). One query per chunk rather than one
 * per crime: a busy snap point holds dozens of crimes.
 */
export async function outcomeHistories(db: Kysely<Database>, persistentIds: readonly string[]): Promise<Map<string, OutcomeEventRow[]>> {
  const unique = [...new Set(persistentIds.filter((id) => id !== ''))];
  const histories = new Map<string, OutcomeEventRow[]>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom('outcomes')
      .select(['persistent_id', 'month', 'outcome_code'])
      .where('persistent_id', 'in', unique.slice(i, i + CHUNK))
      .orderBy('month')
      .orderBy('id')
      .execute();
    for (const { persistent_id, ...event } of rows) {
      const list = histories.get(persistent_id);
      if (list) list.push(event);
      else histories.set(persistent_id, [event]);
    }
  }
  return histories;
}

export interface StreetPublication {
  force_id: string;
  month: string;
  rows: number;
}

/** Street-crime publications from `from` to `to` inclusive, optionally of one force. */
export async function streetPublications(db: Kysely<Database>, from: string, to: string, forceId: string | null): Promise<StreetPublication[]> {
  let query = db
    .selectFrom('publications')
    .select(['force_id', 'month', 'rows'])
    .where('kind', '=', 'street')
    .where('month', '>=', from)
    .where('month', '<=', to);
  if (forceId) query = query.where('force_id', '=', forceId);
  return query.orderBy('month', 'desc').orderBy('force_id').execute();
}

export interface ForceName {
  id: string;
  name: string;
  listed: number;
}

/** Every force, or the one asked for (empty when it does not exist). */
export async function forceNames(db: Kysely<Database>, forceId: string | null): Promise<ForceName[]> {
  let query = db.selectFrom('forces').select(['id', 'name', 'listed']);
  if (forceId) query = query.where('id', '=', forceId);
  return query.orderBy('name').execute();
}
