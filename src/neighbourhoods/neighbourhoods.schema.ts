/**
 * Request validation for the neighbourhood routes. Upstream answers 404
 * `Not Found` to anything it cannot use, so every failure here is a 404.
 */
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { LatLng } from './neighbourhood.types.ts';

const neighbourhoodParamsSchema = z.object({ force: z.string().min(1), neighbourhood: z.string().min(1) });

/** `:force` and `:neighbourhood`, as decoded from the path (NI ids contain spaces). */
export function parseNeighbourhoodParams(params: unknown): { force: string; neighbourhood: string } {
  const parsed = neighbourhoodParamsSchema.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
  return parsed.data;
}

const NUMBER = String.raw`\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*`;
const LAT_LNG = new RegExp(`^(${NUMBER}),(${NUMBER})$`);

const locateQuerySchema = z.object({
  q: z
    .string()
    .regex(LAT_LNG)
    .transform((q): LatLng => {
      const [lat, lng] = q.split(',');
      return { latitude: Number(lat), longitude: Number(lng) };
    })
    .refine((p) => Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180),
});

/** `?q=lat,lng`; anything else is upstream's 404. */
export function parseLocateQuery(query: unknown): LatLng {
  const parsed = locateQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError('SC_ERR_NO_NEIGHBOURHOOD_AT_POINT');
  return parsed.data.q;
}
