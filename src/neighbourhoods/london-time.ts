/**
 * Upstream event dates are UK local wall-clock time without a zone
 * (`2010-01-01T09:00:00`), so "upcoming" is decided against London's clock, not UTC.
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
