/**
 * The audit page's filter form (a GET form, so a filtered view can be bookmarked):
 * person (email address or id), action, record (type and id) and a date range,
 * each checked with a message for a person.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../audit/audit.schema.ts';
import { formFields, NO_ERRORS, parseForm, type ErrorView } from '../site/forms.ts';
import { isOneOf } from '../store/column-values.ts';

interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** A type rather than an interface, so it passes as formPage's values. */
export type AuditFilterForm = {
  person: string;
  action: string;
  subjectType: string;
  subjectId: string;
  from: DateParts;
  to: DateParts;
};

export interface ParsedAuditFilter {
  values: AuditFilterForm;
  /** The person as typed: an email address to look up, or an id. */
  person: { email: string } | { id: string } | null;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  since?: string;
  until?: string;
  /** NO_ERRORS when the filter can be used. */
  errors: ErrorView;
}

/** A query parameter trimmed and cut short: '' when absent or repeated. */
function text(query: Record<string, unknown>, name: string, max = 300): string {
  const value = query[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True for a day that exists: 2026-02-30 does not (Date would roll it on to March). */
function isRealDate(iso: string): boolean {
  const time = new Date(`${iso}T00:00:00.000Z`);
  return !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 10) === iso;
}

/**
 * A GOV.UK date input's three boxes as an ISO date, null when all are empty. A
 * date that cannot be read is an issue (and null, so the range check skips it).
 */
function dateInput(label: string) {
  return z.object({ day: z.string(), month: z.string(), year: z.string() }).transform(({ day, month, year }, ctx): string | null => {
    if (day === '' && month === '' && year === '') return null;
    const problem = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return null;
    };
    if (day === '' || month === '' || year === '') return problem(`${label} must include a day, month and year`);
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    const digits = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year);
    return digits && isRealDate(iso) ? iso : problem(`${label} must be a real date, like 23 11 2026`);
  });
}

/**
 * Three parts, intersected so the page lists problems in the form's order: who
 * and what, the record (its id needs its type), then the dates (in order).
 */
const whoAndWhat = z.object({
  person: z.string().refine((person) => person === '' || (person.length <= 254 && !CONTROL.test(person)), 'Enter an email address or a person’s id'),
  action: z.string().refine((action) => action === '' || isOneOf(AUDIT_ACTIONS, action), 'Select an action from the list'),
});
const record = z
  .object({
    subjectType: z.string().refine((type) => type === '' || /^[a-z][a-z0-9_]{0,63}$/.test(type), 'Type of record must be a lower-case word, like person or organisation'),
    subjectId: z.string(),
  })
  .superRefine(({ subjectType, subjectId }, ctx) => {
    if (subjectId === '') return;
    if (subjectType === '') ctx.addIssue({ code: 'custom', path: ['subjectType'], message: 'Enter the type of record as well as its id' });
    else if (subjectId.length > 128 || CONTROL.test(subjectId)) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: 'Record id must be 128 characters or fewer' });
  });
const dates = z.object({ from: dateInput('From date'), to: dateInput('To date') }).superRefine(({ from, to }, ctx) => {
  if (from !== null && to !== null && from > to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'To date must be the same as or after the from date' });
});
const auditFilter = whoAndWhat.and(record).and(dates);

/** Days are whole UTC days: "from" is inclusive from its start, "to" inclusive to its end. */
export function parseAuditFilter(raw: unknown): ParsedAuditFilter {
  const query = formFields(raw);
  const values: AuditFilterForm = {
    person: text(query, 'person'),
    action: text(query, 'action'),
    subjectType: text(query, 'subjectType'),
    subjectId: text(query, 'subjectId'),
    from: { day: text(query, 'from-day', 4), month: text(query, 'from-month', 4), year: text(query, 'from-year', 6) },
    to: { day: text(query, 'to-day', 4), month: text(query, 'to-month', 4), year: text(query, 'to-year', 6) },
  };
  const parsed = parseForm(auditFilter, values, { dateFields: ['from', 'to'] });
  if (!parsed.ok) return { values, person: null, errors: parsed.errors };
  const { person, action, subjectType, subjectId, from, to } = parsed.value;
  return {
    values,
    person: person === '' ? null : person.includes('@') ? { email: person } : { id: person },
    ...(action !== '' ? { action } : {}),
    ...(subjectType !== '' ? { subjectType } : {}),
    ...(subjectId !== '' ? { subjectId } : {}),
    ...(from !== null ? { since: `${from}T00:00:00.000Z` } : {}),
    ...(to !== null ? { until: new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString() } : {}),
    errors: NO_ERRORS,
  };
}

/** The filter as a query string, to carry it into the next page's link. */
export function filterQuery(values: AuditFilterForm): string {
  const params = new URLSearchParams();
  const add = (name: string, value: string) => {
    if (value !== '') params.set(name, value);
  };
  add('person', values.person);
  add('action', values.action);
  add('subjectType', values.subjectType);
  add('subjectId', values.subjectId);
  for (const [prefix, date] of [['from', values.from], ['to', values.to]] as const) {
    add(`${prefix}-day`, date.day);
    add(`${prefix}-month`, date.month);
    add(`${prefix}-year`, date.year);
  }
  return params.toString();
}
