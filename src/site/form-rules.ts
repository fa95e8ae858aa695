/**
 * The zod field rules many forms share, each with its GOV.UK error messages:
 * text with a length limit, contact details, postcodes, date and time inputs, a
 * checkbox, and a rule made from a check that returns the message to show.
 * Reading the form and turning failures into the error summary is forms.ts.
 */
import { z } from 'zod';
import type { FormFields } from './forms.ts';

/** What was typed, trimmed: '' when the field was not sent. */
const typed = z
  .string()
  .optional()
  .transform((s) => (s ?? '').trim());

/** Required text: `empty` is the message when nothing was typed, e.g. 'Enter a title'. */
export function requiredText(name: string, max: number, empty: string) {
  return typed.pipe(z.string().min(1, empty).max(max, `${name} must be ${max} characters or less`));
}

/** Optional text, '' when nothing was typed. */
export function optionalText(name: string, max: number) {
  return typed.pipe(z.string().max(max, `${name} must be ${max} characters or less`));
}

const EMAIL = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+\.[^\s@<>"(),;:\\[\]]+$/;

export const optionalEmail = typed.pipe(
  z
    .string()
    .max(254, 'Email address must be 254 characters or less')
    .refine((s) => s === '' || EMAIL.test(s), 'Enter an email address in the correct format, like name@example.com'),
);

/** An http(s) web address, or ''. */
export function optionalUrl(name: string) {
  return typed.pipe(
    z
      .string()
      .max(500, `${name} must be 500 characters or less`)
      .refine((s) => {
        if (s === '') return true;
        try {
          const url = new URL(s);
          return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
        } catch {
          return false;
        }
      }, `${name} must be a full web address, like https://www.example.com/your-team`),
  );
}

export function optionalPhone(name: string) {
  return typed.pipe(
    z
      .string()
      .refine(
        (s) => s === '' || (/^[0-9+() -]{3,30}$/.test(s) && (s.match(/\d/g) ?? []).length >= 3),
        `Enter a ${name.toLowerCase()} like 01632 960 001, 07700 900 982 or 101`,
      ),
  );
}

const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;

/** A UK postcode, normalised to upper case with one space, or ''. */
export const optionalPostcode = typed.pipe(
  z
    .string()
    .transform((s) => s.toUpperCase().replace(/\s+/g, ' '))
    .refine((s) => s === '' || POSTCODE.test(s), 'Enter a real postcode, like SO23 8UA')
    .transform((s) => (s === '' ? '' : s.replace(POSTCODE, '$1 $2'))),
);

/** The day, month and year boxes of a GOV.UK date input called `prefix`. */
export function dateParts(fields: FormFields, prefix: string): { day: string; month: string; year: string } {
  return { day: fields[`${prefix}-day`] ?? '', month: fields[`${prefix}-month`] ?? '', year: fields[`${prefix}-year`] ?? '' };
}

/**
 * A date input as `YYYY-MM-DD`, or null when left empty and not required.
 * `name` starts the messages: 'Start date must be a real date'.
 */
export function dateField(name: string, required: boolean) {
  return z.object({ day: z.string(), month: z.string(), year: z.string() }).transform((d, ctx): string | null => {
    const parts = { day: d.day.trim(), month: d.month.trim(), year: d.year.trim() };
    const missing = (['day', 'month', 'year'] as const).filter((k) => parts[k] === '');
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (missing.length === 3) return required ? fail(`Enter the ${name.toLowerCase()}`) : null;
    if (missing.length > 0) return fail(`${name} must include a ${missing.join(' and a ')}`);
    if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{4}$/.test(parts.year)) return fail(`${name} must be a real date`);
    const [y, m, day] = [Number(parts.year), Number(parts.month), Number(parts.day)];
    const date = new Date(Date.UTC(y, m - 1, day));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== day) return fail(`${name} must be a real date`);
    if (y < 2000 || y > 2099) return fail(`${name} must be between the years 2000 and 2099`);
    return `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}`;
  });
}

/** A time such as 19:30, 7:30pm, 7pm or 09.15 as `HH:MM`, or null when empty and not required. */
export function timeField(name: string, required: boolean) {
  return typed.transform((s, ctx): string | null => {
    if (s === '') {
      if (!required) return null;
      ctx.addIssue({ code: 'custom', message: `Enter the ${name.toLowerCase()}` });
      return z.NEVER;
    }
    const m = /^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$/i.exec(s);
    let hour = m ? Number(m[1]) : NaN;
    const minute = m?.[2] ? Number(m[2]) : 0;
    const half = m?.[3]?.toLowerCase();
    if (m && half) hour = hour < 1 || hour > 12 ? NaN : (hour % 12) + (half === 'pm' ? 12 : 0);
    if (!m || (!m[2] && !half) || !(hour >= 0 && hour <= 23) || minute > 59) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a real time, like 19:30 or 7:30pm` });
      return z.NEVER;
    }
    return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  });
}

/** A checkbox's value as a boolean ('yes' when ticked). */
export const checkbox = z
  .string()
  .optional()
  .transform((s) => s === 'yes');

/**
 * A rule from a check that answers the message to show, or null when the value is
 * fine: for checks shared with code that is not a form (a name, an email address).
 * The value is passed as given, so the caller decides how it is tidied.
 */
export function checkedBy(problem: (value: string) => string | null) {
  return z.string().superRefine((value, ctx) => {
    const message = problem(value);
    if (message !== null) ctx.addIssue({ code: 'custom', message });
  });
}
