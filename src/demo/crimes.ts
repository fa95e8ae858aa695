/**
 * Street crimes month by month: how many, of which categories, at which snap
 * points, and what became of them. The mix follows England and Wales: violence
 * and sexual offences first, then anti-social behaviour, shoplifting and
 * criminal damage, with summer peaks for anti-social behaviour and winter ones
 * for burglary.
 */
import { ANTI_SOCIAL_BEHAVIOUR, outcomeCode, outcomeStatusName } from '../crime/categories.ts';
import type { OutcomeRow, StreetRow } from '../import/csv-formats.ts';
import { calendarMonth, shiftMonth } from './months.ts';
import { outcomeHistory, stepAt, type OutcomeStep } from './outcomes.ts';
import { Rng, WeightedTable, persistentIdFor } from './random.ts';
import { SNAP_POINTS, type PlaceKind, type SnapPoint } from './snap-points.ts';

export interface DemoCrime {
  persistentId: string;
  month: string;
  category: string;
  /** Null for a crime published without a location. */
  snap: SnapPoint | null;
  /** Empty for anti-social behaviour, which has no outcomes. */
  history: OutcomeStep[];
}

/** Category, share of all crime in %, and how strongly it peaks in summer (negative: in winter). */
const CATEGORY_MIX: readonly [string, number, number][] = [
  ['violent-crime', 31, 0.08],
  [ANTI_SOCIAL_BEHAVIOUR, 22, 0.25],
  ['shoplifting', 8.5, 0.03],
  ['criminal-damage-arson', 8, 0.1],
  ['public-order', 7.5, 0.12],
  ['other-theft', 6, 0.08],
  ['vehicle-crime', 5, -0.06],
  ['burglary', 4, -0.15],
  ['drugs', 2.5, 0.05],
  ['other-crime', 2.2, 0],
  ['bicycle-theft', 1.1, 0.35],
  ['theft-from-the-person', 0.9, 0.05],
  ['robbery', 0.8, 0],
  ['possession-of-weapons', 0.8, 0.05],
];

/** Crimes a month before seasonal and random variation: the size of a small county division. */
const BASE_PER_MONTH = 2150;

/** Share of each category published with `No Location`: sexual offences and "other crime" most often. */
const UNPLACED: Record<string, number> = { 'violent-crime': 0.06, 'other-crime': 0.15, [ANTI_SOCIAL_BEHAVIOUR]: 0.005 };
const UNPLACED_DEFAULT = 0.01;

/** Where each category tends to happen, as a pull towards kinds of place (1 when not listed). */
const AFFINITY: Record<string, Partial<Record<PlaceKind, number>>> = {
  [ANTI_SOCIAL_BEHAVIOUR]: { main: 1.5, night: 1.5, parking: 1.3, open: 2, transport: 1.5, public: 0.7 },
  'violent-crime': { main: 1.3, street: 1.3, retail: 0.8, night: 3, parking: 0.8, open: 0.8, public: 1.5 },
  shoplifting: { main: 3, street: 0.03, retail: 8, night: 0.2, parking: 0.2, open: 0.03, transport: 0.3, public: 0.3 },
  burglary: { main: 0.6, street: 2.5, retail: 0.5, night: 0.3, parking: 0.2, open: 0.2, transport: 0.2, public: 0.4 },
  'vehicle-crime': { main: 0.8, street: 1.5, retail: 1.5, night: 0.7, parking: 5, open: 0.7, transport: 0.7, public: 1 },
  'bicycle-theft': { main: 2, street: 0.6, retail: 1.5, parking: 1.5, transport: 4, public: 2 },
  'criminal-damage-arson': { street: 1.5 },
  drugs: { main: 1.5, street: 0.8, night: 2, open: 2, transport: 2 },
  'theft-from-the-person': { main: 3, street: 0.2, retail: 2, night: 3, transport: 3 },
  robbery: { main: 2, street: 0.7, night: 2, open: 1.5, transport: 2 },
  'public-order': { main: 2, street: 0.8, night: 3 },
  'possession-of-weapons': { main: 1.5, night: 2, transport: 2 },
  'other-theft': { main: 1.5, street: 0.8, retail: 1.5, public: 2 },
  'other-crime': { public: 1.2 },
};

const placementTables = new Map<string, WeightedTable<SnapPoint>>();

function placementTable(category: string): WeightedTable<SnapPoint> {
  let table = placementTables.get(category);
  if (!table) {
    const pull = AFFINITY[category] ?? {};
    table = new WeightedTable(SNAP_POINTS.map((s) => [s, s.popularity * (pull[s.kind] ?? 1)] as const));
    placementTables.set(category, table);
  }
  return table;
}

/** +1 in July, -1 in January. */
export function season(month: string): number {
  return Math.sin((2 * Math.PI * (calendarMonth(month) - 4)) / 12);
}

/**
 * One month's crimes. Each month has a random stream of its own, so a month
 * comes out the same whichever months are built around it.
 */
export function crimesForMonth(seed: number, month: string, monthIndex: number, monthCount: number): DemoCrime[] {
  const rng = new Rng(`demo-crimes-${seed}-${month}`);
  const s = season(month);
  // A gentle fall over the period, as recorded crime has shown in many areas.
  const trend = 1 - 0.002 * (monthIndex - monthCount / 2);
  const total = Math.round(BASE_PER_MONTH * (1 + 0.08 * s) * trend * (1 + 0.03 * rng.normal()));
  const categories = new WeightedTable(CATEGORY_MIX.map(([slug, share, amplitude]) => [slug, share * (1 + amplitude * s)] as const));
  const crimes: DemoCrime[] = [];
  for (let i = 0; i < total; i++) {
    const category = categories.sample(rng);
    const placed = !rng.chance(UNPLACED[category] ?? UNPLACED_DEFAULT);
    const asb = category === ANTI_SOCIAL_BEHAVIOUR;
    crimes.push({
      persistentId: asb ? '' : persistentIdFor('demo', seed, month, i),
      month,
      category,
      snap: placed ? placementTable(category).sample(rng) : null,
      history: asb ? [] : outcomeHistory(category, rng),
    });
  }
  return crimes;
}

/** The crime as the street file published at `endMonth` shows it: its last outcome is the one current then. */
export function streetRow(crime: DemoCrime, monthsToEnd: number): StreetRow {
  const current = stepAt(crime.history, monthsToEnd);
  return {
    persistentId: crime.persistentId,
    month: crime.month,
    point: crime.snap ? crime.snap.point : null,
    location: crime.snap ? crime.snap.name : 'No Location',
    lsoaCode: crime.snap ? crime.snap.lsoa.code : '',
    lsoaName: crime.snap ? crime.snap.lsoa.name : '',
    category: crime.category,
    // The street file spells outcomes the crime-side way ("Offender given penalty notice").
    lastOutcome: current ? outcomeStatusName(outcomeCode(current.name)) : '',
    context: '',
  };
}

/**
 * Every outcome event up to the last month built, grouped by the month it was recorded
 * in. A month's file holds outcomes for crimes of that month and many before it.
 */
export function outcomesByMonth(crimes: Iterable<DemoCrime>, monthsToEnd: (month: string) => number): Map<string, OutcomeRow[]> {
  const byMonth = new Map<string, OutcomeRow[]>();
  for (const crime of crimes) {
    const left = monthsToEnd(crime.month);
    for (const step of crime.history) {
      if (step.offset > left) break;
      const month = shiftMonth(crime.month, step.offset);
      let rows = byMonth.get(month);
      if (!rows) byMonth.set(month, (rows = []));
      rows.push({
        persistentId: crime.persistentId,
        month,
        point: crime.snap ? crime.snap.point : null,
        // Outcome files spell the unplaced location with a lower-case l, unlike street files.
        location: crime.snap ? crime.snap.name : 'No location',
        lsoaCode: crime.snap ? crime.snap.lsoa.code : '',
        lsoaName: crime.snap ? crime.snap.lsoa.name : '',
        outcomeCode: outcomeCode(step.name),
      });
    }
  }
  return byMonth;
}
