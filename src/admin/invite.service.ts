/**
 * Inviting people into an organisation. A new address becomes a person with no
 * password (status 'unverified') holding the role, and gets an invitation link
 * (7 days) to set up their account at /invitation. Someone who already has an account
 * gets the same link and holds the role only once they accept it: otherwise any
 * organisation's administrator could give themselves authority over any resident's
 * account (see its sessions, suspend it) just by naming their address. Both cases
 * answer the administrator the same way, so the form does not reveal who has an
 * account. The membership, the link, the email and the audit entry are one transaction.
 */
import type { Kysely } from 'kysely';
import type { Role } from '../access/permissions.ts';
import { createAccountToken } from '../accounts/account-tokens.repository.ts';
import { bumpPrivilegeVersion, createPerson, findPersonByEmail, type Person } from '../accounts/people.repository.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import type { Config } from '../config.ts';
import { queueMail } from '../mail/mail.service.ts';
import { addMembership, type Organisation } from '../organisations/organisations.repository.ts';
import type { Database } from '../store/database.ts';
import { actorOrgFor } from './admin-access.ts';
import { refuse, type InviteForm } from './admin-forms.ts';
import { deleteInvitationsOf, rolesIn } from './admin.repository.ts';
import { roleLabel } from './admin.presenter.ts';
import { auditedChange } from './audited-change.ts';
import type { ChangeContext } from './organisations.service.ts';

export const INVITATION_DAYS = 7;

export function invitationLink(config: Config, token: string): string {
  return `${config.PUBLIC_URL}/invitation?token=${encodeURIComponent(token)}`;
}

/**
 * Replaces any earlier invitation of the person with a new link and queues the
 * 'invitation' email; returns the link. Only the newest link works.
 */
export async function sendInvitation(db: Kysely<Database>, config: Config, input: { person: Person; organisation: Organisation; role: Role; inviterName: string; inviterId: string | null; now: Date }): Promise<string> {
  const { person, organisation, role, now } = input;
  await deleteInvitationsOf(db, person.id);
  const token = await createAccountToken(db, {
    purpose: 'invite',
    personId: person.id,
    details: { organisationId: organisation.id, role, invitedBy: input.inviterId },
    ttlMinutes: INVITATION_DAYS * 24 * 60,
    now,
  });
  const link = invitationLink(config, token);
  await queueMail(db, config, {
    to: person.email,
    template: 'invitation',
    data: { organisationName: organisation.name, roleName: roleLabel(role), inviterName: input.inviterName, link },
  }, now);
  return link;
}

export interface InviteOutcome {
  personId: string;
  /** Always 'invited': an invitation link was sent (existing accounts gain the role when they accept it). */
  outcome: 'invited';
}

/**
 * Invites someone to hold `form.role` in the organisation. The caller has checked
 * that the actor may invite here and may grant the role. @throws FormRefusal
 */
export async function invite(change: ChangeContext, organisation: Organisation, form: InviteForm): Promise<InviteOutcome> {
  const { ctx, actor } = change;
  const now = ctx.now();
  const inviterName = actor?.displayName ?? ctx.config.SITE_NAME;
  return auditedChange<InviteOutcome>(ctx.store, ctx.now, async (db) => {
    if (organisation.status !== 'active') refuse('email', 'This organisation is suspended; reactivate it before inviting people');
    const existing = await findPersonByEmail(db, form.email);
    if (existing?.status === 'removed') refuse('email', 'The account with this email address was closed, so it cannot be invited; ask the person for another address');
    const held = existing ? await rolesIn(db, existing.id, organisation.id) : [];
    const pending = existing !== undefined && existing.status === 'unverified';
    if (held.includes(form.role) && !pending) refuse('role', `They already have the ${roleLabel(form.role).toLowerCase()} role in this organisation`);

    const person = existing ?? (await createPerson(db, { email: form.email, displayName: form.name, status: 'unverified', passwordHash: null }, now));
    // An account this organisation created and that was never set up is still the
    // organisation's to shape; anyone else's account gains the role on acceptance.
    const ownInvitee = existing === undefined || (pending && held.length > 0);
    if (ownInvitee) {
      await addMembership(db, person.id, organisation.id, form.role, actor?.personId ?? null, now);
      await bumpPrivilegeVersion(db, person.id, now);
    }
    const base = {
      actorId: actor?.personId ?? null,
      actorOrg: actor ? actorOrgFor(actor, 'person.invite', organisation.id) : null,
      subjectType: 'person',
      subjectId: person.id,
      clientAddress: change.clientAddress,
    } satisfies Partial<AuditEntryInput>;

    await sendInvitation(db, ctx.config, { person, organisation, role: form.role, inviterName, inviterId: actor?.personId ?? null, now });
    return {
      result: { personId: person.id, outcome: 'invited' },
      audit: [{ ...base, action: 'account.invite', details: { organisationId: organisation.id, role: form.role, newAccount: existing === undefined, roleGranted: ownInvitee } }],
    };
  });
}
