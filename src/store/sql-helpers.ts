/**
 * The few SQL fragments that must be spelt differently in SQLite and PostgreSQL.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Store } from './store.ts';

/**
 * `column IN (ids)` for a list of any length: SQLite reads it from one JSON
 * parameter, PostgreSQL from one array parameter, so neither hits a limit on
 * the number of bound variables.
 */
export function inIntegers(store: Store, column: string, ids: readonly number[]): RawBuilder<boolean> {
  return store.kind === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
    : sql<boolean>`${sql.ref(column)} = ANY(${[...ids]}::int[])`;
}
