/**
 * What may be written to the audit log. Actions come from one known list so a
 * typo cannot create an action nobody filters for; features add theirs here.
 */
import { z } from 'zod';

/** Every action the audit log accepts. Stable strings: never rename one once written. */
export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.mfa_enrolled',
  'auth.mfa_failed',
  'auth.password_changed',
  'auth.recovery_requested',
  'auth.locked_out',
  'auth.recovery_codes_issued',
  'auth.email_verified',
  'account.create',
  'account.invite',
  'account.invitation_accepted',
  'account.suspend',
  'account.remove',
  'role.change',
  'organisation.create',
  'organisation.update',
  'permission.change',
  'record.view',
  'record.create',
  'record.update',
  'record.export',
  'record.delete',
  'access.denied',
  // Repeats of one refusal, counted and written as one entry (src/audit/denials.repository.ts).
  'access.denied.repeated',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

// No control characters in identifiers: they end up in terminals and log lines.
const identifier = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** Details are kept small: the log records that something happened, not the data itself. */
export const MAX_DETAILS_CHARS = 4096;

export const auditEntrySchema = z
  .object({
    actorId: identifier(128).nullable().default(null),
    actorOrg: identifier(128).nullable().default(null),
    action: z.enum(AUDIT_ACTIONS),
    subjectType: z
      .string()
      .max(64)
      .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case word such as person or partner_record')
      .nullable()
      .default(null),
    subjectId: identifier(128).nullable().default(null),
    // PostgreSQL text cannot hold NUL; refusing it here keeps both stores alike.
    reason: z
      .string()
      .max(2000)
      .refine((v) => !v.includes('\u0000'), 'must not contain NUL')
      .nullable()
      .default(null),
    clientAddress: z
      .string()
      .max(64)
      .regex(/^[0-9A-Za-z.:%_-]+$/, 'must be an IP address')
      .nullable()
      .default(null),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .default(null)
      .transform((v, ctx) => {
        if (v === null) return null;
        const text = JSON.stringify(v);
        if (text.length > MAX_DETAILS_CHARS) {
          ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_DETAILS_CHARS} characters as JSON` });
          return z.NEVER;
        }
        if (text.includes('\\u0000')) {
          ctx.addIssue({ code: 'custom', message: 'must not contain NUL' });
          return z.NEVER;
        }
        return text;
      }),
  })
  .strict()
  .refine((e) => (e.subjectType === null) === (e.subjectId === null), {
    message: 'subjectType and subjectId go together',
    path: ['subjectId'],
  });

/** What a caller passes to appendAudit. */
export type AuditEntryInput = z.input<typeof auditEntrySchema>;
/** A validated entry; details already serialised to JSON text. */
export type ValidAuditEntry = z.output<typeof auditEntrySchema>;

/** Thrown when an entry fails validation; the message lists every problem. */
export class AuditValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditValidationError';
  }
}

/** Validates an entry or throws AuditValidationError naming each bad field. */
export function parseAuditEntry(input: AuditEntryInput): ValidAuditEntry {
  const parsed = auditEntrySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AuditValidationError(
    `Invalid audit entry: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'} ${i.message}`).join('; ')}`,
  );
}
