/**
 * The administration forms as zod schemas, each read with parseForm
 * (src/site/forms.ts), and FormRefusal: how a service refuses a change that a
 * rule forbids (a guard rail, a role the organisation cannot hold) so that the
 * form can show why. Rules that need the store stay in the services.
 */
import { z } from 'zod';
import { ORGANISATION_TYPES, ROLE_ORGANISATION_TYPES, ROLES, TIERS, type OrganisationType, type Role, type Tier } from '../access/permissions.ts';
import { emailAddress, exactText, personName, problemWith, trimmedText } from '../accounts/account.schema.ts';
import type { ErrorView, FieldError } from '../site/forms.ts';
import { roleLabel, typeLabel } from './admin.presenter.ts';
import { isOneOf } from '../store/column-values.ts';

export const MAX_REASON_LENGTH = 1000;
export const MAX_ORGANISATION_NAME_LENGTH = 120;
/** Organisation and force ids: lower-case words joined by hyphens, as data.police.uk force ids are. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// eslint-disable-next-line no-control-regex
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

/** The messages speak to an administrator about someone else. */
const theirEmail = emailAddress('Enter their email address');
const theirName = personName('Enter their full name');

/** For the command line's create-admin, which rewords them for its operator. */
export const emailProblem = (email: string): string | null => problemWith(theirEmail, email);
export const nameProblem = (name: string): string | null => problemWith(theirName, name);

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

/**
 * One of a fixed list of values (a radio button). A refinement rather than
 * z.enum: an enum's failure stops the form's cross-field checks, and the page
 * shows those alongside.
 */
function oneOf<T extends string>(values: readonly T[], message: string) {
  return exactText.refine((value) => (values as readonly string[]).includes(value), message).transform((value) => value as T);
}

/** The optional "why" given on suspensions and removals; kept in the audit entry (null when left empty). */
export const reasonForm = z.object({
  reason: trimmedText
    .pipe(
      z
        .string()
        .max(MAX_REASON_LENGTH, `Reason must be ${MAX_REASON_LENGTH} characters or fewer`)
        .refine((reason) => !reason.includes('\u0000'), 'Reason must only include letters, numbers, spaces and punctuation'),
    )
    .transform((reason) => (reason === '' ? null : reason)),
});

export interface InviteForm {
  email: string;
  name: string;
  role: Role;
}

/** The invitation form, its role checked against the organisation's type. */
export function inviteForm(organisationType: OrganisationType): z.ZodType<InviteForm, Record<string, string>> {
  return z.object({
    email: theirEmail,
    name: theirName,
    role: exactText
      .superRefine((role, ctx) => {
        const problem = roleProblem(role, organisationType);
        if (problem) ctx.addIssue({ code: 'custom', message: problem.text });
      })
      .transform((role) => role as Role),
  });
}

/** A refused invitation's error code: that the role is not allowed here, when that is all that is wrong. */
export function inviteErrorCode(errors: ErrorView, role: string, organisationType: OrganisationType): FormRefusal['code'] {
  if (errors.errorList.length !== 1 || !errors.errors.role) return 'SC_ERR_INVALID_FORM';
  return roleProblem(role, organisationType)?.code ?? 'SC_ERR_INVALID_FORM';
}

export interface OrganisationForm {
  id: string;
  name: string;
  type: OrganisationType;
  tier: Tier;
  forceId: string | null;
  neighbourhoodId: string | null;
}

/**
 * The new-organisation form's own checks, then what its type asks of the force
 * and neighbourhood; whether those exist is checked against the store.
 */
export const organisationForm: z.ZodType<OrganisationForm, Record<string, string>> = z
  .object({
    id: trimmedText.pipe(
      z
        .string()
        .min(1, 'Enter an identifier')
        .refine((id) => id.length <= 64 && SLUG.test(id), 'Identifier must be lower-case letters and numbers joined by single hyphens, up to 64 characters, like north-shire-council'),
    ),
    name: trimmedText.pipe(
      z
        .string()
        .min(1, 'Enter the organisation’s name')
        .refine((name) => [...name].length <= MAX_ORGANISATION_NAME_LENGTH && !CONTROL.test(name), `Name must be ${MAX_ORGANISATION_NAME_LENGTH} characters or fewer, without line breaks`),
    ),
    type: oneOf(ORGANISATION_TYPES, 'Select the type of organisation'),
    tier: oneOf(TIERS, 'Select the tier'),
    forceId: trimmedText.refine(
      (id) => id === '' || (id.length <= 64 && SLUG.test(id)),
      'Force identifier must be lower-case letters and numbers joined by hyphens, like demo or city-of-london',
    ),
    neighbourhoodId: trimmedText.refine((id) => id === '' || (id.length <= 200 && !CONTROL.test(id)), 'Neighbourhood identifier must be 200 characters or fewer'),
  })
  .superRefine((form, ctx) => {
    const problem = (path: 'forceId' | 'neighbourhoodId', message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (form.type === 'neighbourhood_team') {
      if (form.forceId === '') problem('forceId', 'Enter the force identifier: a neighbourhood team belongs to a force');
      if (form.neighbourhoodId === '') problem('neighbourhoodId', 'Enter the neighbourhood identifier: a neighbourhood team has its own neighbourhood');
    } else if (form.neighbourhoodId !== '') {
      problem('neighbourhoodId', 'Only a neighbourhood policing team has a neighbourhood; leave this empty');
    }
    if (form.type === 'police_force' && form.forceId === '') problem('forceId', 'Enter the force identifier of the police force');
  })
  .transform((form) => ({ ...form, forceId: form.forceId || null, neighbourhoodId: form.neighbourhoodId || null }));
