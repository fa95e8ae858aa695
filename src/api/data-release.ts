/**
 * What the store currently publishes: the latest month, the months served and
 * whether the data is the demo set. Data changes once a month, so the answers are
 * cached briefly instead of being asked of the store on every request.
 */
import { sql } from 'kysely';
import { fail } from '../errors.ts';
import type { Store } from '../store/store.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const CACHE_MS = 5_000;

export type ResolvedMonth = { month: string; future: false } | { month: null; future: true };

export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export class DataRelease {
  private cached: { at: number; latest: string | null; demo: boolean; version: string } | undefined;

  constructor(
    private readonly store: Store,
    private readonly monthsServed: number,
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  private async load() {
    if (this.cached && performance.now() - this.cached.at < CACHE_MS) return this.cached;
    const [latest, version, demo] = await Promise.all([
      this.store.db
        .selectFrom('publications')
        .select(sql<string | null>`max(month)`.as('month'))
        .where('kind', '=', 'street')
        .executeTakeFirst(),
      this.store.db
        .selectFrom('publications')
        .select([sql<string | null>`max(imported_at)`.as('at'), sql<number>`count(*)`.as('n')])
        .executeTakeFirst(),
      this.store.db.selectFrom('forces').select('id').where('is_demo', '=', 1).limit(1).executeTakeFirst(),
    ]);
    this.cached = {
      at: performance.now(),
      latest: latest?.month ?? null,
      demo: demo !== undefined,
      version: `${version?.at ?? ''}/${version?.n ?? 0}`,
    };
    return this.cached;
  }

  /** The newest month with street crime published, or null for an empty store. */
  async latestMonth(): Promise<string | null> {
    return (await this.load()).latest;
  }

  /** Changes whenever any dataset is imported, so caches of store data know to drop. */
  async version(): Promise<string> {
    return (await this.load()).version;
  }

  async isDemo(): Promise<boolean> {
    return (await this.load()).demo;
  }

  /** Served months, newest first: the latest month and the months before it, as many as configured. */
  async servedMonths(): Promise<string[]> {
    const latest = await this.latestMonth();
    if (!latest) return [];
    return Array.from({ length: this.monthsServed }, (_, i) => addMonths(latest, -i));
  }

  /**
   * Upstream's `date` rules: omitted (or sent under a misspelt key) means the
   * latest month; a month after the latest answers `[]`; a malformed month or
   * one before the served window is 404.
   */
  async resolve(date: unknown): Promise<ResolvedMonth> {
    const latest = await this.latestMonth();
    if (date === undefined || date === '') {
      return latest ? { month: latest, future: false } : { month: null, future: true };
    }
    if (typeof date !== 'string' || !MONTH.test(date)) fail('SC_ERR_BAD_DATE');
    if (!latest || date > latest) return { month: null, future: true };
    if (date < addMonths(latest, -(this.monthsServed - 1))) fail('SC_ERR_BAD_DATE');
    return { month: date, future: false };
  }
}
