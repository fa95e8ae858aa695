/**
 * Which seed crimes get outcomes, how many and when. Decided from the Crime ID's
 * own hex digits (a SHA-256 hash, so they are uniformly random), which makes the
 * plan deterministic without a random generator and lets each month's outcomes
 * file be written on its own, from the seed alone.
 */
import type { Seed } from './seed.ts';
import { COL } from './seed.ts';

/** Early events first, final disposals last, as police records progress. */
const EARLY = ['Under investigation', 'Investigation complete; no suspect identified', 'Unable to prosecute suspect', 'Awaiting court outcome'];
const FINAL = [
  'Investigation complete; no suspect identified',
  'Unable to prosecute suspect',
  'Local resolution',
  'Offender given a caution',
  'Further investigation is not in the public interest',
  'Formal action is not in the public interest',
  'Action to be taken by another organisation',
  'Offender sent to prison',
  'Offender given community sentence',
  'Offender fined',
  'Court result unavailable',
  'Suspect charged as part of another case',
];

export interface OutcomeEvent {
  row: string[];
  name: string;
}

function unit(id: string, from: number): number {
  return parseInt(id.slice(from, from + 6), 16) / 0x1000000;
}

/** Outcome events by month index (0 = first generated month); events after the last month are dropped. */
export function planOutcomes(seed: Seed, share: number): OutcomeEvent[][] {
  const byMonth: OutcomeEvent[][] = seed.months.map(() => []);
  const seen = new Set<string>();
  seed.months.forEach((m, monthIndex) => {
    for (const row of m.rows) {
      const id = row[COL.id]!;
      // Anti-social behaviour has no id and never an outcome; a recurring id is planned once, from its first month.
      if (!/^[0-9a-f]{64}$/.test(id) || seen.has(id)) continue;
      seen.add(id);
      if (unit(id, 58) >= share) continue;
      const v = unit(id, 52);
      const count = v < 0.65 ? 1 : v < 0.9 ? 2 : 3;
      let at = monthIndex + Math.floor(unit(id, 46) * 3); // first outcome in the crime's month or up to two later
      for (let k = 0; k < count && at < byMonth.length; k++) {
        const last = k === count - 1;
        const list = last ? FINAL : EARLY;
        byMonth[at]!.push({ row, name: list[Math.floor(unit(id, 40 - k * 6) * list.length)]! });
        at += 1 + Math.floor(unit(id, 20 - k * 6) * 2);
      }
    }
  });
  return byMonth;
}
