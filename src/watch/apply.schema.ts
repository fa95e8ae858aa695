/**
 * The form for applying to join a scheme: what each field must be, with messages
 * in the GOV.UK error summary pattern. Nothing typed here is trusted: lengths are
 * bounded and control characters refused, and everything is escaped on the way out.
 */
import { emailProblem, nameProblem } from '../accounts/account.schema.ts';
import { normalisePostcode } from '../places/postcode.ts';
import { field, formFields, type FieldError } from './membership-http.ts';

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

/**
 * Reads and checks the form. A signed-in applicant's email is their account's, so
 * the field is not asked for (and ignored if sent).
 */
export function readApplication(body: unknown, signedInEmail: string | null): { form: ApplicationForm; problems: FieldError[] } {
  const fields = formFields(body);
  const form: ApplicationForm = {
    name: field(fields, 'name').trim(),
    email: signedInEmail ?? field(fields, 'email').trim(),
    street: field(fields, 'street').trim(),
    postcode: field(fields, 'postcode').trim(),
    consent: field(fields, 'consent') === 'yes',
    outsideConfirmed: field(fields, 'outsideConfirmed') === 'yes',
  };
  const problems: FieldError[] = [];
  const nameError = nameProblem(form.name);
  if (nameError) problems.push({ field: 'name', text: nameError });
  if (signedInEmail === null) {
    const emailError = emailProblem(form.email);
    if (emailError) problems.push({ field: 'email', text: emailError });
  }
  const streetError = lineProblem(form.street, 'your street', MAX_STREET_LENGTH);
  if (streetError) problems.push({ field: 'street', text: streetError });
  const postcode = normalisePostcode(form.postcode);
  if (form.postcode === '') problems.push({ field: 'postcode', text: 'Enter your postcode' });
  else if (postcode === undefined) problems.push({ field: 'postcode', text: 'Enter a real postcode, like DM1 1WZ' });
  else form.postcode = postcode;
  if (!form.consent) {
    problems.push({ field: 'consent', text: 'Select that you agree to the scheme’s coordinators seeing your name and street' });
  }
  return { form, problems };
}
