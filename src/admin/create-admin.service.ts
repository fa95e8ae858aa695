/**
 * The first administrator (and any later one made from the server's command line).
 * No account exists by default (ASVS 6.3.2): whoever runs the server makes one with
 * `safe-communities create-admin EMAIL`, which makes sure the 'platform'
 * organisation exists, creates the person (no password; they choose one through
 * the invitation link) or finds them, and makes them a platform administrator.
 * Everything, audit entries included, is one transaction.
 */
import { bumpPrivilegeVersion, createPerson, findPersonByEmail } from '../accounts/people.repository.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import type { Config } from '../config.ts';
import { queueMail } from '../mail/mail.service.ts';
import { addMembership, createOrganisation, findOrganisation, type NewOrganisation } from '../organisations/organisations.repository.ts';
import type { Store } from '../store/store.ts';
import { emailProblem, nameProblem } from './admin-forms.ts';
import { rolesIn } from './admin.repository.ts';
import { auditedChange } from './audited-change.ts';
import { sendInvitation } from './invite.service.ts';

export const PLATFORM_ORGANISATION_ID = 'platform';
export const PLATFORM_ORGANISATION: NewOrganisation = { id: PLATFORM_ORGANISATION_ID, name: 'Platform operator', type: 'platform', tier: 'national' };
export const DEFAULT_ADMIN_NAME = 'Platform administrator';

/** A refusal with a message for the operator and the exit code: 2 for bad input, 1 for a state that stops it. */
export class CreateAdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CreateAdminError';
  }
}

export interface CreateAdminResult {
  personId: string;
  email: string;
  createdPerson: boolean;
  createdOrganisation: boolean;
  granted: boolean;
  /** The invitation link, when the person has not yet set up their account; null when they can already sign in. */
  link: string | null;
}

export async function createAdmin(store: Store, config: Config, input: { email: string; name?: string | undefined }, now: () => Date = () => new Date()): Promise<CreateAdminResult> {
  const email = input.email.trim();
  const emailError = emailProblem(email);
  if (emailError) throw new CreateAdminError(`"${input.email}" is not an email address: ${emailError.replace(/^Enter their/, 'Enter an').replace(/^E/, 'e')}`, 2);
  if (input.name !== undefined) {
    const nameError = nameProblem(input.name);
    if (nameError) throw new CreateAdminError(`--name: ${nameError.replace('their full name', 'a name').replace(/^./, (c) => c.toLowerCase())}`, 2);
  }
  const at = now();
  const via = { via: 'cli' };
  return auditedChange(store, now, async (db) => {
    const audit: AuditEntryInput[] = [];
    let organisation = await findOrganisation(db, PLATFORM_ORGANISATION_ID);
    const createdOrganisation = organisation === undefined;
    if (organisation === undefined) {
      organisation = await createOrganisation(db, PLATFORM_ORGANISATION, at);
      audit.push({ action: 'organisation.create', subjectType: 'organisation', subjectId: organisation.id, details: { ...via, type: 'platform', tier: 'national' } });
    } else if (organisation.type !== 'platform') {
      throw new CreateAdminError(`The organisation "${PLATFORM_ORGANISATION_ID}" exists but is a ${organisation.type}, not the platform operator; nothing was changed`, 1);
    } else if (organisation.status !== 'active') {
      throw new CreateAdminError(`The "${PLATFORM_ORGANISATION_ID}" organisation is suspended, so its administrators can do nothing; a platform administrator must reactivate it`, 1);
    }

    const existing = await findPersonByEmail(db, email);
    if (existing?.status === 'removed') throw new CreateAdminError(`The account for ${existing.email} was closed and cannot be used again; use another address`, 1);
    if (existing?.status === 'suspended') throw new CreateAdminError(`The account for ${existing.email} is suspended; a platform administrator must reactivate it first, or use another address`, 1);
    const person = existing ?? (await createPerson(db, { email, displayName: input.name ?? DEFAULT_ADMIN_NAME, status: 'unverified', passwordHash: null }, at));
    const subject = { subjectType: 'person', subjectId: person.id } as const;
    if (!existing) audit.push({ action: 'account.create', ...subject, details: { ...via, status: 'unverified' } });

    const granted = !(await rolesIn(db, person.id, organisation.id)).includes('platform_admin');
    if (granted) {
      await addMembership(db, person.id, organisation.id, 'platform_admin', null, at);
      await bumpPrivilegeVersion(db, person.id, at);
      audit.push({ action: 'role.change', ...subject, details: { ...via, organisationId: organisation.id, added: 'platform_admin' } });
    }

    let link: string | null = null;
    if (person.status === 'unverified') {
      link = await sendInvitation(db, config, { person, organisation, role: 'platform_admin', inviterName: config.SITE_NAME, inviterId: null, now: at });
      if (existing) audit.push({ action: 'account.invite', ...subject, details: { ...via, organisationId: organisation.id, role: 'platform_admin', resent: !granted } });
    } else if (granted) {
      await queueMail(db, config, {
        to: person.email,
        template: 'notice',
        data: {
          name: person.display_name,
          heading: 'You are now a platform administrator',
          paragraphs: [`You can now manage every organisation and its people on ${config.SITE_NAME}. This was done from the server’s command line.`],
          link: { text: 'Go to administration', href: `${config.PUBLIC_URL}/admin` },
        },
      }, at);
    }
    const entries = audit.map((entry) => ({ ...entry, actorId: null, actorOrg: null }));
    return {
      result: { personId: person.id, email: person.email, createdPerson: !existing, createdOrganisation, granted, link },
      audit: entries,
    };
  });
}
