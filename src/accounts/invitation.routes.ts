/**
 * /invitation?token=…: accepting an invitation an administrator sent.
 * - A new address: the administrator has already made the person (unverified, no
 *   password) and given them the role; accepting sets their name and password,
 *   confirms the address (the link proves it) and goes straight on to setting up an
 *   authentication app, since everyone with a role needs one. Any password an
 *   unverified account had before is replaced: whoever set it never proved the address.
 * - Someone who already has an account: accepting is what grants the role (so no
 *   administrator can take authority over an account by naming its address). They
 *   then sign in as usual and, holding a role, are asked for a second factor.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { access } from '../access/access.ts';
import { ROLE_NAMES, ROLE_ORGANISATION_TYPES, ROLES } from '../access/permissions.ts';
import { isOneOf } from '../store/column-values.ts';
import { addMembership, findOrganisation } from '../organisations/organisations.repository.ts';
import { consumeAccountToken, peekAccountToken, revokeAccountTokens, type AccountTokenGrant } from './account-tokens.repository.ts';
import { invitationForm, tokenQuery, typedValues } from './account.schema.ts';
import { accountPageHeaders, beginSession } from './account-http.ts';
import { audit } from './account.service.ts';
import { hashPassword, PASSWORD_MIN_LENGTH } from './password.ts';
import { bumpPrivilegeVersion, findPersonById, updatePerson, type Person } from './people.repository.ts';
import { renderLinkInvalid } from './sign-up.routes.ts';
import { field, formFields, formPage, NO_ERRORS, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

interface Invitation {
  person: Person;
  organisationName: string;
  roleName: string;
  inviterName: string | null;
}

async function describeInvitation(app: FastifyInstance, grant: AccountTokenGrant | null): Promise<Invitation | null> {
  if (!grant) return null;
  const { db } = app.ctx.store;
  const person = await findPersonById(db, grant.personId);
  if (!person || (person.status !== 'unverified' && person.status !== 'active')) return null;
  const { organisationId, role, invitedBy } = grant.details;
  const organisation = typeof organisationId === 'string' ? await findOrganisation(db, organisationId) : undefined;
  const inviter = typeof invitedBy === 'string' ? await findPersonById(db, invitedBy) : undefined;
  return {
    person,
    organisationName: organisation?.name ?? 'an organisation',
    roleName: isOneOf(ROLES, role) ? ROLE_NAMES[role] : 'a role',
    inviterName: inviter?.display_name ?? null,
  };
}

function renderInvitation(reply: FastifyReply, status: number, token: string, invitation: Invitation, values: FormFields, errors: ErrorView = NO_ERRORS): FastifyReply {
  const { person, organisationName, roleName, inviterName } = invitation;
  return reply.code(status).page('account/invitation.njk', {
    token,
    email: person.email,
    organisationName,
    roleName,
    inviterName,
    alreadyActive: person.status === 'active',
    minLength: PASSWORD_MIN_LENGTH,
    ...formPage(values, errors),
  });
}

/**
 * Adds the role the invitation names, if its organisation still exists, is active and
 * may hold that role; otherwise nothing (the person keeps their account, without it).
 */
async function grantInvitedRole(app: FastifyInstance, personId: string, details: Record<string, unknown>, now: Date): Promise<boolean> {
  const { db } = app.ctx.store;
  const { organisationId, role, invitedBy } = details;
  if (typeof organisationId !== 'string' || !isOneOf(ROLES, role)) return false;
  const organisation = await findOrganisation(db, organisationId);
  if (!organisation || organisation.status !== 'active') return false;
  if (!ROLE_ORGANISATION_TYPES[role].includes(organisation.type)) return false;
  await addMembership(db, personId, organisationId, role, typeof invitedBy === 'string' ? invitedBy : null, now);
  await bumpPrivilegeVersion(db, personId, now);
  return true;
}

export async function invitationRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  accountPageHeaders(app, { tokenLinks: true });

  app.get('/invitation', { config: access('account.authenticate') }, async (request, reply) => {
    const token = tokenQuery.parse(request.query).token ?? '';
    const invitation = await describeInvitation(app, await peekAccountToken(db, 'invite', token, app.ctx.now()));
    if (!invitation) return renderLinkInvalid(reply, 'invitation');
    return renderInvitation(reply, 200, token, invitation, { name: invitation.person.display_name });
  });

  app.post('/invitation', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const token = field(form, 'token');
    const now = app.ctx.now();
    const invitation = await describeInvitation(app, await peekAccountToken(db, 'invite', token, now));
    if (!invitation) return renderLinkInvalid(reply, 'invitation');
    const { person } = invitation;
    if (person.status === 'active') {
      const grant = await consumeAccountToken(db, 'invite', token, now);
      if (!grant || grant.personId !== person.id) return renderLinkInvalid(reply, 'invitation');
      const granted = await grantInvitedRole(app, person.id, grant.details, now);
      await audit(app.ctx, request.ip, {
        action: 'account.invitation_accepted',
        actorId: person.id,
        subjectType: 'person',
        subjectId: person.id,
        details: { organisationId: grant.details.organisationId ?? null, role: grant.details.role ?? null, granted },
      });
      return redirect(reply, request.session?.personId === person.id ? '/account' : '/sign-in', 303);
    }
    const parsed = parseForm(invitationForm(person.email), form);
    if (!parsed.ok) return renderInvitation(reply, 400, token, invitation, typedValues(form, ['name']), parsed.errors);
    const { name, password } = parsed.value;

    const hash = await hashPassword(password);
    const grant = await consumeAccountToken(db, 'invite', token, now);
    if (!grant || grant.personId !== person.id) return renderLinkInvalid(reply, 'invitation');
    await updatePerson(db, person.id, { display_name: name, password_hash: hash, status: 'active', email_verified_at: now.toISOString() }, now);
    await grantInvitedRole(app, person.id, grant.details, now);
    await revokeAccountTokens(db, person.id, 'verify_email');
    await audit(app.ctx, request.ip, {
      action: 'account.invitation_accepted',
      actorId: person.id,
      subjectType: 'person',
      subjectId: person.id,
      details: { organisationId: grant.details.organisationId ?? null, role: grant.details.role ?? null },
    });
    const activated = await findPersonById(db, person.id);
    return redirect(reply, await beginSession(app, request, reply, activated!, null, 'invitation'), 303);
  });
}
