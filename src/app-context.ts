/**
 * What every route and service reaches through `app.ctx`: the store, the
 * configuration, the data release, the month index and the clock. Its own file so
 * that features can name it without importing src/app.ts, which imports them all.
 * It imports types only, and no routes or services (src/architecture.test.ts).
 */
import type { DataRelease } from './api/data-release.ts';
import type { Config } from './config.ts';
import type { MonthIndexCache } from './crime/month-index.ts';
import type { Store } from './store/store.ts';

export interface AppContext {
  store: Store;
  config: Config;
  release: DataRelease;
  monthIndex: MonthIndexCache;
  /** The clock for sessions, tokens and throttles; tests move it to cross timeouts. */
  now: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
