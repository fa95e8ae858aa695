/**
 * Upstream event dates are UK local wall-clock time without a zone
 * (`2010-01-01T09:00:00`): "upcoming" is decided against London's clock, and calendar
 * files turn them into UTC instants.
 */
const format = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `date` as London local time in upstream's `YYYY-MM-DDTHH:MM:SS` form. */
export function londonNow(date: Date): string {
  const part: Record<string, string> = {};
  for (const p of format.formatToParts(date)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

function londonFieldsAsUtc(ms: number): number {
  const part: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') part[p.type] = Number(p.value);
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
}

/**
 * London wall-clock `YYYY-MM-DDTHH:MM:SS` → epoch milliseconds. The offset is
 * read at the guessed instant and checked once more, which settles both sides
 * of a clock change; a time skipped by the spring change lands an hour later.
 */
export function londonWallClockToEpoch(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  let guess = wall - (londonFieldsAsUtc(wall) - wall);
  const drift = londonFieldsAsUtc(guess) - wall;
  if (drift !== 0) guess -= drift;
  return guess;
}
