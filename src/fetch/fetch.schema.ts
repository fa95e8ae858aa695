/**
 * Validation of the `fetch` command's options, so a typo is one clear message
 * before any request is made.
 */
import { z } from 'zod';

export const DEFAULT_API = 'https://data.police.uk/api';
/** data.police.uk's documented sustained limit; we stay at or under it. */
export const MAX_RATE = 15;

const fetchOptionsSchema = z.object({
  api: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), { message: 'must be an http:// or https:// URL, such as https://data.police.uk/api' }),
  force: z
    .array(z.string())
    .default([])
    .transform((values) => values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== ''))
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+$/, 'force ids are lower-case words joined by hyphens, such as hampshire or avon-and-somerset'))),
  rate: z.coerce
    .number({ message: 'must be a number' })
    .refine((v) => v > 0 && v <= MAX_RATE, { message: `must be above 0 and at most ${MAX_RATE} (data.police.uk allows 15 requests/s)` }),
});

export type FetchCommandOptions = z.output<typeof fetchOptionsSchema>;

/** Parsed options, or every problem as one message per line. */
export function parseFetchOptions(raw: unknown): { ok: true; value: FetchCommandOptions } | { ok: false; message: string } {
  const parsed = fetchOptionsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `--${i.path[0] === undefined ? '' : String(i.path[0])} ${i.message}`).join('\n') };
}
