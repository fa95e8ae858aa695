/**
 * Month arithmetic on `YYYY-MM` text, the form months have everywhere in the store.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return MONTH.test(text);
}

function index(month: string): number {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`"${month}" is not a YYYY-MM month`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

function fromIndex(i: number): string {
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

export function shiftMonth(month: string, delta: number): string {
  return fromIndex(index(month) + delta);
}

/** Months from `a` to `b`: positive when `b` is later. */
export function monthsBetween(a: string, b: string): number {
  return index(b) - index(a);
}

/** The `count` months ending with `end`, oldest first. */
export function monthsEnding(end: string, count: number): string[] {
  const last = index(end);
  return Array.from({ length: count }, (_, i) => fromIndex(last - count + 1 + i));
}

/** 1 for January … 12 for December. */
export function calendarMonth(month: string): number {
  return (index(month) % 12) + 1;
}

export function daysIn(month: string): number {
  const i = index(month);
  return new Date(Date.UTC(Math.floor(i / 12), (i % 12) + 1, 0)).getUTCDate();
}
