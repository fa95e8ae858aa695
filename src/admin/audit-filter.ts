/**
 * The audit page's filter form (a GET form, so a filtered view can be bookmarked):
 * person (email address or id), action, record (type and id) and a date range,
 * each checked with a message for a person.
 */
import { AUDIT_ACTIONS } from '../audit/audit.schema.ts';
import { isOneOf } from '../store/column-values.ts';
import type { FieldError } from './admin-forms.ts';
import { formFields } from '../site/forms.ts';

export interface AuditFilterForm {
  person: string;
  action: string;
  subjectType: string;
  subjectId: string;
  from: { day: string; month: string; year: string };
  to: { day: string; month: string; year: string };
}

export interface ParsedAuditFilter {
  values: AuditFilterForm;
  /** The person as typed: an email address to look up, or an id. */
  person: { email: string } | { id: string } | null;
  action?: string;
  subjectType?: string;
  subjectId?: string;
  since?: string;
  until?: string;
  problems: FieldError[];
}

function text(query: Record<string, unknown>, name: string, max = 300): string {
  const value = query[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A GOV.UK date input's three fields as an ISO date, null when all are empty, or a problem. */
function readDate(parts: { day: string; month: string; year: string }, id: string, label: string): { date: string | null; problem: FieldError | null } {
  const { day, month, year } = parts;
  if (day === '' && month === '' && year === '') return { date: null, problem: null };
  if (day === '' || month === '' || year === '') return { date: null, problem: { field: `${id}-day`, text: `${label} must include a day, month and year` } };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { date: null, problem: { field: `${id}-day`, text: `${label} must be a real date, like 23 11 2026` } };
  }
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const time = new Date(`${iso}T00:00:00.000Z`);
  if (Number.isNaN(time.getTime()) || time.toISOString().slice(0, 10) !== iso) {
    return { date: null, problem: { field: `${id}-day`, text: `${label} must be a real date, like 23 11 2026` } };
  }
  return { date: iso, problem: null };
}

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
  const parsed: ParsedAuditFilter = { values, person: null, problems: [] };
  const problems = parsed.problems;

  if (values.person !== '') {
    if (values.person.length > 254 || CONTROL.test(values.person)) problems.push({ field: 'person', text: 'Enter an email address or a person’s id' });
    else parsed.person = values.person.includes('@') ? { email: values.person } : { id: values.person };
  }
  if (values.action !== '') {
    if (isOneOf(AUDIT_ACTIONS, values.action)) parsed.action = values.action;
    else problems.push({ field: 'action', text: 'Select an action from the list' });
  }
  if (values.subjectType !== '') {
    if (/^[a-z][a-z0-9_]{0,63}$/.test(values.subjectType)) parsed.subjectType = values.subjectType;
    else problems.push({ field: 'subjectType', text: 'Type of record must be a lower-case word, like person or organisation' });
  }
  if (values.subjectId !== '') {
    if (values.subjectType === '') problems.push({ field: 'subjectType', text: 'Enter the type of record as well as its id' });
    else if (values.subjectId.length > 128 || CONTROL.test(values.subjectId)) problems.push({ field: 'subjectId', text: 'Record id must be 128 characters or fewer' });
    else parsed.subjectId = values.subjectId;
  }
  const from = readDate(values.from, 'from', 'From date');
  const to = readDate(values.to, 'to', 'To date');
  if (from.problem) problems.push(from.problem);
  if (to.problem) problems.push(to.problem);
  if (from.date !== null && to.date !== null && from.date > to.date) problems.push({ field: 'to-day', text: 'To date must be the same as or after the from date' });
  if (from.date !== null) parsed.since = `${from.date}T00:00:00.000Z`;
  if (to.date !== null) parsed.until = new Date(Date.parse(`${to.date}T00:00:00.000Z`) + 86_400_000).toISOString();
  return parsed;
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
