/**
 * Reading the administration forms: each field as a plain string, the checks, and
 * GOV.UK-shaped errors (a summary linking to each field, and each field's message).
 */
import { ORGANISATION_TYPES, ROLE_ORGANISATION_TYPES, ROLES, TIERS, type OrganisationType, type Role, type Tier } from '../access/permissions.ts';
import { roleLabel, typeLabel } from './admin.presenter.ts';
import { isOneOf } from '../store/column-values.ts';
import { field, type FieldError } from '../site/forms.ts';
export { errorView, field, formFields, type ErrorView, type FieldError } from '../site/forms.ts';

export const MAX_EMAIL_LENGTH = 254;
export const MAX_NAME_LENGTH = 100;
export const MAX_REASON_LENGTH = 1000;
export const MAX_ORGANISATION_NAME_LENGTH = 120;
/** Organisation and force ids: lower-case words joined by hyphens, as data.police.uk force ids are. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CONTROL = /[\u0000-\u001f\u007f]/;


/** Thrown by a change that a rule refuses (a guard rail, a role the organisation cannot hold): the form shows it. */
export class FormRefusal extends Error {
  constructor(
    readonly problems: FieldError[],
    readonly code: 'SC_ERR_INVALID_FORM' | 'SC_ERR_ROLE_NOT_ALLOWED' = 'SC_ERR_INVALID_FORM',
  ) {
    super(problems.map((p) => p.text).join('; '));
    this.name = 'FormRefusal';
  }
}

export function refuse(fieldId: string, text: string, code?: FormRefusal['code']): never {
  throw new FormRefusal([{ field: fieldId, text }], code);
}

export function emailProblem(email: string): string | null {
  const trimmed = email.trim();
  if (trimmed === '') return 'Enter their email address';
  if (trimmed.length > MAX_EMAIL_LENGTH) return `Email address must be ${MAX_EMAIL_LENGTH} characters or fewer`;
  if (!/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(trimmed)) return 'Enter an email address in the correct format, like name@example.com';
  return null;
}

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter their full name';
  if ([...trimmed].length > MAX_NAME_LENGTH) return `Name must be ${MAX_NAME_LENGTH} characters or fewer`;
  if (CONTROL.test(trimmed)) return 'Name must only include letters, spaces and punctuation';
  return null;
}

/** Why a role cannot be held in this organisation, or null when it can. */
export function roleProblem(role: string, organisationType: OrganisationType): { text: string; code: FormRefusal['code'] } | null {
  if (!isOneOf(ROLES, role)) return { text: 'Select a role', code: 'SC_ERR_INVALID_FORM' };
  const allowed = ROLE_ORGANISATION_TYPES[role];
  if (allowed.includes(organisationType)) return null;
  return {
    text: `The ${roleLabel(role).toLowerCase()} role can only be held in: ${allowed.map((t) => typeLabel(t).toLowerCase()).join(', ')}. This is a ${typeLabel(organisationType).toLowerCase()}.`,
    code: 'SC_ERR_ROLE_NOT_ALLOWED',
  };
}

/** The optional "why" given on suspensions and removals; kept in the audit entry. */
export function readReason(fields: Record<string, string>): { reason: string | null; problem: FieldError | null } {
  const reason = field(fields, 'reason').trim();
  if (reason === '') return { reason: null, problem: null };
  if (reason.length > MAX_REASON_LENGTH) return { reason, problem: { field: 'reason', text: `Reason must be ${MAX_REASON_LENGTH} characters or fewer` } };
  if (reason.includes('\u0000')) return { reason, problem: { field: 'reason', text: 'Reason must only include letters, numbers, spaces and punctuation' } };
  return { reason, problem: null };
}

export interface InviteForm {
  email: string;
  name: string;
  role: Role;
}

/** The invitation form, checked against the organisation's type. */
export function readInviteForm(fields: Record<string, string>, organisationType: OrganisationType): { value: InviteForm | null; problems: FieldError[]; code: FormRefusal['code'] } {
  const problems: FieldError[] = [];
  let code: FormRefusal['code'] = 'SC_ERR_INVALID_FORM';
  const email = field(fields, 'email').trim();
  const name = field(fields, 'name').trim();
  const role = field(fields, 'role');
  const emailError = emailProblem(email);
  if (emailError) problems.push({ field: 'email', text: emailError });
  const nameError = nameProblem(name);
  if (nameError) problems.push({ field: 'name', text: nameError });
  const roleError = roleProblem(role, organisationType);
  if (roleError) {
    problems.push({ field: 'role', text: roleError.text });
    if (problems.length === 1) code = roleError.code;
  }
  return { value: problems.length === 0 && isOneOf(ROLES, role) ? { email, name, role } : null, problems, code };
}

export interface OrganisationForm {
  id: string;
  name: string;
  type: OrganisationType;
  tier: Tier;
  forceId: string | null;
  neighbourhoodId: string | null;
}

/** The new-organisation form's own checks; whether the force and neighbourhood exist is checked against the store. */
export function readOrganisationForm(fields: Record<string, string>): { value: OrganisationForm | null; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const id = field(fields, 'id').trim();
  const name = field(fields, 'name').trim();
  const type = field(fields, 'type');
  const tier = field(fields, 'tier');
  const forceId = field(fields, 'forceId').trim();
  const neighbourhoodId = field(fields, 'neighbourhoodId').trim();
  if (id === '') problems.push({ field: 'id', text: 'Enter an identifier' });
  else if (id.length > 64 || !SLUG.test(id)) problems.push({ field: 'id', text: 'Identifier must be lower-case letters and numbers joined by single hyphens, up to 64 characters, like north-shire-council' });
  if (name === '') problems.push({ field: 'name', text: 'Enter the organisation’s name' });
  else if ([...name].length > MAX_ORGANISATION_NAME_LENGTH || CONTROL.test(name)) problems.push({ field: 'name', text: `Name must be ${MAX_ORGANISATION_NAME_LENGTH} characters or fewer, without line breaks` });
  if (!isOneOf(ORGANISATION_TYPES, type)) problems.push({ field: 'type', text: 'Select the type of organisation' });
  if (!isOneOf(TIERS, tier)) problems.push({ field: 'tier', text: 'Select the tier' });
  if (forceId !== '' && (forceId.length > 64 || !SLUG.test(forceId))) problems.push({ field: 'forceId', text: 'Force identifier must be lower-case letters and numbers joined by hyphens, like demo or city-of-london' });
  if (neighbourhoodId !== '' && (neighbourhoodId.length > 200 || CONTROL.test(neighbourhoodId))) problems.push({ field: 'neighbourhoodId', text: 'Neighbourhood identifier must be 200 characters or fewer' });
  if (type === 'neighbourhood_team') {
    if (forceId === '') problems.push({ field: 'forceId', text: 'Enter the force identifier: a neighbourhood team belongs to a force' });
    if (neighbourhoodId === '') problems.push({ field: 'neighbourhoodId', text: 'Enter the neighbourhood identifier: a neighbourhood team has its own neighbourhood' });
  } else if (neighbourhoodId !== '') {
    problems.push({ field: 'neighbourhoodId', text: 'Only a neighbourhood policing team has a neighbourhood; leave this empty' });
  }
  if (type === 'police_force' && forceId === '') problems.push({ field: 'forceId', text: 'Enter the force identifier of the police force' });
  if (problems.length > 0 || !isOneOf(ORGANISATION_TYPES, type) || !isOneOf(TIERS, tier)) return { value: null, problems };
  return {
    value: { id, name, type, tier, forceId: forceId || null, neighbourhoodId: neighbourhoodId || null },
    problems,
  };
}
