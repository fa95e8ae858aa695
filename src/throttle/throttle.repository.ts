/**
 * Counting failures and requests per key (an account, a client address) in the
 * store, so the limits hold however many app servers share one database. Every
 * count is changed by a single INSERT … ON CONFLICT DO UPDATE … RETURNING (SQLite
 * ≥ 3.35 and PostgreSQL alike): the database serialises writers on the row, so
 * concurrent failures from several servers are all counted and exactly one of
 * them sees the lock begin. Times are ISO-8601 UTC text, compared as text.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, ThrottleTable } from '../store/database.ts';

/** Failure throttling: free tries, then growing delays ("slow down"), then a lock. */
export interface ThrottlePolicy {
  /** Failures older than this (from the first in the window) are forgotten. */
  windowSeconds: number;
  /** Failures allowed without any delay. */
  freeFailures: number;
  /** At this many failures in the window the key locks. */
  lockAfter: number;
  /** How long a lock lasts; once it ends the count starts again from zero. */
  lockSeconds: number;
  /** Longest slow-down delay (default 60 s, and always less than lockSeconds). */
  maxDelaySeconds?: number;
}

export interface ThrottleState {
  /** False while slowed down or locked: refuse the attempt without checking the password. */
  allowed: boolean;
  locked: boolean;
  /** Seconds until an attempt is allowed again (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
  /** Failures counted in the current window. */
  failures: number;
  /** From registerFailure only: true for the one failure that started the lock (email the owner). */
  justLocked?: boolean;
}

/** A fixed-window request limit: at most `limit` hits per `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * How refusals of signed-in people are counted and answered (recordDenial in
 * src/audit/denials.repository.ts, which uses this folder, not the other way round).
 */
export interface DenialPolicy {
  /** Repeats of a refusal within this long after its first are counted into one summary. */
  windowSeconds: number;
  /** Repeats in a window answered 403; later ones are answered 429. */
  repeatsBeforeThrottle: number;
  /** Refusals of any kind per actor; beyond it every refusal is answered 429 and counted per route. */
  perActor: RateLimit;
}

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/** How long an idle row is kept by pruneThrottle; longer than any policy's window. */
export const THROTTLE_KEEP_SECONDS = 24 * 60 * 60;
const DEFAULT_MAX_DELAY_SECONDS = 60;

type Row = Pick<ThrottleTable, 'hits' | 'window_started_at' | 'locked_until' | 'updated_at'>;

const hmacKeys = new Map<string, Buffer>();

/**
 * The throttle key for a value such as a client address or an email address:
 * `${scope}:${HMAC-SHA-256 hex}`, so the table holds no personal data and the
 * same value gives unrelated keys in different scopes. The value is trimmed and
 * lower-cased (Jo@Example.org and jo@example.org share one limit), and an
 * IPv4-mapped IPv6 address counts as the IPv4 address it is.
 * @example throttleKey(config.SECRET_KEY, THROTTLE_SCOPES.signInAccount, email)
 */
export function throttleKey(secretKey: string, scope: string, value: string): string {
  if (!/^[a-z0-9][a-z0-9:._-]*$/.test(scope)) throw new Error(`Invalid throttle scope ${JSON.stringify(scope)}`);
  let key = hmacKeys.get(secretKey);
  if (key === undefined) {
    // A key for this purpose only, never the SECRET_KEY itself.
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), 'safe-communities throttle', 32));
    hmacKeys.set(secretKey, key);
  }
  const mapped = value.trim().toLowerCase().replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/, '$1');
  const normalised = isIPv6(mapped) ? ipv6Network64(mapped) : mapped;
  return `${scope}:${createHmac('sha256', key).update(scope).update('\0').update(normalised).digest('hex')}`;
}

/**
 * The /64 network of an IPv6 address: one household or host is given a whole /64, so
 * counting single addresses would give one client billions of fresh limits.
 * @example ipv6Network64('2001:db8::1') === '2001:db8:0:0::/64'
 */
export function ipv6Network64(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Seconds to wait after `failures` failures: 0 while free, then 1, 2, 4 … up to the cap. */
export function slowDownSeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  const cap = Math.max(1, Math.min(policy.maxDelaySeconds ?? DEFAULT_MAX_DELAY_SECONDS, policy.lockSeconds - 1));
  return Math.min(2 ** (failures - policy.freeFailures), cap);
}

const ceilSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function assess(row: Row | undefined, policy: ThrottlePolicy, now: Date): ThrottleState {
  const t = now.getTime();
  const open: ThrottleState = { allowed: true, locked: false, retryAfterSeconds: 0, failures: 0 };
  if (row === undefined) return open;
  const lockedUntil = row.locked_until === null ? null : Date.parse(row.locked_until);
  if (lockedUntil !== null && lockedUntil > t) {
    return { allowed: false, locked: true, retryAfterSeconds: ceilSeconds(lockedUntil - t), failures: row.hits };
  }
  // A lock that has ended, or a window that has passed, leaves a clean slate.
  if (lockedUntil !== null || Date.parse(row.window_started_at) + policy.windowSeconds * 1000 <= t) return open;
  const waitUntil = Date.parse(row.updated_at) + slowDownSeconds(row.hits, policy) * 1000;
  if (waitUntil > t) return { allowed: false, locked: false, retryAfterSeconds: ceilSeconds(waitUntil - t), failures: row.hits };
  return { ...open, failures: row.hits };
}

/** Whether an attempt for `key` may go ahead now. Reads only. */
export async function checkThrottle(db: Kysely<Database>, key: string, policy: ThrottlePolicy, now: Date): Promise<ThrottleState> {
  const row = await db.selectFrom('throttle').select(['hits', 'window_started_at', 'locked_until', 'updated_at']).where('key', '=', key).executeTakeFirst();
  return assess(row, policy, now);
}

/**
 * Counts one failure for `key` and returns the state after it. The count, the
 * window and the lock change in one atomic statement.
 */
export async function registerFailure(db: Kysely<Database>, key: string, policy: ThrottlePolicy, now: Date): Promise<ThrottleState> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000).toISOString();
  const lockUntil = new Date(now.getTime() + policy.lockSeconds * 1000).toISOString();
  const firstLock = policy.lockAfter <= 1 ? lockUntil : null;
  const old = { hits: sql.ref('throttle.hits'), windowStartedAt: sql.ref('throttle.window_started_at'), lockedUntil: sql.ref('throttle.locked_until') };
  // Start afresh when a lock has ended, or when there is no lock and the window has passed.
  const fresh = sql`((${old.lockedUntil} IS NULL AND ${old.windowStartedAt} <= ${windowStart}) OR (${old.lockedUntil} IS NOT NULL AND ${old.lockedUntil} <= ${at}))`;
  const row = await db
    .insertInto('throttle')
    .values({ key, hits: 1, window_started_at: at, locked_until: firstLock, updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN ${fresh} THEN 1 ELSE ${old.hits} + 1 END`,
        window_started_at: sql<string>`CASE WHEN ${fresh} THEN ${at} ELSE ${old.windowStartedAt} END`,
        // A running lock is never extended by more failures, which bounds how long anyone can keep an account locked.
        locked_until: sql<string | null>`CASE WHEN ${fresh} THEN ${nullable(firstLock)} WHEN ${old.lockedUntil} IS NOT NULL THEN ${old.lockedUntil} WHEN ${old.hits} + 1 >= ${policy.lockAfter} THEN ${lockUntil} ELSE NULL END`,
        updated_at: at,
      }),
    )
    .returning(['hits', 'window_started_at', 'locked_until', 'updated_at'])
    .executeTakeFirstOrThrow();
  const state = assess(row, policy, now);
  // Hits pass lockAfter exactly once per lock, in exactly one statement, however many servers race.
  return { ...state, justLocked: state.locked && row.hits === policy.lockAfter };
}

function nullable(value: string | null): RawBuilder<string | null> {
  return value === null ? sql<null>`NULL` : sql<string>`${value}`;
}

/** Forgets the failures for `key`, e.g. after a successful sign-in or a password reset. */
export async function clearThrottle(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('throttle').where('key', '=', key).execute();
}

/**
 * Counts a request against a fixed-window limit (per client or per account on
 * public forms) and says whether it may go ahead. Refused requests count too, so
 * hammering does not help. Use keys of a scope of their own, not a throttle's.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, limit: RateLimit, now: Date): Promise<RateLimitResult> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - limit.windowSeconds * 1000).toISOString();
  const expired = sql`${sql.ref('throttle.window_started_at')} <= ${windowStart}`;
  const row = await db
    .insertInto('throttle')
    .values({ key, hits: 1, window_started_at: at, locked_until: null, updated_at: at })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`CASE WHEN ${expired} THEN 1 ELSE ${sql.ref('throttle.hits')} + 1 END`,
        window_started_at: sql<string>`CASE WHEN ${expired} THEN ${at} ELSE ${sql.ref('throttle.window_started_at')} END`,
        updated_at: at,
      }),
    )
    .returning(['hits', 'window_started_at'])
    .executeTakeFirstOrThrow();
  if (row.hits <= limit.limit) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: ceilSeconds(Date.parse(row.window_started_at) + limit.windowSeconds * 1000 - now.getTime()) };
}

/**
 * Deletes rows idle for longer than `keepSeconds` and not locked: housekeeping,
 * safe to run at any time from any server. Idle means neither the window nor the last
 * hit is recent: a fan-out row's day can be old while its last send is not, and
 * deleting it would let the next send skip the minimum interval.
 * @returns how many rows were deleted.
 */
export async function pruneThrottle(db: Kysely<Database>, now: Date, keepSeconds = THROTTLE_KEEP_SECONDS): Promise<number> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - keepSeconds * 1000).toISOString();
  const result = await db
    .deleteFrom('throttle')
    .where('window_started_at', '<=', cutoff)
    .where('updated_at', '<=', cutoff)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
