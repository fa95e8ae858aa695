/**
 * Reading a submitted form, and the GOV.UK error summary pattern's data: what each
 * form's validation produces and what its template reads (the summary's list, each
 * field's inline message).
 */

/** A form's fields as strings; anything else (an array, a missing field) reads as ''. */
export function formFields(body: unknown): Record<string, string> {
  // No prototype: a field called `constructor` or `__proto__` is just a field.
  const fields = Object.create(null) as Record<string, string>;
  if (body === null || typeof body !== 'object') return fields;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** One field from a parsed form, '' when absent. */
export function field(fields: Record<string, string>, name: string): string {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name]! : '';
}

export interface FieldError {
  /** The input's id, so the summary links to it. */
  field: string;
  text: string;
}

/** What the templates need: the summary list and each field's message. */
export interface ErrorView {
  errorList: { text: string; href: string }[];
  errors: Record<string, { text: string }>;
  /** Set when there is any error: the layout prefixes the title with "Error:". */
  errorSummary: boolean;
}

/** The first message for a field wins, as the pattern shows one per field. */
export function errorView(problems: FieldError[]): ErrorView {
  const errors: Record<string, { text: string }> = {};
  for (const p of problems) errors[p.field] ??= { text: p.text };
  return { errorList: problems.map((p) => ({ text: p.text, href: `#${p.field}` })), errors, errorSummary: problems.length > 0 };
}
