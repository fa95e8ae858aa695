/**
 * Path parameters of the public neighbourhood and trends pages. Ids are opaque
 * upstream strings (case-sensitive, NI ids hold spaces); anything unusable is
 * the not-found page.
 */
import { z } from 'zod';
import { AppError } from '../errors.ts';

const id = z.string().min(1).max(200);

const neighbourhoodParams = z.object({ force: id, neighbourhood: id });
const forceParams = z.object({ force: id });
const eventParams = neighbourhoodParams.extend({ event: z.string().regex(/^[0-9a-f]{16}\.ics$/) });

/** `:force` and `:neighbourhood`, or the not-found page. */
export function parsePageParams(params: unknown): { force: string; neighbourhood: string } {
  const parsed = neighbourhoodParams.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
  return parsed.data;
}

/** `:force`, or the not-found page. */
export function parseForcePageParams(params: unknown): { force: string } {
  const parsed = forceParams.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_FORCE');
  return parsed.data;
}

/** `:event` is the 16-hex event id with its `.ics` suffix. */
export function parseEventParams(params: unknown): { force: string; neighbourhood: string; eventId: string } {
  const parsed = eventParams.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_NOT_FOUND');
  return { force: parsed.data.force, neighbourhood: parsed.data.neighbourhood, eventId: parsed.data.event.slice(0, -4) };
}
