/**
 * The form for applying to join a scheme: what each field must be, with messages
 * in the GOV.UK error summary pattern. Nothing typed here is trusted: lengths are
 * bounded and control characters refused, and everything is escaped on the way out.
 */
import { z } from 'zod';
import { emailProblem, nameProblem } from '../accounts/account.schema.ts';
import { normalisePostcode } from '../places/postcode.ts';
import { checkedBy } from '../site/form-rules.ts';
import { field, formFields, parseForm, type ErrorView } from '../site/forms.ts';

export const MAX_STREET_LENGTH = 120;

export interface ApplicationForm {
  name: string;
  email: string;
  street: string;
  postcode: string;
  consent: boolean;
  /** The applicant saw the "outside the area" warning and chose to go on. */
  outsideConfirmed: boolean;
}

/** A line of text such as a street or a subject: required, bounded, one line. */
export function lineProblem(value: string, label: string, max: number): string | null {
  if (value === '') return `Enter ${label}`;
  if ([...value].length > max) return `${label[0]!.toUpperCase()}${label.slice(1)} must be ${max} characters or fewer`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${label[0]!.toUpperCase()}${label.slice(1)} must be one line of text`;
  return null;
}

const applicationSchema = z.object({
  name: checkedBy(nameProblem),
  email: checkedBy(emailProblem),
  street: checkedBy((street) => lineProblem(street, 'your street', MAX_STREET_LENGTH)),
  postcode: checkedBy((postcode) => (postcode === '' ? 'Enter your postcode' : normalisePostcode(postcode) === undefined ? 'Enter a real postcode, like DM1 1WZ' : null)),
  consent: z.literal(true, { error: 'Select that you agree to the scheme’s coordinators seeing your name and street' }),
});
/** A signed-in applicant's email is their account's, already checked. */
const signedInSchema = applicationSchema.omit({ email: true });

/**
 * Reads and checks the form. A signed-in applicant's email is their account's, so
 * the field is not asked for (and ignored if sent). The form comes back as typed,
 * trimmed, with a real postcode written the standard way, to show again or to use.
 */
export function readApplication(body: unknown, signedInEmail: string | null): { form: ApplicationForm; errors: ErrorView | null } {
  const fields = formFields(body);
  const postcode = field(fields, 'postcode').trim();
  const form: ApplicationForm = {
    name: field(fields, 'name').trim(),
    email: signedInEmail ?? field(fields, 'email').trim(),
    street: field(fields, 'street').trim(),
    postcode: normalisePostcode(postcode) ?? postcode,
    consent: field(fields, 'consent') === 'yes',
    outsideConfirmed: field(fields, 'outsideConfirmed') === 'yes',
  };
  const parsed = parseForm(signedInEmail === null ? applicationSchema : signedInSchema, form);
  return { form, errors: parsed.ok ? null : parsed.errors };
}
