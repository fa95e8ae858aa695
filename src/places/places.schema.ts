/**
 * What place search accepts, checked at the edge: the text typed in the search
 * box, or a point the browser gives for "use my location". Failures carry
 * messages written for residents.
 */
import { z } from 'zod';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';

/** Longer than any postcode, place or neighbourhood name a person would type. */
export const MAX_QUERY_LENGTH = 100;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** A number, or text holding only a number: form fields arrive as text, and '' must not become 0. */
function degrees(name: 'Latitude' | 'Longitude', limit: number) {
  return z
    .union([z.number(), z.string().trim().regex(DECIMAL).transform(Number)], { error: `${name} must be a number, like ${name === 'Latitude' ? '52.5' : '-1.25'}` })
    .pipe(
      z
        .number()
        .refine(Number.isFinite, { error: `${name} must be a number` })
        .refine((v) => Math.abs(v) <= limit, { error: `${name} must be between -${limit} and ${limit}` }),
    );
}

export const pointSchema = z.object({
  latitude: degrees('Latitude', 90),
  longitude: degrees('Longitude', 180),
});

export const queryTextSchema = z
  .string({ error: 'Enter a postcode or the name of your neighbourhood' })
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, { error: 'Enter a postcode or the name of your neighbourhood' })
      .max(MAX_QUERY_LENGTH, { error: `Search must be ${MAX_QUERY_LENGTH} characters or fewer` }),
  );

/** Two numbers separated by a comma and/or spaces: `52.6,-1.1` or `52.6 -1.1`. */
const COORDINATES = /^([+-]?(?:\d+\.?\d*|\.\d+))\s*(?:,|\s)\s*([+-]?(?:\d+\.?\d*|\.\d+))$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function fromZod<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues.map((i) => i.message).join('. ') };
}

/** A browser-supplied point (numbers or numeric text). */
export function parsePoint(input: unknown): Parsed<LatLng> {
  return fromZod(pointSchema.safeParse(input));
}

/** The search box text, trimmed and with runs of spaces made one. */
export function parseQueryText(input: unknown): Parsed<string> {
  return fromZod(queryTextSchema.safeParse(input));
}

/** `lat,lng` or `lat lng` typed in the box: undefined when the text is not two numbers; otherwise the checked point. */
export function parseTypedCoordinates(text: string): Parsed<LatLng> | undefined {
  const m = COORDINATES.exec(text);
  if (!m) return undefined;
  return parsePoint({ latitude: m[1], longitude: m[2] });
}
