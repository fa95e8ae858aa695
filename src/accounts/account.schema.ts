/**
 * The account forms as zod schemas, each read with parseForm (src/site/forms.ts)
 * so every page gets the same error summary and field messages; the query
 * strings of account pages; and the one rule for where a `next` link may send
 * someone. Checks that need the store (a wrong password, a used code) stay in the
 * routes and services.
 */
import { z } from 'zod';
import { isMailAddress } from '../mail/mail.service.ts';
import type { FormFields } from '../site/forms.ts';
import { passwordProblems, type PasswordContext } from './password.ts';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';

/** A field trimmed, '' when it was not sent (formFields leaves out anything but a string). */
export const trimmedText = z
  .string()
  .optional()
  .transform((s) => (s ?? '').trim());
/** A field exactly as typed, '' when not sent: passwords are compared byte for byte, so never trimmed. */
export const exactText = z
  .string()
  .optional()
  .transform((s) => s ?? '');
const filledIn = (s: string): boolean => s !== '';

/**
 * An email address. `empty` speaks to whoever fills the form in ("Enter your email
 * address", "Enter their email address"). `deliverable` also asks the mail
 * sender's own check, for forms that send mail to the address straight away.
 * The checks run in order and the page shows the first that fails.
 */
export function emailAddress(empty: string, options: { deliverable?: boolean } = {}) {
  return trimmedText.pipe(
    z
      .string()
      .min(1, empty)
      .max(MAX_EMAIL_LENGTH, `Email address must be ${MAX_EMAIL_LENGTH} characters or fewer`)
      .regex(EMAIL_SHAPE, EMAIL_FORMAT)
      .refine((s) => !options.deliverable || isMailAddress(s), EMAIL_FORMAT),
  );
}

/** A person's name: one line, counted in characters (code points) so an accented name is not short-changed. */
export function personName(empty: string) {
  return trimmedText.pipe(
    z
      .string()
      .min(1, empty)
      .refine((s) => [...s].length <= MAX_NAME_LENGTH, `Name must be ${MAX_NAME_LENGTH} characters or fewer`)
      .refine((s) => !CONTROL.test(s), 'Name must only include letters, spaces and punctuation'),
  );
}

const yourEmail = emailAddress('Enter your email address', { deliverable: true });
const yourName = personName('Enter your name');

/** The first message a rule gives for one value, or null: for a value checked outside a form. */
export function problemWith(rule: z.ZodType, value: unknown): string | null {
  const result = rule.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? null);
}

/** For watch/'s hand-checked forms, until they read theirs with a schema too. */
export const emailProblem = (email: string): string | null => problemWith(yourEmail, email);
export const nameProblem = (name: string): string | null => problemWith(yourName, name);

/**
 * passwordProblems' messages as issues on `path`. The rules need the person's email
 * address and name, which some forms ask for alongside, so forms check a new
 * password across their fields with this.
 */
function checkNewPassword(ctx: z.RefinementCtx, path: string, plain: string, context: PasswordContext): void {
  for (const message of passwordProblems(plain, context)) ctx.addIssue({ code: 'custom', path: [path], message });
}

/** What a form shows again after a failed submit: these fields trimmed, as the checks saw them. */
export function typedValues(fields: FormFields, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, trimmedText.parse(fields[name])]));
}

export const signInForm = z.object({
  email: trimmedText.refine(filledIn, 'Enter your email address'),
  password: exactText.refine(filledIn, 'Enter your password'),
});

export const signUpForm = z
  .object({ name: yourName, email: yourEmail, password: exactText })
  .superRefine((form, ctx) => checkNewPassword(ctx, 'password', form.password, { email: form.email, displayName: form.name }));

export const recoverForm = z.object({ email: yourEmail });

/** Choosing a new password through a recovery link: `person` is whose account it is. */
export function resetPasswordForm(person: PasswordContext) {
  return z.object({ password: exactText }).superRefine((form, ctx) => checkNewPassword(ctx, 'password', form.password, person));
}

/** Accepting an invitation as a new person: their name, and a password that is neither it nor `email`. */
export function invitationForm(email: string) {
  return z
    .object({ name: yourName, password: exactText })
    .superRefine((form, ctx) => checkNewPassword(ctx, 'password', form.password, { email, displayName: form.name }));
}

/** /account's password change; a new password that passes the rules must still differ from the current one. */
export function changePasswordForm(person: PasswordContext) {
  return z
    .object({
      currentPassword: exactText.refine(filledIn, 'Enter your current password'),
      newPassword: exactText,
      signOutOthers: exactText.transform((s) => s === 'yes'),
    })
    .superRefine((form, ctx) => {
      if (passwordProblems(form.newPassword, person).length > 0) checkNewPassword(ctx, 'newPassword', form.newPassword, person);
      else if (form.newPassword === form.currentPassword) ctx.addIssue({ code: 'custom', path: ['newPassword'], message: 'New password must be different from your current password' });
    });
}

/** Re-entering the password before a sensitive change; whether it is right is the store's to say. */
export const passwordCheckForm = z.object({ password: exactText.refine(filledIn, 'Enter your password') });

const ENTER_APP_CODE = 'Enter the 6-digit code from your authentication app';
/** An app's code may be typed with spaces ("123 456"); the check reads the digits. */
const sixDigits = (code: string): boolean => /^[0-9]{6}$/.test(code.replace(/\s+/g, ''));

/** The second factor at sign-in: a code from the app, or a recovery code (checked only for being there). */
export function signInCodeForm(method: 'app' | 'recovery') {
  return z.object({
    code: trimmedText.pipe(
      z
        .string()
        .min(1, method === 'app' ? ENTER_APP_CODE : 'Enter one of your recovery codes')
        .refine((code) => method !== 'app' || sixDigits(code), 'The code must be 6 digits, like 123456'),
    ),
  });
}

/** The first code from a newly set-up app. */
export const firstCodeForm = z.object({
  code: trimmedText.pipe(z.string().min(1, ENTER_APP_CODE).refine(sixDigits, 'The code must be 6 digits, like 123456')),
});

/** Query strings of pages reached by an emailed link. */
export const tokenQuery = z.object({ token: z.string().max(200).optional().catch(undefined) });
/** Query strings of pages that may continue elsewhere afterwards. */
export const nextQuery = z.object({
  next: z.string().max(500).optional().catch(undefined),
  method: z.string().max(20).optional().catch(undefined),
  notice: z.string().max(40).optional().catch(undefined),
});

/** A path on this site: "/…" but not "//host" or "/\\host", which browsers read as another site. */
function localPath(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.startsWith('/') && !value.startsWith('//') && !/[\\\u0000-\u0020\u007f]/.test(value);
}

/**
 * `value` as a path on this site, percent-encoded to plain ASCII, otherwise null.
 * Only "/…" is allowed: not "//host" or "/\host" (browsers read both as another
 * site), not a scheme, and no backslashes or control characters anywhere (browsers
 * drop tabs and newlines and turn backslashes into slashes, which can make
 * "/\t/host" into "//host"). The answer is the path as the URL parser writes it:
 * non-ASCII characters encoded, since a redirect's Location must be ASCII, and
 * dot segments resolved, so it is checked again ("/.//host" resolves to "//host").
 */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return null;
  if (!localPath(value)) return null;
  const base = 'http://local.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== base || !localPath(path) || path.length > 500) return null;
  return path;
}

/** `path` with `?next=` when there is a safe next. */
export function withNext(path: string, next: string | null): string {
  return next === null ? path : `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(next)}`;
}
