/**
 * Builds the demo data set: the fictional Demoshire Constabulary (force id
 * `demo`) with its neighbourhoods, two years of street crime, outcomes and stop
 * and search. Crime data goes through the same dataset writers as a CSV import,
 * so the demo exercises the real import path and replaces, never duplicates,
 * what an earlier build wrote.
 */
import type { Store } from '../store/store.ts';
import { deleteNeighbourhoodsExceptWithin, saveForce, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import { saveDemoPostcodes } from '../places/postcodes.repository.ts';
import { DemoWriteRun } from './demo-writer.ts';
import { crimesForMonth, outcomesByMonth, streetRow, type DemoCrime } from './crimes.ts';
import { DEMO_AREAS } from './geography.ts';
import { isMonth, monthsBetween, monthsEnding } from './months.ts';
import { DEMO_FORCE_ID, DEMO_FORCE_NAME, demoForce, demoNeighbourhoods } from './neighbourhoods.ts';
import { saveDemoOrganisations } from './organisations.ts';
import { DEMO_POSTCODES } from './postcodes.ts';
import { SNAP_POINTS } from './snap-points.ts';
import { stopsForMonth } from './stops.ts';

export { DEMO_FORCE_ID, DEMO_FORCE_NAME } from './neighbourhoods.ts';

export interface DemoOptions {
  /** Last month of data, `YYYY-MM`. */
  endMonth?: string;
  /** How many months of data, ending with endMonth. */
  months?: number;
  /** Same seed, same crimes; the town itself never changes. */
  seed?: number;
}

export interface DemoSummary {
  crimes: number;
  neighbourhoods: number;
  outcomes: number;
  stops: number;
  /** Snap points crimes can be placed on. */
  snapPoints: number;
  postcodes: number;
  firstMonth: string;
  lastMonth: string;
  months: number;
  seed: number;
}

/**
 * A fixed last month rather than today's, so every build is the same; a couple
 * of months behind the time of writing, as upstream's latest release usually is.
 */
export const DEMO_DEFAULTS = { endMonth: '2026-09', months: 24, seed: 1 } as const;
export const DEMO_LIMITS = { minMonths: 1, maxMonths: 120, minYear: 2001, maxYear: 2099, maxSeed: 2 ** 32 - 1 } as const;

export class DemoOptionError extends Error {}


/** Fills in defaults and rejects what the generator cannot build, with a message for a person. */
export function resolveDemoOptions(options: DemoOptions = {}): Required<DemoOptions> {
  const endMonth = options.endMonth ?? DEMO_DEFAULTS.endMonth;
  const months = options.months ?? DEMO_DEFAULTS.months;
  const seed = options.seed ?? DEMO_DEFAULTS.seed;
  if (!isMonth(endMonth)) throw new DemoOptionError(`end month "${endMonth}" is not a month in the form YYYY-MM, e.g. 2026-09`);
  const year = Number(endMonth.slice(0, 4));
  if (year < DEMO_LIMITS.minYear || year > DEMO_LIMITS.maxYear) {
    throw new DemoOptionError(`end month ${endMonth} is outside ${DEMO_LIMITS.minYear}–${DEMO_LIMITS.maxYear}`);
  }
  if (!Number.isInteger(months) || months < DEMO_LIMITS.minMonths || months > DEMO_LIMITS.maxMonths) {
    throw new DemoOptionError(`months must be a whole number from ${DEMO_LIMITS.minMonths} to ${DEMO_LIMITS.maxMonths}, not ${months}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > DEMO_LIMITS.maxSeed) {
    throw new DemoOptionError(`seed must be a whole number from 0 to ${DEMO_LIMITS.maxSeed}, not ${seed}`);
  }
  return { endMonth, months, seed };
}

export async function buildDemo(store: Store, options: DemoOptions = {}): Promise<DemoSummary> {
  const { endMonth, months: monthCount, seed } = resolveDemoOptions(options);
  const months = monthsEnding(endMonth, monthCount);
  const firstMonth = months[0]!;

  await removeStaleDemo(store, firstMonth, endMonth);
  await saveForce(store.db, demoForce());
  const neighbourhoods = demoNeighbourhoods(endMonth);
  for (const n of neighbourhoods) await saveNeighbourhood(store.db, DEMO_FORCE_ID, n);
  // The force and its teams as organisations (no people: there are no default accounts).
  await saveDemoOrganisations(store.db, neighbourhoods);

  const crimesByMonth = new Map<string, DemoCrime[]>(months.map((m, i) => [m, crimesForMonth(seed, m, i, monthCount)]));
  const monthsToEnd = (month: string) => monthsBetween(month, endMonth);
  const outcomes = outcomesByMonth([...crimesByMonth.values()].flat(), monthsToEnd);

  const run = new DemoWriteRun(store, { id: DEMO_FORCE_ID, name: DEMO_FORCE_NAME });
  const totals = { crimes: 0, outcomes: 0, stops: 0 };
  // Outcomes go in before any street month: each street file then finds its crimes'
  // outcomes through an index, whereas an outcomes file written after its crimes
  // has the PostgreSQL writer rework crimes across every month (most of the build time).
  for (const month of months) {
    totals.outcomes += await run.write(month, 'outcomes', outcomes.get(month) ?? []);
  }
  for (const month of months) {
    const left = monthsToEnd(month);
    const rows = (crimesByMonth.get(month) ?? []).map((c) => streetRow(c, left));
    totals.crimes += await run.write(month, 'street', rows);
    totals.stops += await run.write(month, 'stop-and-search', stopsForMonth(seed, month));
  }
  // So postcode search finds the demo neighbourhoods on a fresh store.
  await saveDemoPostcodes(store.db, DEMO_POSTCODES);

  return {
    ...totals,
    neighbourhoods: neighbourhoods.length,
    snapPoints: SNAP_POINTS.length,
    postcodes: DEMO_POSTCODES.length,
    firstMonth,
    lastMonth: endMonth,
    months: monthCount,
    seed,
  };
}

/**
 * An earlier build with another period, or an older version of the demo, may
 * have left months or neighbourhoods this build will not replace; they go, so
 * the store holds exactly one demo.
 */
async function removeStaleDemo(store: Store, firstMonth: string, lastMonth: string): Promise<void> {
  const keep = new Set(DEMO_AREAS.map((a) => a.id));
  await store.db.transaction().execute(async (trx) => {
    for (const table of ['crimes', 'outcomes', 'stops', 'publications'] as const) {
      await trx
        .deleteFrom(table)
        .where('force_id', '=', DEMO_FORCE_ID)
        .where((eb) => eb.or([eb('month', '<', firstMonth), eb('month', '>', lastMonth)]))
        .execute();
    }
    await deleteNeighbourhoodsExceptWithin(trx, DEMO_FORCE_ID, [...keep]);
  });
}
