/**
 * An administrative change and its audit entries as ONE transaction: either the
 * change is stored with its entries on the chain, or neither is. appendAudit opens
 * its own transaction, so it cannot join a change's; this takes the same chain lock
 * (SQLite `BEGIN IMMEDIATE`, PostgreSQL the audit advisory lock) around the work and
 * appends with the same hash (audit-hash.ts), so verifyAuditChain sees no difference.
 *
 * Holding the chain lock also serialises every audited change: a guard rail checked
 * inside `work` ("is this the last platform administrator?") cannot race another.
 */
import { sql, type Kysely } from 'kysely';
import { auditHash, GENESIS_HASH } from '../audit/audit-hash.ts';
import { AUDIT_LOCK_KEY } from '../audit/audit.repository.ts';
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
  return store.db.connection().execute(async (conn) => {
    if (store.kind === 'sqlite') {
      await sql`BEGIN IMMEDIATE`.execute(conn);
    } else {
      await sql`BEGIN`.execute(conn);
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(conn);
    }
    try {
      const { result, audit } = await work(conn);
      const entries = audit.map(parseAuditEntry);
      let last = await conn.selectFrom('audit_log').select(['sequence', 'hash']).orderBy('sequence', 'desc').limit(1).executeTakeFirst();
      for (const entry of entries) {
        const unhashed = {
          sequence: (last?.sequence ?? 0) + 1,
          occurred_at: now().toISOString(),
          actor_id: entry.actorId,
          actor_org: entry.actorOrg,
          action: entry.action,
          subject_type: entry.subjectType,
          subject_id: entry.subjectId,
          reason: entry.reason,
          client_address: entry.clientAddress,
          details: entry.details,
          prev_hash: last?.hash ?? GENESIS_HASH,
        };
        const row = { ...unhashed, hash: auditHash(unhashed) };
        await conn.insertInto('audit_log').values(row).execute();
        last = { sequence: row.sequence, hash: row.hash };
      }
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
