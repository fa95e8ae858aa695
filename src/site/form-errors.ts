/**
 * The GOV.UK error summary pattern's data: what each form's validation produces and
 * what its template reads (the summary's list, each field's inline message).
 */

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
