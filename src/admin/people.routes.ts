/**
 * An organisation's people, and inviting someone into it.
 *
 *   GET  /admin/organisations/:org/people          person.view   { organisationId }
 *   GET  /admin/organisations/:org/people/invite   person.invite { organisationId }
 *   POST /admin/organisations/:org/people/invite   person.invite { organisationId }
 *
 * Only roles the organisation's type may hold are offered or accepted, and only a
 * platform administrator may grant platform_admin (anyone else trying is refused
 * as access control refuses, with an 'access.denied' entry).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { ROLE_ORGANISATION_TYPES, ROLES, type Role } from '../access/permissions.ts';
import { allowedEverywhere, isAllowed, type Actor } from '../access/policy.ts';
import type { Organisation } from '../organisations/organisations.repository.ts';
import { actorOf, deny, organisationTarget, type OrgParams } from './admin-access.ts';
import { field, formFields, formPage, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { FormRefusal, inviteErrorCode, inviteForm } from './admin-forms.ts';
import { changeContext, invalidForm, organisationOr404, organisationPath, personPath, redirectDone, refusedForm } from './admin-http.ts';
import { listMembers } from './admin.repository.ts';
import { doneMessage, roleHint, roleLabel, statusTag, typeLabel } from './admin.presenter.ts';
import { invite } from './invite.service.ts';

/** Roles this actor may grant in this organisation. */
export function grantableRoles(actor: Actor, organisation: Organisation, action: 'person.invite' | 'person.change_roles'): Role[] {
  return ROLES.filter(
    (role) =>
      ROLE_ORGANISATION_TYPES[role].includes(organisation.type) &&
      (role !== 'platform_admin' || allowedEverywhere(actor, action)),
  );
}

/** Refuses a grant of platform_admin by anyone but a platform administrator. */
export async function refusePlatformAdminGrant(request: FastifyRequest, actor: Actor, role: string, organisationId: string, action: 'person.invite' | 'person.change_roles'): Promise<void> {
  if (role === 'platform_admin' && !allowedEverywhere(actor, action)) {
    await deny(request, action, { organisationId }, 'Only a platform administrator can grant the platform administrator role');
  }
}

export function organisationSummary(organisation: Organisation) {
  return {
    id: organisation.id,
    name: organisation.name,
    type: typeLabel(organisation.type),
    tier: organisation.tier,
    forceId: organisation.force_id ?? '',
    neighbourhoodId: organisation.neighbourhood_id ?? '',
    status: statusTag(organisation.status),
    suspended: organisation.status !== 'active',
    href: organisationPath(organisation.id, '/people'),
    base: organisationPath(organisation.id),
  };
}

export async function peopleRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: OrgParams }>('/admin/organisations/:org/people', { config: access('person.view', organisationTarget) }, async (request, reply) => {
    const actor = actorOf(request);
    const organisation = await organisationOr404(request, request.params.org);
    const members = await listMembers(app.ctx.store.db, organisation.id);
    return reply.page('admin/people.njk', {
      pageTitle: `People in ${organisation.name}`,
      organisation: organisationSummary(organisation),
      members: members.map((m) => ({
        name: m.displayName,
        email: m.email,
        roles: m.roles.map(roleLabel),
        status: statusTag(m.status),
        href: personPath(organisation.id, m.id),
      })),
      canInvite: organisation.status === 'active' && isAllowed(actor, 'person.invite', { organisationId: organisation.id }),
      canManage: isAllowed(actor, 'organisation.manage', { organisationId: organisation.id }),
      done: doneMessage(request.query),
    });
  });

  const inviteAccess = { config: access('person.invite', organisationTarget) };
  const invitePage = (actor: Actor, organisation: Organisation, values: FormFields, errors?: ErrorView) => ({
    pageTitle: `Invite someone to ${organisation.name}`,
    organisation: organisationSummary(organisation),
    roleItems: grantableRoles(actor, organisation, 'person.invite').map((role) => ({ value: role, text: roleLabel(role), hint: { text: roleHint(role) } })),
    ...formPage(values, errors),
  });

  app.get<{ Params: OrgParams }>('/admin/organisations/:org/people/invite', inviteAccess, async (request, reply) => {
    const organisation = await organisationOr404(request, request.params.org);
    return reply.page('admin/invite.njk', invitePage(actorOf(request), organisation, {}));
  });

  app.post<{ Params: OrgParams }>('/admin/organisations/:org/people/invite', inviteAccess, async (request, reply) => {
    const actor = actorOf(request);
    const organisation = await organisationOr404(request, request.params.org);
    const fields = formFields(request.body);
    const role = field(fields, 'role');
    await refusePlatformAdminGrant(request, actor, role, organisation.id, 'person.invite');
    const type = organisation.type;
    const parsed = parseForm(inviteForm(type), fields);
    if (!parsed.ok) {
      const errors = invalidForm(reply, parsed.errors, inviteErrorCode(parsed.errors, role, type));
      return reply.page('admin/invite.njk', invitePage(actor, organisation, fields, errors));
    }
    try {
      const { outcome } = await invite(changeContext(request), organisation, parsed.value);
      // Back to the list whoever was invited: a person's own page would say whether the address had an account.
      return redirectDone(reply, organisationPath(organisation.id, '/people'), outcome);
    } catch (error) {
      if (!(error instanceof FormRefusal)) throw error;
      return reply.page('admin/invite.njk', invitePage(actor, organisation, fields, refusedForm(reply, error)));
    }
  });
}
