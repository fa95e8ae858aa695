/**
 * The team member form: who they are, how to reach them, a photo, and whether
 * they agreed to their photo and biography being published.
 */
import { z } from 'zod';
import type { ContactDetails } from '../neighbourhoods/neighbourhood.types.ts';
import { checkbox, optionalEmail, optionalPhone, optionalText, requiredText } from '../site/form-rules.ts';
import { fieldError, NO_ERRORS, parseForm, type ErrorView, type FormFields, type Parsed } from '../site/forms.ts';
import { storedLine, storedParagraphs, typedLine, typedParagraphs } from './stored-text.ts';
import type { TeamMemberInput, TeamMemberRow } from './team.repository.ts';

const memberSchema = z.object({
  name: requiredText('Name', 100, 'Enter the team member’s name'),
  rank: requiredText('Rank or role', 60, 'Enter their rank or role, like PC or PCSO'),
  bio: optionalText('Biography', 1500),
  email: optionalEmail,
  telephone: optionalPhone('Telephone number'),
  photoConsent: checkbox,
  bioConsent: checkbox,
  removePhoto: checkbox,
});

export interface MemberForm {
  member: TeamMemberInput;
  removePhoto: boolean;
}

/** The form as a member to store; `stored` keeps contact keys the form does not show. */
export function parseMember(fields: FormFields, stored: ContactDetails = {}): Parsed<MemberForm> {
  const parsed = parseForm(memberSchema, fields);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  const contactDetails: ContactDetails = { ...stored };
  for (const key of ['email', 'telephone'] as const) {
    if (m[key]) contactDetails[key] = m[key];
    else delete contactDetails[key];
  }
  return {
    ok: true,
    value: {
      member: { name: storedLine(m.name), rank: storedLine(m.rank), bio: storedParagraphs(m.bio), bioConsent: m.bioConsent, photoConsent: m.photoConsent, contactDetails },
      removePhoto: m.removePhoto,
    },
  };
}

/** A stored member as the form's fields. */
export function memberFields(m: TeamMemberRow): FormFields {
  return {
    name: typedLine(m.name),
    rank: typedLine(m.rank),
    bio: typedParagraphs(m.bio),
    email: m.contactDetails.email ?? '',
    telephone: m.contactDetails.telephone ?? '',
    ...(m.photoConsent ? { photoConsent: 'yes' } : {}),
    ...(m.bioConsent ? { bioConsent: 'yes' } : {}),
  };
}

/** The photo's error added after the form's: the photo is checked after the fields, and its input comes last. */
export function withPhotoError(errors: ErrorView = NO_ERRORS, message: string): ErrorView {
  const photo = fieldError('photo', message);
  return { errorList: [...errors.errorList, ...photo.errorList], errors: { ...errors.errors, ...photo.errors }, errorSummary: true };
}
