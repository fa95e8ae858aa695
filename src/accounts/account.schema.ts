/**
 * Reading the account forms: every field as a plain string (a repeated or missing
 * field reads as ''), the checks each field needs, GOV.UK-shaped error lists, and
 * the one rule for where a `next` link may send someone.
 */
import { z } from 'zod';
import { isMailAddress } from '../mail/mail.service.ts';
import { field, type FieldError } from '../site/forms.ts';
export { errorView, field, formFields, type ErrorView, type FieldError } from '../site/forms.ts';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 100;

/** Query strings of pages reached by an emailed link. */
export const tokenQuery = z.object({ token: z.string().max(200).optional().catch(undefined) });
/** Query strings of pages that may continue elsewhere afterwards. */
export const nextQuery = z.object({
  next: z.string().max(500).optional().catch(undefined),
  method: z.string().max(20).optional().catch(undefined),
  notice: z.string().max(40).optional().catch(undefined),
});

export function emailProblem(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter your email address';
  if (trimmed.length > MAX_EMAIL_LENGTH) return `Email address must be ${MAX_EMAIL_LENGTH} characters or fewer`;
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(trimmed) || !isMailAddress(trimmed)) return 'Enter an email address in the correct format, like name@example.com';
  return null;
}

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter your name';
  if ([...trimmed].length > MAX_NAME_LENGTH) return `Name must be ${MAX_NAME_LENGTH} characters or fewer`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'Name must only include letters, spaces and punctuation';
  return null;
}


/** Problems for one field from a list of messages (e.g. passwordProblems). */
export function problemsFor(fieldId: string, messages: readonly string[]): FieldError[] {
  return messages.map((text) => ({ field: fieldId, text }));
}

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
