/**
 * The one form toolkit: reading a submitted form (or a search's query string),
 * validating it with a zod schema, and the GOV.UK error summary pattern's data
 * that every form template reads:
 *
 *   const parsed = parseForm(schema, formFields(request.body));
 *   if (!parsed.ok) return render(…, formPage(fields, parsed.errors), 400);
 *
 * Templates print `errorList` with govukErrorSummary and `errors[name]` as each
 * field's errorMessage; the layout prefixes the title with "Error:" when
 * `errorSummary` is set. Field rules shared by many forms are in form-rules.ts.
 */
import type { z } from 'zod';

/** A submitted form: each field as a string, the CSRF token left out. */
export type FormFields = Record<string, string>;

/**
 * A form's fields as strings. A repeated field (an array) or anything else that is
 * not a string reads as missing: our forms never send one name twice.
 */
export function formFields(body: unknown): FormFields {
  // No prototype: a field called `constructor` or `__proto__` is just a field.
  const fields = Object.create(null) as FormFields;
  if (body === null || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string' && name !== '_csrf') fields[name] = value;
  }
  return fields;
}

/** One field from a parsed form, '' when absent. */
export function field(fields: FormFields, name: string): string {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name]! : '';
}

export interface FieldError {
  /** The field's name: the key of its inline message. */
  field: string;
  text: string;
  /** The input's id when it is not the name (a date input's day box), so the summary links to it. */
  anchor?: string;
}

/** What the templates need: the summary list and each field's message. */
export interface ErrorView {
  errorList: { text: string; href: string }[];
  errors: Record<string, { text: string }>;
  /** Set when there is any error: the layout prefixes the title with "Error:". */
  errorSummary: boolean;
}

/** The first message for a field wins, as the pattern shows one per field. */
export function errorView(problems: readonly FieldError[]): ErrorView {
  const errors: Record<string, { text: string }> = {};
  const errorList: ErrorView['errorList'] = [];
  for (const p of problems) {
    if (errors[p.field]) continue;
    errors[p.field] = { text: p.text };
    errorList.push({ text: p.text, href: `#${p.anchor ?? p.field}` });
  }
  return { errorList, errors, errorSummary: errorList.length > 0 };
}

/** An error for one field, for checks made outside a schema (a duplicate id, an unreadable photo). */
export function fieldError(name: string, text: string, anchor?: string): ErrorView {
  return errorView([{ field: name, text, anchor }]);
}

export const NO_ERRORS: ErrorView = Object.freeze({ errorList: [], errors: {}, errorSummary: false }) as ErrorView;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: ErrorView };

export interface ParseOptions {
  /** Fields drawn as a GOV.UK date input: the summary links to their day box. */
  dateFields?: readonly string[];
}

/**
 * Validates with the schema; on failure the first message for each field, in the
 * schema's order. An issue with no path (a refinement across fields) is reported
 * against the field named in its path, or 'form'.
 */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown, options: ParseOptions = {}): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue): FieldError => {
    const name = String(issue.path[0] ?? 'form');
    return { field: name, text: issue.message, anchor: options.dateFields?.includes(name) ? `${name}-day` : undefined };
  });
  return { ok: false, errors: errorView(problems) };
}

/** A form page's data: what was typed (or is stored) and, after a failed submit, the errors. */
export function formPage(values: FormFields | Record<string, unknown>, errors: ErrorView = NO_ERRORS): { values: typeof values } & ErrorView {
  return { values, ...errors };
}
