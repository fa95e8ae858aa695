/**
 * Request validation for the force routes. Ids are opaque upstream strings
 * (case-sensitive), so the only check is that one was given.
 */
import { z } from 'zod';
import { AppError } from '../errors.ts';

export const forceParamsSchema = z.object({ force: z.string().min(1) });

/** The `:force` path parameter, or 404 `Not Found` as upstream answers for a force it does not know. */
export function parseForceParams(params: unknown): { force: string } {
  const parsed = forceParamsSchema.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_FORCE');
  return parsed.data;
}
