/**
 * Validation of `safe-communities audit list` and `audit verify` options, so a
 * mistyped date is one clear message rather than an empty listing.
 */
import { z } from 'zod';
import type { AuditFilter } from './audit.repository.ts';

// Accepts anything Date understands that starts like ISO 8601 (2026-11-23, 2026-11-23T08:00Z…);
// stored times are toISOString text, so the bound is normalised the same way to compare as text.
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}/, 'must be an ISO 8601 date or time, such as 2026-11-23 or 2026-11-23T08:00:00Z')
  .transform((v, ctx) => {
    const time = new Date(v);
    if (Number.isNaN(time.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date or time' });
      return z.NEVER;
    }
    return time.toISOString();
  });

const listOptionsSchema = z.object({
  actor: z.string().min(1).max(128).optional(),
  subject: z
    .string()
    .regex(/^[a-z][a-z0-9_]*:.+$/, 'must be TYPE:ID, such as person:p-17')
    .optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number' : undefined) })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(100),
  json: z.boolean().default(false),
});

const verifyOptionsSchema = z.object({
  expectHead: z
    .string()
    .regex(/^\d+:[0-9a-f]{64}$/, 'must be SEQUENCE:HASH as printed by an earlier verify')
    .transform((v) => {
      const [sequence = '', hash = ''] = v.split(':');
      return { sequence: Number(sequence), hash };
    })
    .optional(),
});

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function flatten<T>(result: z.ZodSafeParseResult<T>): Parsed<T> {
  if (result.success) return { ok: true, value: result.data };
  const flag = (name: PropertyKey | undefined) => `--${String(name ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return { ok: false, message: result.error.issues.map((i) => `${flag(i.path[0])} ${i.message}`).join('\n') };
}

/** `audit list` options as a filter plus output choice, or every problem one per line. */
export function parseAuditListOptions(raw: unknown): Parsed<{ filter: AuditFilter; json: boolean }> {
  const parsed = flatten(listOptionsSchema.safeParse(raw));
  if (!parsed.ok) return parsed;
  const { actor, subject, since, until, limit, json } = parsed.value;
  const filter: AuditFilter = { limit };
  if (actor !== undefined) filter.actorId = actor;
  if (subject !== undefined) {
    const colon = subject.indexOf(':');
    filter.subjectType = subject.slice(0, colon);
    filter.subjectId = subject.slice(colon + 1);
  }
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  return { ok: true, value: { filter, json } };
}

/** `audit verify` options. */
export function parseAuditVerifyOptions(raw: unknown): Parsed<z.output<typeof verifyOptionsSchema>> {
  return flatten(verifyOptionsSchema.safeParse(raw));
}
