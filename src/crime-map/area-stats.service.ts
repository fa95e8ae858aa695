/**
 * Statistics for an area someone drew: crimes by category over the last twelve
 * months, the crimes' latest outcomes, and the same shares for the force the
 * area's crimes mostly belong to, so a reader can tell what is unusual here.
 */
import type { AppContext } from '../app-context.ts';
import { addMonths } from '../api/data-release.ts';
import { outcomeCode, outcomeName } from '../crime/categories.ts';
import { locationsInArea } from '../crime/locations.repository.ts';
import { presentCategory } from '../map/map.presenter.ts';
import { outcomeExplanation } from '../map/outcome-words.ts';
import { countByCategory, countByOutcome, forceName, neighbourhoodBoundaries, type OutcomeCount } from './crime-map.repository.ts';
import { ringAreaKm2, type DrawnArea } from './drawn-area.ts';

export const STATS_MONTHS = 12;

export interface ShareRow {
  key: string;
  name: string;
  hint?: string;
  area: number;
  areaShare: string;
  forceShare: string;
}

export interface AreaStats {
  from: string;
  to: string;
  snapPoints: number;
  totalCrimes: number;
  categories: ShareRow[];
  outcomes: ShareRow[];
  outcomeTotal: number;
  force: { id: string; name: string; totalCrimes: number; areaShareOfForce: string; perKm2: string | null } | null;
  areaPerKm2: string;
}

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`);
const perKm2 = (crimes: number, km2: number) => (km2 > 0 ? (crimes / km2).toFixed(1) : '0');

function sumBy<T>(rows: readonly T[], key: (row: T) => string, count: (row: T) => number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(key(row), (sums.get(key(row)) ?? 0) + count(row));
  return sums;
}

const NO_OUTCOME = 'no-outcome-yet';
/** The latest outcome's code: the outcomes files' where known, else the street file's name as a code. */
const outcomeKey = (row: OutcomeCount) => row.outcome_code ?? (row.last_outcome.trim() === '' ? NO_OUTCOME : outcomeCode(row.last_outcome));

function shareRows(area: Map<string, number>, force: Map<string, number>, label: (key: string) => { name: string; hint?: string }): ShareRow[] {
  const areaTotal = [...area.values()].reduce((a, b) => a + b, 0);
  const forceTotal = [...force.values()].reduce((a, b) => a + b, 0);
  return [...area.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, n]) => ({ key, ...label(key), area: n, areaShare: percent(n, areaTotal), forceShare: percent(force.get(key) ?? 0, forceTotal) }));
}

/** The force's land, from its neighbourhood boundaries; null when it has none. */
async function forceKm2(ctx: AppContext, forceId: string): Promise<number | null> {
  const boundaries = (await neighbourhoodBoundaries(ctx.store.db, null)).filter((b) => b.force_id === forceId);
  if (boundaries.length === 0) return null;
  return boundaries.reduce((sum, b) => sum + ringAreaKm2(b.boundary), 0);
}

/** The statistics of the twelve months ending with the latest published month; null on an empty store. */
export async function areaStats(ctx: AppContext, drawn: DrawnArea): Promise<AreaStats | null> {
  const to = await ctx.release.latestMonth();
  if (!to) return null;
  const from = addMonths(to, -(STATS_MONTHS - 1));
  const points = await locationsInArea(ctx.store.db, drawn.area);
  const scope = { locationIds: [...points.keys()] };
  const [byCategory, byOutcome] = await Promise.all([countByCategory(ctx.store, scope, from, to), countByOutcome(ctx.store, scope, from, to)]);
  const totalCrimes = byCategory.reduce((sum, r) => sum + r.crimes, 0);

  // Compared with the force most of the area's crimes belong to: an area on a border mostly lies in one.
  const byForce = sumBy(byCategory, (r) => r.force_id, (r) => r.crimes);
  const forceId = [...byForce.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const forceScope = forceId ? { forceId } : null;
  const [forceCategories, forceOutcomes, name, km2] = forceScope
    ? await Promise.all([
        countByCategory(ctx.store, forceScope, from, to),
        countByOutcome(ctx.store, forceScope, from, to),
        forceName(ctx.store.db, forceScope.forceId),
        forceKm2(ctx, forceScope.forceId),
      ])
    : [[], [], '', null];
  const forceTotal = forceCategories.reduce((sum, r) => sum + r.crimes, 0);

  const categories = shareRows(
    sumBy(byCategory, (r) => r.category, (r) => r.crimes),
    sumBy(forceCategories, (r) => r.category, (r) => r.crimes),
    (key) => ({ name: presentCategory(key).name }),
  );
  const outcomes = shareRows(
    sumBy(byOutcome, outcomeKey, (r) => r.crimes),
    sumBy(forceOutcomes, outcomeKey, (r) => r.crimes),
    (key) =>
      key === NO_OUTCOME
        ? { name: 'No outcome published yet', hint: 'The force has not published an outcome for these crimes yet.' }
        : { name: outcomeName(key), hint: outcomeExplanation(key) },
  );
  return {
    from,
    to,
    snapPoints: points.size,
    totalCrimes,
    categories,
    outcomes,
    outcomeTotal: byOutcome.reduce((sum, r) => sum + r.crimes, 0),
    force: forceId
      ? { id: forceId, name, totalCrimes: forceTotal, areaShareOfForce: percent(totalCrimes, forceTotal), perKm2: km2 ? perKm2(forceTotal, km2) : null }
      : null,
    areaPerKm2: perKm2(totalCrimes, drawn.km2),
  };
}
