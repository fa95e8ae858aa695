/**
 * An administrative change and its audit entries as ONE transaction: either the
 * change is stored with its entries on the chain, or neither is. The whole change
 * runs under the audit chain's lock (withAuditLock).
 *
 * Holding the chain lock also serialises every audited change: a guard rail checked
 * inside `work` ("is this the last platform administrator?") cannot race another.
 */
import type { Kysely } from 'kysely';
import { appendLocked, withAuditLock } from '../audit/audit.repository.ts';
import { parseAuditEntry, type AuditEntryInput } from '../audit/audit.schema.ts';
import type { Database } from '../store/database.ts';
import type { Store } from '../store/store.ts';

export interface AuditedResult<T> {
  result: T;
  /** Entries to append, in order; validated before anything is written. */
  audit: AuditEntryInput[];
}

/**
 * Runs `work` on one connection inside a transaction holding the audit chain lock,
 * appends its entries, and commits. Anything thrown rolls everything back.
 * `work` must use only the handle it is given (on SQLite, store.db would wait for
 * the connection this holds).
 */
export async function auditedChange<T>(store: Store, now: () => Date, work: (db: Kysely<Database>) => Promise<AuditedResult<T>>): Promise<T> {
  return withAuditLock(store, async (conn) => {
    const { result, audit } = await work(conn);
    const entries = audit.map(parseAuditEntry);
    for (const entry of entries) await appendLocked(conn, entry, now());
    return result;
  });
}
