/**
 * Refusals in the audit log without letting them flood it. Every refusal of a
 * signed-in person reaches the log, but not every one as an entry of its own:
 *
 * - the first refusal of a request (same actor, action, method, route and target) in
 *   a window is appended in full as 'access.denied';
 * - its repeats in the window are counted in `access_denials` and appended as one
 *   'access.denied.repeated' entry with the count once the window has closed, by the
 *   next refusal of that request or by housekeeping (summariseDenials);
 * - repeats beyond `repeatsBeforeThrottle` are answered 429, and so is every refusal
 *   of an actor over the per-actor limit; those are still counted, per route without
 *   their targets, so probing many records cannot add an entry for each.
 *
 * So a security officer sees every refused actor, route and target tried, and how
 * many attempts, while one person can add only a bounded number of entries a window.
 * Counting a repeat is one atomic UPDATE and takes no lock on the chain; starting a
 * window (and summarising the last) appends under the chain's lock in one transaction
 * with the row's reset, so a count is never written twice or lost.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AccessDenialTable, Database } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import { hitRateLimit, throttleKey, type DenialPolicy } from '../throttle/throttle.repository.ts';
import { THROTTLE_SCOPES } from '../throttle/throttle.policies.ts';
import { appendLocked, withAuditLock } from './audit.repository.ts';
import { parseAuditEntry } from './audit.schema.ts';

export interface Denial {
  actorId: string;
  actorOrg: string | null;
  clientAddress: string | null;
  /** The action the route needs. */
  wanted: string;
  method: string;
  /** The route's pattern (/admin/organisations/:org), not the URL. */
  route: string;
  /** What the action was to be done to; null for "somewhere". */
  target: Record<string, unknown> | null;
  /** Why, when a route refuses by a rule of its own beyond the permission table: the entry's reason. */
  rule?: string;
}

export interface DenialOutcome {
  /** Answer 429 (with Retry-After) rather than 403. */
  throttled: boolean;
  retryAfterSeconds: number;
}

type Row = AccessDenialTable;

const ceilSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function rowKey(denial: Denial, overActorLimit: boolean): string {
  const parts = [denial.actorId, denial.wanted, denial.method, denial.route, overActorLimit ? null : denial.target, overActorLimit];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/**
 * Records one refusal and says how to answer it.
 * @example const outcome = await recordDenial(ctx.store, ctx.config.SECRET_KEY, denial, ACCESS_DENIALS, ctx.now());
 */
export async function recordDenial(store: Store, secretKey: string, given: Denial, policy: DenialPolicy, now: Date): Promise<DenialOutcome> {
  // Checked now, not when the summary is written: a value the log refuses would stop housekeeping.
  const denial = { ...given, clientAddress: given.clientAddress !== null && /^[0-9A-Za-z.:%_-]{1,64}$/.test(given.clientAddress) ? given.clientAddress : null };
  parseAuditEntry({ action: 'access.denied', actorId: denial.actorId, actorOrg: denial.actorOrg, details: { wanted: denial.wanted, method: denial.method, route: denial.route, target: denial.target } });
  const actor = await hitRateLimit(store.db, throttleKey(secretKey, THROTTLE_SCOPES.accessDeniedActor, denial.actorId), policy.perActor, now);
  const overActorLimit = !actor.allowed;
  const key = rowKey(denial, overActorLimit);
  const windowEnd = (row: Pick<Row, 'window_started_at'>) => Date.parse(row.window_started_at) + policy.windowSeconds * 1000;
  const outcome = (row: Pick<Row, 'window_started_at' | 'pending'> | null): DenialOutcome => {
    if (overActorLimit) return { throttled: true, retryAfterSeconds: actor.retryAfterSeconds };
    if (row !== null && row.pending > policy.repeatsBeforeThrottle) return { throttled: true, retryAfterSeconds: ceilSeconds(windowEnd(row) - now.getTime()) };
    return { throttled: false, retryAfterSeconds: 0 };
  };
  // Whether this refusal, if a repeat, will be answered 429: decided from the count it makes.
  const throttledSql = overActorLimit ? sql<number>`1` : sql<number>`CASE WHEN ${sql.ref('pending')} + 1 > ${policy.repeatsBeforeThrottle} THEN 1 ELSE 0 END`;
  const countRepeat = (conn: Kysely<Database>, withinWindow: boolean) => {
    let query = conn
      .updateTable('access_denials')
      .set({
        pending: sql<number>`${sql.ref('pending')} + 1`,
        throttled: sql<number>`${sql.ref('throttled')} + ${throttledSql}`,
        last_at: now.toISOString(),
        client_address: denial.clientAddress,
      })
      .where('key', '=', key);
    if (withinWindow) query = query.where('window_started_at', '>', new Date(now.getTime() - policy.windowSeconds * 1000).toISOString());
    return query.returning(['window_started_at', 'pending']).executeTakeFirst();
  };

  // The common case under a flood: a repeat in a running window, counted without the chain's lock.
  const repeat = await countRepeat(store.db, true);
  if (repeat !== undefined) return outcome(repeat);

  return withAuditLock(store, async (conn) => {
    const old = await conn.selectFrom('access_denials').selectAll().where('key', '=', key).executeTakeFirst();
    if (old !== undefined) {
      // Another server started the window meanwhile: a repeat after all.
      if (windowEnd(old) > now.getTime()) return outcome((await countRepeat(conn, false))!);
      // The last window is over: its count goes into the log before the row starts again.
      if (!(await removeRow(conn, old))) return outcome((await countRepeat(conn, false)) ?? null);
      await appendSummary(conn, old, now);
    }
    const at = now.toISOString();
    await conn
      .insertInto('access_denials')
      .values({
        key,
        actor_id: denial.actorId,
        actor_org: denial.actorOrg,
        client_address: denial.clientAddress,
        wanted: denial.wanted,
        method: denial.method,
        route: denial.route,
        target: overActorLimit || denial.target === null ? null : JSON.stringify(denial.target),
        over_actor_limit: overActorLimit ? 1 : 0,
        window_started_at: at,
        last_at: at,
        // Over the per-actor limit nothing is appended now: this refusal waits for the summary.
        pending: overActorLimit ? 1 : 0,
        throttled: overActorLimit ? 1 : 0,
      })
      .execute();
    if (!overActorLimit) {
      const entry = parseAuditEntry({
        action: 'access.denied',
        actorId: denial.actorId,
        actorOrg: denial.actorOrg,
        clientAddress: denial.clientAddress,
        ...(denial.rule === undefined ? {} : { reason: denial.rule }),
        details: { wanted: denial.wanted, method: denial.method, route: denial.route, target: denial.target },
      });
      await appendLocked(conn, entry, now);
    }
    return outcome(null);
  });
}

/** Deletes the row only if nothing counted into it since it was read (a repeat racing the summary waits for the next one). */
async function removeRow(conn: Kysely<Database>, row: Row): Promise<boolean> {
  const result = await conn
    .deleteFrom('access_denials')
    .where('key', '=', row.key)
    .where('window_started_at', '=', row.window_started_at)
    .where('pending', '=', row.pending)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

async function appendSummary(conn: Kysely<Database>, row: Row, now: Date): Promise<void> {
  if (row.pending === 0) return;
  const entry = parseAuditEntry({
    action: 'access.denied.repeated',
    actorId: row.actor_id,
    actorOrg: row.actor_org,
    clientAddress: row.client_address,
    details: {
      wanted: row.wanted,
      method: row.method,
      route: row.route,
      target: row.target === null ? null : (JSON.parse(row.target) as unknown),
      // Refusals not in any other entry; of them, how many were answered 429.
      count: row.pending,
      throttled: row.throttled,
      firstAt: row.window_started_at,
      lastAt: row.last_at,
      ...(row.over_actor_limit === 1 ? { overActorLimit: true } : {}),
    },
  });
  await appendLocked(conn, entry, now);
}

/**
 * Housekeeping: appends the summary of every window that has closed and deletes its
 * row, in batches, each under the chain's lock. Safe to run at any time from any server.
 * @returns how many summaries were appended.
 */
export async function summariseDenials(store: Store, policy: Pick<DenialPolicy, 'windowSeconds'>, now: Date, batch = 200): Promise<number> {
  const closedBefore = new Date(now.getTime() - policy.windowSeconds * 1000).toISOString();
  let summarised = 0;
  for (;;) {
    const done = await withAuditLock(store, async (conn) => {
      const rows = await conn.selectFrom('access_denials').selectAll().where('window_started_at', '<=', closedBefore).orderBy('window_started_at').limit(batch).execute();
      let removed = 0;
      for (const row of rows) {
        if (!(await removeRow(conn, row))) continue;
        removed += 1;
        await appendSummary(conn, row, now);
        if (row.pending > 0) summarised += 1;
      }
      // A batch where every row changed under us is left for the next run rather than spun on.
      return rows.length < batch || removed === 0;
    });
    if (done) return summarised;
  }
}
