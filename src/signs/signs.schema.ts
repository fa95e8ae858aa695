/**
 * What a content editor may send: a guide's title, summary and Markdown body, and
 * whether to publish it or keep it as a draft. Messages follow the GOV.UK pattern.
 */
import { z } from 'zod';

export const GUIDE_LIMITS = { title: 120, summary: 300, body: 20_000 } as const;

/** A guide's address: lower-case words joined by hyphens. */
export const guideSlug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(60);

const text = (empty: string, name: string, max: number) =>
  z
    .string({ error: empty })
    .transform((s) => s.replace(/\r\n/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, empty)
        .max(max, `${name} must be ${max.toLocaleString('en-GB')} characters or fewer`),
    )
    .refine((s) => !s.includes('\u0000'), `${name} must not contain a NUL character`);

export const guideForm = z.object({
  title: text('Enter a title', 'Title', GUIDE_LIMITS.title).refine((s) => !s.includes('\n'), 'Title must be on one line'),
  summary: text('Enter a summary', 'Summary', GUIDE_LIMITS.summary),
  body: text('Enter the guide text', 'The guide text', GUIDE_LIMITS.body),
  // The button pressed: "publish" or "draft"; anything else is a preview.
  intent: z.enum(['publish', 'draft', 'preview'], { error: 'Choose whether to publish, save a draft or preview' }),
});

export type GuideForm = z.output<typeof guideForm>;
