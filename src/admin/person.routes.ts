/**
 * One person's page in an organisation: details, roles here, sessions and audit
 * trail; adding and removing roles, re-sending an invitation, ending sessions.
 * The target resolver answers 404 when the person is not a member of :org.
 *
 *   GET  /admin/organisations/:org/people/:person                    person.view         { organisationId, personId }
 *   POST /admin/organisations/:org/people/:person/roles              person.change_roles { organisationId, personId }
 *   POST /admin/organisations/:org/people/:person/roles/remove       person.change_roles { organisationId, personId }
 *   POST /admin/organisations/:org/people/:person/invitation         person.invite       { organisationId, personId }
 *   POST /admin/organisations/:org/people/:person/sessions/end       person.end_sessions { organisationId, personId }
 *   POST /admin/organisations/:org/people/:person/sessions/end-all   person.end_sessions { organisationId, personId }
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { actorOf, deny, memberTarget, type PersonParams } from './admin-access.ts';
import { field, formFields, formPage } from '../site/forms.ts';
import { FormRefusal } from './admin-forms.ts';
import { changeContext, organisationOr404, personPath, redirectDone, refusedForm } from './admin-http.ts';
import type { DoneKey } from './admin.presenter.ts';
import { refusePlatformAdminGrant } from './people.routes.ts';
import { addRole, endSessions, removeRole, resendInvitation } from './person.service.ts';
import { personPageData, personPowers } from './person.view.ts';

type PersonRequest = FastifyRequest<{ Params: PersonParams }>;

/** Runs a change and goes back to the person's page; a refusal shows the page again with the reason. */
export async function changeThenShow(request: PersonRequest, reply: FastifyReply, done: DoneKey, run: () => Promise<unknown>, template = 'admin/person.njk'): Promise<FastifyReply> {
  const { org, person } = request.params;
  try {
    await run();
  } catch (error) {
    if (!(error instanceof FormRefusal)) throw error;
    const organisation = await organisationOr404(request, org);
    const data = await personPageData(request, organisation, person);
    return reply.page(template, { ...data, ...formPage(formFields(request.body), refusedForm(reply, error)) });
  }
  return redirectDone(reply, personPath(org, person), done);
}

/** Actions on the whole account need authority in every organisation the person belongs to. */
export async function requireAccountWide(request: PersonRequest, power: 'suspend' | 'endSessions' | 'close'): Promise<void> {
  const actor = actorOf(request);
  const { org, person } = request.params;
  const powers = await personPowers(request, actor, org, person);
  if (powers[power]) return;
  const action = power === 'suspend' ? 'person.suspend' : power === 'endSessions' ? 'person.end_sessions' : 'person.remove';
  const message =
    power === 'close'
      ? 'Only a platform administrator can close an account; you can remove this person from your organisation'
      : 'This person also belongs to organisations you do not administer, so this must be done by a platform administrator';
  await deny(request, action, { organisationId: org, personId: person }, message);
}

export async function personRoutes(app: FastifyInstance): Promise<void> {
  const base = '/admin/organisations/:org/people/:person';

  app.get<{ Params: PersonParams }>(base, { config: access('person.view', memberTarget('person.view')) }, async (request, reply) => {
    const organisation = await organisationOr404(request, request.params.org);
    return reply.page('admin/person.njk', { ...(await personPageData(request, organisation, request.params.person)), ...formPage({}) });
  });

  const rolesAccess = { config: access('person.change_roles', memberTarget('person.change_roles')) };
  app.post<{ Params: PersonParams }>(`${base}/roles`, rolesAccess, async (request, reply) => {
    const role = field(formFields(request.body), 'role');
    await refusePlatformAdminGrant(request, actorOf(request), role, request.params.org, 'person.change_roles');
    return changeThenShow(request, reply, 'role-added', () => addRole(changeContext(request), request.params.org, request.params.person, role));
  });

  app.post<{ Params: PersonParams }>(`${base}/roles/remove`, rolesAccess, async (request, reply) => {
    const role = field(formFields(request.body), 'role');
    return changeThenShow(request, reply, 'role-removed', () => removeRole(changeContext(request), request.params.org, request.params.person, role));
  });

  app.post<{ Params: PersonParams }>(`${base}/invitation`, { config: access('person.invite', memberTarget('person.invite')) }, async (request, reply) => {
    return changeThenShow(request, reply, 'invitation-resent', () => resendInvitation(changeContext(request), request.params.org, request.params.person));
  });

  const sessionsAccess = { config: access('person.end_sessions', memberTarget('person.end_sessions')) };
  app.post<{ Params: PersonParams }>(`${base}/sessions/end`, sessionsAccess, async (request, reply) => {
    await requireAccountWide(request, 'endSessions');
    const idHash = field(formFields(request.body), 'session');
    return changeThenShow(request, reply, 'session-ended', () =>
      endSessions(changeContext(request), request.params.org, request.params.person, /^[0-9a-f]{64}$/.test(idHash) ? idHash : '-', request.session?.idHash),
    );
  });

  app.post<{ Params: PersonParams }>(`${base}/sessions/end-all`, sessionsAccess, async (request, reply) => {
    await requireAccountWide(request, 'endSessions');
    return changeThenShow(request, reply, 'sessions-ended', () => endSessions(changeContext(request), request.params.org, request.params.person, null, request.session?.idHash));
  });
}
