/**
 * Outcome histories: what happened to each crime and when, as a short list of
 * steps the outcomes files publish month by month (Under investigation, then
 * Unable to prosecute suspect; or Suspect charged, then Awaiting court outcome).
 * The final outcomes follow the mix Hampshire published for June 2025, shifted
 * per category the way real data is (thefts rarely find a suspect; drugs crimes
 * nearly always have one).
 */
import { Rng, WeightedTable } from './random.ts';

/** Names exactly as the CSV files spell them, including the crime-side "Offender given penalty notice". */
export const OUTCOME = {
  underInvestigation: 'Under investigation',
  unable: 'Unable to prosecute suspect',
  noSuspect: 'Investigation complete; no suspect identified',
  courtUnavailable: 'Court result unavailable',
  local: 'Local resolution',
  statusUnavailable: 'Status update unavailable',
  anotherOrganisation: 'Action to be taken by another organisation',
  awaitingCourt: 'Awaiting court outcome',
  furtherInvestigationNpi: 'Further investigation is not in the public interest',
  caution: 'Offender given a caution',
  formalActionNpi: 'Formal action is not in the public interest',
  furtherActionNpi: 'Further action is not in the public interest',
  anotherCase: 'Suspect charged as part of another case',
  penaltyNotice: 'Offender given penalty notice',
  drugsWarning: 'Offender given a drugs possession warning',
  charged: 'Suspect charged',
} as const;

/** One outcome event, `offset` months after the crime's month. */
export interface OutcomeStep {
  name: string;
  offset: number;
}

/** Hampshire 2025-06 `Last outcome category` counts, plus a few penalty notices, which it happened not to publish. */
const BASE: readonly [string, number][] = [
  [OUTCOME.unable, 5160],
  [OUTCOME.noSuspect, 3685],
  [OUTCOME.courtUnavailable, 679],
  [OUTCOME.local, 641],
  [OUTCOME.statusUnavailable, 503],
  [OUTCOME.anotherOrganisation, 226],
  [OUTCOME.awaitingCourt, 155],
  [OUTCOME.furtherInvestigationNpi, 134],
  [OUTCOME.caution, 120],
  [OUTCOME.formalActionNpi, 88],
  [OUTCOME.furtherActionNpi, 23],
  [OUTCOME.anotherCase, 2],
  [OUTCOME.penaltyNotice, 40],
];

const THEFT_LIKE = { [OUTCOME.noSuspect]: 3, [OUTCOME.unable]: 0.45 };
const CATEGORY_SHIFT: Record<string, Partial<Record<string, number>>> = {
  burglary: THEFT_LIKE,
  'vehicle-crime': { ...THEFT_LIKE, [OUTCOME.noSuspect]: 4 },
  'bicycle-theft': { ...THEFT_LIKE, [OUTCOME.noSuspect]: 4 },
  'theft-from-the-person': THEFT_LIKE,
  'other-theft': THEFT_LIKE,
  robbery: { [OUTCOME.noSuspect]: 1.8, [OUTCOME.courtUnavailable]: 1.5, [OUTCOME.awaitingCourt]: 2 },
  'criminal-damage-arson': { [OUTCOME.noSuspect]: 2, [OUTCOME.local]: 1.5 },
  shoplifting: { [OUTCOME.courtUnavailable]: 3, [OUTCOME.local]: 1.5, [OUTCOME.penaltyNotice]: 2, [OUTCOME.awaitingCourt]: 2 },
  'violent-crime': { [OUTCOME.unable]: 1.5, [OUTCOME.noSuspect]: 0.25, [OUTCOME.caution]: 1.5 },
  'public-order': { [OUTCOME.unable]: 1.2, [OUTCOME.penaltyNotice]: 3 },
  drugs: {
    [OUTCOME.noSuspect]: 0.03, [OUTCOME.unable]: 0.3, [OUTCOME.local]: 3, [OUTCOME.courtUnavailable]: 3,
    [OUTCOME.caution]: 3, [OUTCOME.penaltyNotice]: 4,
  },
  'possession-of-weapons': { [OUTCOME.noSuspect]: 0.1, [OUTCOME.unable]: 0.6, [OUTCOME.courtUnavailable]: 5, [OUTCOME.awaitingCourt]: 4 },
};
/** Outcomes only some categories can have, which the Hampshire month does not show. */
const CATEGORY_EXTRA: Record<string, readonly [string, number][]> = {
  drugs: [[OUTCOME.drugsWarning, 2500]],
};

const tables = new Map<string, WeightedTable<string>>();

function finalOutcomes(category: string): WeightedTable<string> {
  let table = tables.get(category);
  if (!table) {
    const shift = CATEGORY_SHIFT[category] ?? {};
    table = new WeightedTable([
      ...BASE.map(([name, weight]) => [name, weight * (shift[name] ?? 1)] as const),
      ...(CATEGORY_EXTRA[category] ?? []),
    ]);
    tables.set(category, table);
  }
  return table;
}

/** Months until the next step: mostly one or two, sometimes half a year. */
function wait(rng: Rng): number {
  const r = rng.next();
  return r < 0.4 ? 1 : r < 0.65 ? 2 : r < 0.8 ? 3 : rng.int(4, 6);
}

/** A crime's outcome history, 1 to 3 steps; the first is always in the crime's own month. */
export function outcomeHistory(category: string, rng: Rng): OutcomeStep[] {
  const final = finalOutcomes(category).sample(rng);
  if (final === OUTCOME.awaitingCourt) {
    const charged = rng.int(0, 2);
    return charged === 0
      ? [{ name: OUTCOME.charged, offset: 0 }, { name: final, offset: wait(rng) }]
      : [{ name: OUTCOME.underInvestigation, offset: 0 }, { name: OUTCOME.charged, offset: charged }, { name: final, offset: charged + wait(rng) }];
  }
  if (final === OUTCOME.courtUnavailable) {
    if (rng.chance(0.5)) {
      const charged = rng.int(1, 3);
      return [{ name: OUTCOME.underInvestigation, offset: 0 }, { name: OUTCOME.charged, offset: charged }, { name: final, offset: charged + wait(rng) }];
    }
    const awaiting = wait(rng);
    return [{ name: OUTCOME.charged, offset: 0 }, { name: OUTCOME.awaitingCourt, offset: awaiting }, { name: final, offset: awaiting + wait(rng) }];
  }
  // Undetected crimes are often closed at once; the rest are investigated first.
  const immediate = final === OUTCOME.noSuspect ? 0.55 : 0.2;
  if (rng.chance(immediate)) return [{ name: final, offset: 0 }];
  return [{ name: OUTCOME.underInvestigation, offset: 0 }, { name: final, offset: wait(rng) }];
}

/** The step current at `monthsLater` months after the crime: what the street file shows as its last outcome then. */
export function stepAt(history: readonly OutcomeStep[], monthsLater: number): OutcomeStep | undefined {
  let current: OutcomeStep | undefined;
  for (const step of history) if (step.offset <= monthsLater) current = step;
  return current;
}
