/**
 * The email outbox: every message is written here first and sent from here, so an
 * email queued inside a feature's transaction exists exactly when that feature's
 * change does, and a mail server that is down delays email instead of losing it.
 *
 *   queued ──claim──▶ sending ──▶ sent
 *     ▲                  │
 *     └──markFailed──────┤ (backoff: 1, 5, 15, 60, 180, 360 minutes)
 *                        └──▶ dead (after MAX_ATTEMPTS; an administrator may requeue it)
 *
 * Delivery is at least once: a sender that dies after the mail server accepted a
 * message but before markSent leaves a claim that runs out, and the message is
 * sent again. Exactly once is not possible across SMTP; a repeated verification
 * email is harmless, a lost one is not.
 */
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, OutboxTable } from '../store/database.ts';
import { OUTBOX_STATUSES, type OutboxStatus } from '../store/column-values.ts';

type Db = Kysely<Database> | Transaction<Database>;

export { OUTBOX_STATUSES, type OutboxStatus };

/** A stored message. */
export type OutboxMessage = Selectable<OutboxTable>;
/** A message without its bodies, for lists. */
export type OutboxSummary = Omit<OutboxMessage, 'text_body' | 'html_body'>;

/** Minutes to wait after the 1st, 2nd, … failed attempt before the next one. */
export const BACKOFF_MINUTES = [1, 5, 15, 60, 180, 360] as const;
/** Attempts before a message is given up on (dead): one more than the waits, about ten hours in all. */
export const MAX_ATTEMPTS = BACKOFF_MINUTES.length + 1;
/** last_error is for people to read; a mail server's whole transcript is not. */
const MAX_ERROR_CHARS = 1000;

export interface NewOutboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The template it was rendered from, so an administrator can tell messages apart. */
  template: string;
}

/**
 * Adds a message, due now. Pass the caller's transaction to make the email part of
 * its change: rolled back, the email never existed.
 * @example await db.transaction().execute(async (trx) => { await createPerson(trx, …); await enqueueMail(trx, message, now); });
 */
export async function enqueueMail(db: Db, message: NewOutboxMessage, now: Date): Promise<OutboxMessage> {
  const at = now.toISOString();
  const row = await db
    .insertInto('outbox')
    .values({
      to_address: message.to,
      subject: message.subject,
      text_body: message.text,
      html_body: message.html,
      template: message.template,
      status: 'queued',
      next_attempt_at: at,
      claimed_until: null,
      last_error: null,
      created_at: at,
      sent_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return row;
}

/**
 * Placeholders tell the dialects apart through Kysely's public API ($1 on PostgreSQL,
 * ? on SQLite), so callers pass a plain Kysely handle rather than the store.
 */
function isPostgres(db: Db): boolean {
  return db.selectFrom('outbox').select('id').where('id', '=', 0).compile().sql.includes('$1');
}

/**
 * Claims up to `limit` due messages for `claimSeconds` and returns them (oldest due
 * first), each with its attempt counted. Due means queued with next_attempt_at
 * reached, or 'sending' with a claim that ran out (its sender crashed or hung).
 *
 * Two app servers never get the same message: the choice and the claim are one
 * statement. On PostgreSQL the choice is SELECT … FOR UPDATE SKIP LOCKED, which passes
 * over rows another server is claiming at that moment and re-checks the due test on
 * a row that another server changed and committed meanwhile. On SQLite one statement
 * runs under the database's single write lock.
 *
 * The attempt is counted when claimed, not when it fails, so a message that crashes
 * its sender every time still reaches MAX_ATTEMPTS; one whose claim runs out on its
 * last attempt is marked dead here rather than sent again.
 * @param claimSeconds longer than the longest delivery can take (SMTP timeouts included).
 */
export async function claimDueMail(db: Db, now: Date, limit: number, claimSeconds: number): Promise<OutboxMessage[]> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + claimSeconds * 1000).toISOString();
  await db
    .updateTable('outbox')
    .set({ status: 'dead', claimed_until: null, last_error: 'Gave up: the sender stopped during the last attempt (claim expired)' })
    .where('status', '=', 'sending')
    .where('claimed_until', '<=', at)
    .where('attempts', '>=', MAX_ATTEMPTS)
    .execute();

  const due = (eb: ExpressionBuilder<Database, 'outbox'>) =>
    eb.or([
      eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', at)]),
      eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<=', at), eb('attempts', '<', MAX_ATTEMPTS)]),
    ]);
  const chosen = (qb: Db) => qb.selectFrom('outbox').select('id').where(due).orderBy('next_attempt_at').orderBy('id').limit(limit);
  const claim = { status: 'sending', claimed_until: until } as const;

  let rows: OutboxMessage[];
  if (isPostgres(db)) {
    // The choice is a MATERIALIZED CTE so it runs once. Written as `id IN (SELECT …)`,
    // PostgreSQL may plan a nested-loop semi-join that re-runs the locking subquery for
    // every outer row, and each re-run skips the rows just claimed and returns the next
    // ones: the LIMIT would not hold.
    rows = await db
      .with((cte) => cte('chosen').materialized(), () => chosen(db).forUpdate().skipLocked())
      .updateTable('outbox')
      .from('chosen')
      .set((eb) => ({ ...claim, attempts: eb('outbox.attempts', '+', 1) }))
      .whereRef('outbox.id', '=', 'chosen.id')
      .returningAll('outbox')
      .execute();
  } else {
    // SQLite runs an uncorrelated IN (SELECT …) once, and the statement under its write lock.
    rows = await db
      .updateTable('outbox')
      .set((eb) => ({ ...claim, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', chosen(db))
      .returningAll()
      .execute();
  }
  // RETURNING gives no order guarantee.
  return rows.sort((a, b) => a.next_attempt_at.localeCompare(b.next_attempt_at) || a.id - b.id);
}

/**
 * Records delivery. Not conditional on the claim: if a slow sender's claim ran out and
 * another sender holds the message now, it was still delivered, and saying so stops a
 * further copy.
 */
/**
 * Marks a message sent and takes the one-time secrets out of its stored copy: once
 * the recipient has the link, a copy of the outbox (a backup, a database reader)
 * must not be a way to accept their invitation or reset their password.
 */
export async function markSent(db: Db, id: number, now: Date): Promise<void> {
  const bodies = await db.selectFrom('outbox').select(['text_body', 'html_body']).where('id', '=', id).executeTakeFirst();
  await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: now.toISOString(),
      claimed_until: null,
      last_error: null,
      ...(bodies ? { text_body: redactSecrets(bodies.text_body), html_body: redactSecrets(bodies.html_body) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Replaces the values of `token=` and `key=` in links (one-time tokens, secret conversation keys). */
export function redactSecrets(body: string): string {
  return body.replace(/([?&](?:amp;)?(?:token|key)=)[^&\s"'<>]+/g, '$1[removed-after-sending]');
}

/** Minutes to wait after the given number of failed attempts (1 → 1 minute, 2 → 5, …). */
export function backoffMinutes(attempts: number): number {
  const index = Math.min(Math.max(attempts, 1), BACKOFF_MINUTES.length) - 1;
  return BACKOFF_MINUTES[index]!;
}

/**
 * Records a failed attempt: queued again after the backoff for its attempt count, or
 * dead once MAX_ATTEMPTS attempts have failed. Only a message still being sent is
 * changed, so a late failure cannot undo another sender's success.
 * @returns the status it now has, or null when it was not being sent.
 */
export async function markFailed(db: Db, id: number, error: string, now: Date): Promise<'queued' | 'dead' | null> {
  const row = await db.selectFrom('outbox').select(['attempts', 'status']).where('id', '=', id).executeTakeFirst();
  if (!row || row.status !== 'sending') return null;
  const dead = row.attempts >= MAX_ATTEMPTS;
  const next = dead ? now : new Date(now.getTime() + backoffMinutes(row.attempts) * 60_000);
  const result = await db
    .updateTable('outbox')
    .set({
      status: dead ? 'dead' : 'queued',
      next_attempt_at: next.toISOString(),
      claimed_until: null,
      last_error: error.slice(0, MAX_ERROR_CHARS) || 'Unknown error',
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    // The row read above must be the row changed: another sender may have reclaimed it since.
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return null;
  return dead ? 'dead' : 'queued';
}

export interface OutboxFilter {
  status?: OutboxStatus;
  /** Part of the recipient's address, any case. */
  to?: string;
  /** At most this many, newest first. */
  limit: number;
  /** Only messages older than this id: the next page after the last one shown. */
  before?: number;
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Messages matching the filter, newest first, without their bodies. */
export async function listOutbox(db: Db, filter: OutboxFilter): Promise<OutboxSummary[]> {
  const limit = Math.min(Math.max(Math.trunc(filter.limit), 1), 500);
  let query = db
    .selectFrom('outbox')
    .select(['id', 'to_address', 'subject', 'template', 'status', 'attempts', 'next_attempt_at', 'claimed_until', 'last_error', 'created_at', 'sent_at']);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.to !== undefined && filter.to !== '') {
    // SQLite has no LIKE escape character unless one is named.
    query = query.where(sql<boolean>`lower(to_address) like ${likePattern(filter.to)} escape '\\'`);
  }
  if (filter.before !== undefined) query = query.where('id', '<', filter.before);
  return query.orderBy('id', 'desc').limit(limit).execute();
}

/** One message with its bodies, or undefined. */
export async function findOutboxMessage(db: Db, id: number): Promise<OutboxMessage | undefined> {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Gives a dead message a fresh set of attempts, due now (an administrator does this
 * once the cause, such as a wrong SMTP password, is fixed). The last error is kept
 * until the next attempt replaces it.
 * @returns false when there is no such message or it is not dead.
 */
export async function requeueMessage(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'queued', attempts: 0, next_attempt_at: now.toISOString(), claimed_until: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
