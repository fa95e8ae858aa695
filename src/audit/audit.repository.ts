/**
 * Writing and reading the audit log. There is deliberately no update or delete:
 * the only write is appendAudit.
 */
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { AuditLogTable, Database } from '../store/database.ts';
import type { Store, StoreKind } from '../store/store.ts';
import { GENESIS_HASH, auditHash } from './audit-hash.ts';
import { parseAuditEntry, type AuditEntryInput, type ValidAuditEntry } from './audit.schema.ts';

/** A stored audit entry. */
export type AuditRow = AuditLogTable;

/**
 * Key for pg_advisory_xact_lock: every writer of the chain takes it, so app servers
 * sharing one database append one at a time and the chain cannot fork. Any fixed
 * number works; this one spells "SAFE audit" loosely and is unlikely to collide.
 */
export const AUDIT_LOCK_KEY = 0x5afe_a0d1;

export interface AppendOptions {
  /** Clock for the entry's time; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * Appends one entry atomically and returns it as stored. The last entry is read,
 * the hash computed and the row inserted inside one write-locked transaction
 * (SQLite `BEGIN IMMEDIATE`; PostgreSQL a transaction-level advisory lock), so
 * concurrent writers, in one process or many, leave one unbroken chain.
 * @throws AuditValidationError when the entry is not valid.
 * @example await appendAudit(store, { action: 'auth.sign_in', actorId: 'p-17', actorOrg: 'hampshire', clientAddress: '203.0.113.9' });
 */
export async function appendAudit(store: Store, input: AuditEntryInput, options: AppendOptions = {}): Promise<AuditRow> {
  const entry = parseAuditEntry(input);
  const now = options.now ?? (() => new Date());
  return withAuditLock(store, (conn) => appendLocked(conn, entry, now()));
}

/**
 * Runs `work` in a transaction on one connection that holds the audit chain's write
 * lock (SQLite `BEGIN IMMEDIATE`; PostgreSQL the advisory lock), committing when it
 * returns and rolling back when it throws. Changes that must be audited atomically,
 * and checks that must not race (the last administrator), run inside it and append
 * with appendLocked. `work` must use only the handle it is given: on SQLite the store's
 * own handle would wait for the connection this holds.
 */
export async function withAuditLock<T>(store: Store, work: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  // One checked-out connection, so BEGIN…COMMIT cannot interleave with other
  // statements (Kysely's SQLite driver hands the single connection out one at a time).
  return store.db.connection().execute(async (conn) => {
    if (store.kind === 'sqlite') {
      // IMMEDIATE takes the write lock before reading the tail, so another process
      // writing the same file waits (busy_timeout) instead of forking the chain.
      await sql`BEGIN IMMEDIATE`.execute(conn);
    } else {
      await sql`BEGIN`.execute(conn);
      await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(conn);
    }
    try {
      const result = await work(conn);
      await sql`COMMIT`.execute(conn);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Appends an entry inside the caller's transaction, so the change and its audit
 * entry commit or roll back together: a change is never left unaudited, and an
 * entry never records a change that did not happen. On PostgreSQL the same advisory
 * lock as appendAudit keeps the chain single-file; on SQLite the transaction holds
 * the database's one write lock once it writes.
 */
export async function appendAuditWithin(tx: Transaction<Database>, kind: StoreKind, input: AuditEntryInput, options: AppendOptions = {}): Promise<AuditRow> {
  const entry = parseAuditEntry(input);
  if (kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
  return appendLocked(tx, entry, (options.now ?? (() => new Date()))());
}

/** Appends a validated entry (parseAuditEntry) on a connection that already holds the chain lock. */
export async function appendLocked(conn: Kysely<Database>, entry: ValidAuditEntry, at: Date): Promise<AuditRow> {
  const last = await conn.selectFrom('audit_log').select(['sequence', 'hash']).orderBy('sequence', 'desc').limit(1).executeTakeFirst();
  const unhashed = {
    sequence: (last?.sequence ?? 0) + 1,
    occurred_at: at.toISOString(),
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
  const row: AuditRow = { ...unhashed, hash: auditHash(unhashed) };
  await conn.insertInto('audit_log').values(row).execute();
  return row;
}

export interface AuditFilter {
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  /** ISO time, inclusive. */
  since?: string;
  /** ISO time, exclusive. */
  until?: string;
  /** Only entries with a smaller sequence: the next page after the last one shown. */
  beforeSequence?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/**
 * The administration pages' filter: listAudit's plus an action, and the
 * organisations whose entries the reader may see.
 */
export interface AdminAuditFilter {
  actorId?: string;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  /** ISO time, inclusive. */
  since?: string;
  /** ISO time, exclusive. */
  until?: string;
  beforeSequence?: number;
  /** Only entries whose actor_org is one of these; null for every entry. An empty list matches nothing. */
  actorOrgs: readonly string[] | null;
  limit: number;
}

/** The conditions both audit listings share (the command line's and the administration pages'). */
type AuditQuery = SelectQueryBuilder<Database, 'audit_log', AuditRow>;

function whereAuditFilter(query: AuditQuery, filter: Omit<AuditFilter, 'limit'>): AuditQuery {
  let q = query;
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId);
  if (filter.subjectType !== undefined) q = q.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId !== undefined) q = q.where('subject_id', '=', filter.subjectId);
  if (filter.since !== undefined) q = q.where('occurred_at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('occurred_at', '<', filter.until);
  if (filter.beforeSequence !== undefined) q = q.where('sequence', '<', filter.beforeSequence);
  return q;
}

/** One page for the administration pages, newest first, and whether there are older entries after it. */
export async function findAuditPage(db: Kysely<Database>, filter: AdminAuditFilter): Promise<{ rows: AuditRow[]; more: boolean }> {
  if (filter.actorOrgs !== null && filter.actorOrgs.length === 0) return { rows: [], more: false };
  let query = whereAuditFilter(db.selectFrom('audit_log').selectAll(), filter);
  if (filter.actorOrgs !== null) query = query.where('actor_org', 'in', [...filter.actorOrgs]);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  const rows = await query.orderBy('sequence', 'desc').limit(filter.limit + 1).execute();
  return { rows: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}

/** Up to `limit` entries after `afterSequence`, oldest first: one page of the chain as verification walks it. */
export async function auditEntriesAfter(db: Kysely<Database>, afterSequence: number, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('sequence', '>', afterSequence).orderBy('sequence', 'asc').limit(limit).execute();
}

/** Entries matching the filter, newest first. */
export async function listAudit(store: Store, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 1000);
  return whereAuditFilter(store.db.selectFrom('audit_log').selectAll(), filter).orderBy('sequence', 'desc').limit(limit).execute();
}
