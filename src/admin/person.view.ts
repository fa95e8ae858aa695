/**
 * What a person's page in an organisation shows, and which of its buttons this
 * administrator may use. The route's target resolver has already made sure the
 * person is a member of the organisation in the URL.
 */
import type { FastifyRequest } from 'fastify';
import { allowedEverywhere, isAllowed, type Actor } from '../access/policy.ts';
import { findPersonById } from '../accounts/people.repository.ts';
import { appendAudit, findAuditPage } from '../audit/audit.repository.ts';
import { AppError } from '../errors.ts';
import { organisationNames, type Organisation } from '../organisations/organisations.repository.ts';
import { listSessionsOf } from '../sessions/session.repository.ts';
import { actorOf, actorOrgFor, hasAuthorityOverAll } from './admin-access.ts';
import { beforeSequence, personPath } from './admin-http.ts';
import { organisationIdsOf, rolesIn } from './admin.repository.ts';
import { doneMessage, formatTime, roleLabel, statusTag } from './admin.presenter.ts';
import { auditTable } from './audit-view.routes.ts';
import { grantableRoles, organisationSummary } from './people.routes.ts';

export const TRAIL_PAGE_SIZE = 20;

/** What the administrator may do to this person from this organisation's page. */
export async function personPowers(request: FastifyRequest, actor: Actor, organisationId: string, personId: string) {
  const db = request.server.ctx.store.db;
  const organisationIds = await organisationIdsOf(db, personId);
  const here = { organisationId };
  return {
    organisationIds,
    self: actor.personId === personId,
    changeRoles: isAllowed(actor, 'person.change_roles', here),
    invite: isAllowed(actor, 'person.invite', here),
    removeHere: isAllowed(actor, 'person.remove', here),
    /** Suspension and ending sessions reach every organisation the person is in. */
    suspend: hasAuthorityOverAll(actor, 'person.suspend', organisationIds),
    endSessions: hasAuthorityOverAll(actor, 'person.end_sessions', organisationIds),
    /** The whole trail, or only what they did for this organisation. */
    wholeTrail: hasAuthorityOverAll(actor, 'person.view', organisationIds),
    close: allowedEverywhere(actor, 'person.remove'),
  };
}

export async function personPageData(request: FastifyRequest, organisation: Organisation, personId: string) {
  const { ctx } = request.server;
  const db = ctx.store.db;
  const actor = actorOf(request);
  const person = await findPersonById(db, personId);
  if (!person) throw new AppError('SC_ERR_UNKNOWN_PERSON');
  const roles = await rolesIn(db, personId, organisation.id);
  const powers = await personPowers(request, actor, organisation.id, personId);
  const others = powers.organisationIds.filter((id) => id !== organisation.id);
  const visibleIds = others.filter((id) => isAllowed(actor, 'person.view', { organisationId: id }));
  const visibleOthers = await organisationNames(db, visibleIds);
  const sessions = powers.endSessions ? await listSessionsOf(db, personId) : [];

  const before = beforeSequence(request.query);
  const trail = await findAuditPage(db, {
    actorId: personId,
    actorOrgs: powers.wholeTrail ? null : [organisation.id],
    limit: TRAIL_PAGE_SIZE,
    ...(before !== undefined ? { beforeSequence: before } : {}),
  });
  // Looking at someone's account and what they did is itself recorded.
  await appendAudit(
    ctx.store,
    {
      action: 'record.view',
      actorId: actor.personId,
      actorOrg: actorOrgFor(actor, 'person.view', organisation.id),
      subjectType: 'person',
      subjectId: personId,
      clientAddress: request.ip,
      details: { organisationId: organisation.id, auditTrail: { before: before ?? null, shown: trail.rows.length } },
    },
    { now: ctx.now },
  );
  const path = personPath(organisation.id, personId);
  const last = trail.rows.at(-1);
  const held = new Set(roles);
  return {
    pageTitle: person.display_name,
    organisation: organisationSummary(organisation),
    person: {
      id: person.id,
      name: person.display_name,
      email: person.email,
      status: statusTag(person.status),
      statusValue: person.status,
      emailVerified: formatTime(person.email_verified_at),
      mfa: person.mfa_enabled_at ? `Set up ${formatTime(person.mfa_enabled_at)}` : 'Not set up',
      created: formatTime(person.created_at),
    },
    roles: roles.map((role) => ({ value: role, text: roleLabel(role) })),
    addableRoles: powers.changeRoles
      ? grantableRoles(actor, organisation, 'person.change_roles').filter((r) => !held.has(r)).map((role) => ({ value: role, text: roleLabel(role) }))
      : [],
    otherOrganisations: { shown: visibleOthers, hidden: others.length - visibleIds.length },
    powers,
    path,
    sessions: sessions.map((s) => ({
      idHash: s.id_hash,
      stage: s.stage === 'full' ? 'Signed in' : 'Signing in',
      started: formatTime(s.created_at),
      lastSeen: formatTime(s.last_seen_at),
      expires: formatTime(s.expires_at),
      client: s.client_address ?? '',
      userAgent: s.user_agent ?? '',
      current: request.session?.idHash === s.id_hash,
    })),
    trail: await auditTable(request, trail.rows),
    trailNewestHref: before !== undefined ? `${path}#audit-trail` : null,
    trailOlderHref: trail.more && last ? `${path}?before=${last.sequence}#audit-trail` : null,
    done: doneMessage(request.query),
  };
}
