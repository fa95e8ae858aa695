/**
 * The guard for anything that sends to many people at once (a Watch scheme's
 * updates; community alerts next): per sender, a minimum interval between sends and
 * a cap a day. Kept in the `throttle` table, so it holds across app servers.
 *
 * Call claimFanOut inside the transaction that queues the messages, before queueing
 * them: a refusal throws FanOutLimited, which rolls back the transaction, so a refused
 * send queues nothing; and a send whose transaction fails gives its claim back.
 *
 *   await db.transaction().execute(async (tx) => {
 *     await claimFanOut(tx, config.SECRET_KEY, WATCH_NEWS_FAN_OUT, personId, now);
 *     … queue one email per recipient …
 *   });
 *
 * Unlike hitRateLimit, a refused attempt is not counted: trying again early costs the
 * sender nothing, and the wait they were told stays true.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../errors.ts';
import { throttleKey } from './throttle.repository.ts';

/** One feature's limits. Each feature has its own scope, so their counts never mix. */
export interface FanOutPolicy {
  /** The throttleKey scope, e.g. 'fan-out:watch-news'. */
  scope: string;
  /** The least time between two sends by one sender. */
  minIntervalSeconds: number;
  /** Sends by one sender in a day (24 hours from the first send of the day). */
  perDay: number;
}

export const DAY_SECONDS = 24 * 60 * 60;

/** A refused send: the caller shows when the sender can send again (nextAt) and answers 429. */
export class FanOutLimited extends AppError {
  constructor(
    readonly reason: 'interval' | 'daily',
    retryAfterSeconds: number,
    readonly nextAt: Date,
    readonly policy: FanOutPolicy,
  ) {
    super('SC_ERR_FAN_OUT_LIMITED', undefined, { retryAfterSeconds });
    this.name = 'FanOutLimited';
  }
}

/**
 * Claims one send for `sender` (e.g. a person's id), or throws FanOutLimited. The
 * claim is one conditional upsert, so two servers racing for the last send cannot
 * both get it. A day runs from the first send in it; the row's `hits` counts sends
 * in the day and `updated_at` is the last send.
 */
export async function claimFanOut(db: Kysely<Database>, secretKey: string, policy: FanOutPolicy, sender: string, now: Date): Promise<void> {
  const key = throttleKey(secretKey, policy.scope, sender);
  const at = now.toISOString();
  const dayStart = new Date(now.getTime() - DAY_SECONDS * 1000).toISOString();
  const intervalStart = new Date(now.getTime() - policy.minIntervalSeconds * 1000).toISOString();
  const old = { hits: sql.ref('throttle.hits'), windowStartedAt: sql.ref('throttle.window_started_at'), updatedAt: sql.ref('throttle.updated_at') };
  const newDay = sql`${old.windowStartedAt} <= ${dayStart}`;
  const claimed = await db
    .insertInto('throttle')
    .values({ key, hits: 1, window_started_at: at, locked_until: null, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          hits: sql<number>`CASE WHEN ${newDay} THEN 1 ELSE ${old.hits} + 1 END`,
          window_started_at: sql<string>`CASE WHEN ${newDay} THEN ${at} ELSE ${old.windowStartedAt} END`,
          updated_at: at,
        })
        .where(sql<boolean>`${old.updatedAt} <= ${intervalStart} AND (${newDay} OR ${old.hits} < ${policy.perDay})`),
    )
    .returning('hits')
    .executeTakeFirst();
  if (claimed !== undefined) return;

  const row = await db.selectFrom('throttle').select(['hits', 'window_started_at', 'updated_at']).where('key', '=', key).executeTakeFirstOrThrow();
  const t = now.getTime();
  const intervalEnds = Date.parse(row.updated_at) + policy.minIntervalSeconds * 1000;
  const dayEnds = row.hits >= policy.perDay ? Date.parse(row.window_started_at) + DAY_SECONDS * 1000 : 0;
  const nextAt = Math.max(intervalEnds, dayEnds);
  throw new FanOutLimited(dayEnds >= intervalEnds ? 'daily' : 'interval', Math.max(1, Math.ceil((nextAt - t) / 1000)), new Date(nextAt), policy);
}
