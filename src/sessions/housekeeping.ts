/**
 * Clears what has run out: sessions past their limits, used or expired one-time
 * tokens, and throttle rows nobody has touched for a day; and writes the summaries of
 * refused requests whose counting window has closed. Expired things are already
 * refused when presented; this keeps the tables small and stops them holding
 * records longer than needed.
 */
import type { FastifyInstance } from 'fastify';
import { pruneAccountTokens } from '../accounts/account-tokens.repository.ts';
import { summariseDenials } from '../audit/denials.repository.ts';
import { ACCESS_DENIALS } from '../throttle/throttle.policies.ts';
import { pruneThrottle } from '../throttle/throttle.repository.ts';
import type { AppContext } from '../app-context.ts';
import { pruneSessions } from './session.repository.ts';

export const HOUSEKEEPING_EVERY_MS = 10 * 60_000;

export async function runHousekeeping(ctx: AppContext): Promise<{ sessions: number; tokens: number; throttles: number; denialSummaries: number }> {
  const now = ctx.now();
  const db = ctx.store.db;
  return {
    sessions: await pruneSessions(db, now, ctx.config.SESSION_IDLE_MINUTES),
    tokens: await pruneAccountTokens(db, now),
    throttles: await pruneThrottle(db, now),
    denialSummaries: await summariseDenials(ctx.store, ACCESS_DENIALS, now),
  };
}

/** Runs housekeeping every ten minutes while the app is up; several servers doing it at once is harmless. */
export function scheduleHousekeeping(app: FastifyInstance, ctx: AppContext): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      runHousekeeping(ctx).catch((error: unknown) => app.log.warn({ err: error }, 'housekeeping failed'));
    }, HOUSEKEEPING_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
