/**
 * Area administration of Neighbourhood Watch (watch.administer: watch_admin in
 * a Watch association or police force, for schemes in that force area):
 *   GET  /watch/admin                        pending schemes (overlaps flagged), then active and suspended
 *   GET  /watch/admin/schemes/:id            one scheme, its overlaps, and the decisions open to it
 *   POST /watch/admin/schemes/:id/:action    approve, reject, verify, unverify, suspend, reinstate, merge
 * An administrator who is a member or coordinator of the scheme (or, for a merge,
 * of the scheme it would join) may look but not decide: the refusal is a 403,
 * audited like any other denial.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access, refuse } from '../access/access.ts';
import { AppError } from '../errors.ts';
import { pageContext } from '../site/page-context.ts';
import { fieldError, formFields, NO_ERRORS, type ErrorView } from '../site/forms.ts';
import { administeredForces, mergeCandidates, overlappingSchemes, reportedThreadsInForces, schemesInForces, verifiedBadgeFor } from './area-admin.repository.ts';
import { ADMIN_ACTIONS, decide } from './area-admin.service.ts';
import { isOneOf } from '../store/column-values.ts';
import { requestValue, routeParam } from '../site/request-values.ts';
import { badgeOf } from './find.map.ts';
import { activeRoleIn, findScheme, schemeNeighbourhoods, type Scheme } from './schemes.repository.ts';
import { SCHEME_ID } from './watch-geo.ts';
import { redirect } from '../site/redirect.ts';

const SUCCESS = new Set(['1']);

async function loadScheme(request: FastifyRequest): Promise<Scheme> {
  const id = routeParam(request, 'id');
  const scheme = SCHEME_ID.test(id) ? await findScheme(request.server.ctx.store.db, id) : undefined;
  if (!scheme) throw new AppError('SC_ERR_NOT_FOUND');
  return scheme;
}

const schemeTarget = async (request: FastifyRequest) => {
  const scheme = await loadScheme(request);
  return { forceId: scheme.force_id ?? undefined, schemeId: scheme.id };
};

export async function areaAdminRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const db = ctx.store.db;

  const listItem = async (s: Scheme, withOverlaps: boolean) => ({
    id: s.id,
    name: s.name,
    href: `/watch/admin/schemes/${s.id}`,
    created: s.created_at.slice(0, 10),
    badge: badgeOf(s.badge),
    overlaps: withOverlaps ? await overlappingSchemes(db, s) : [],
  });

  app.get('/watch/admin', { config: access('watch.administer') }, async (request, reply) => {
    const forces = administeredForces(request.actor);
    const [pending, running, reported] = await Promise.all([
      schemesInForces(db, forces, ['pending']),
      schemesInForces(db, forces, ['active', 'suspended']),
      reportedThreadsInForces(db, forces),
    ]);
    return reply.page('watch/admin.njk', {
      ...(await pageContext(app)),
      forces,
      pending: await Promise.all(pending.map((s) => listItem(s, true))),
      active: await Promise.all(running.filter((s) => s.status === 'active').map((s) => listItem(s, false))),
      suspended: await Promise.all(running.filter((s) => s.status === 'suspended').map((s) => listItem(s, false))),
      reported: reported.map((t) => ({ ...t, href: `/watch/reported/${t.id}`, when: t.lastMessageAt.slice(0, 10) })),
    });
  });

  async function renderScheme(request: FastifyRequest, reply: FastifyReply, scheme: Scheme, extra: { errors?: ErrorView; done?: string | null }, status = 200) {
    const actor = request.actor!;
    const [overlaps, candidates, neighbourhoods, ownRole] = await Promise.all([
      overlappingSchemes(db, scheme),
      mergeCandidates(db, scheme),
      schemeNeighbourhoods(db, scheme.id),
      activeRoleIn(db, scheme.id, actor.personId),
    ]);
    return reply.code(status).page('watch/admin-scheme.njk', {
      ...(await pageContext(app)),
      scheme: { id: scheme.id, name: scheme.name, status: scheme.status, badge: badgeOf(scheme.badge), created: scheme.created_at.slice(0, 10), joinPolicy: scheme.join_policy },
      verifiedBadge: badgeOf(verifiedBadgeFor(actor, scheme.force_id ?? '')),
      publicHref: `/watch/schemes/${scheme.id}`,
      overlaps: overlaps.map((o) => ({ ...o, href: `/watch/admin/schemes/${o.id}` })),
      candidates,
      neighbourhoods,
      ownScheme: ownRole !== undefined,
      ...(extra.errors ?? NO_ERRORS),
      done: extra.done ?? null,
    });
  }

  app.get('/watch/admin/schemes/:id', { config: access('watch.administer', schemeTarget) }, async (request, reply) => {
    const scheme = await loadScheme(request);
    const done = requestValue(request.query, 'done');
    return renderScheme(request, reply, scheme, { done: typeof done === 'string' && SUCCESS.has(done) ? 'The change has been saved and the coordinator has been told by email.' : null });
  });

  app.post('/watch/admin/schemes/:id/:action', { config: access('watch.administer', schemeTarget) }, async (request, reply) => {
    const actor = request.actor!;
    const scheme = await loadScheme(request);
    const action = routeParam(request, 'action');
    if (!isOneOf(ADMIN_ACTIONS, action)) throw new AppError('SC_ERR_NOT_FOUND');
    const fields = formFields(request.body);
    const involved = [scheme.id, ...(action === 'merge' && fields.into && SCHEME_ID.test(fields.into) ? [fields.into] : [])];
    const roles = await Promise.all(involved.map((id) => activeRoleIn(db, id, actor.personId)));
    if (roles.some((r) => r !== undefined)) {
      await refuse(request, 'watch.administer', { schemeId: scheme.id, forceId: scheme.force_id }, 'An area administrator may not decide about a scheme they belong to');
    }
    const result = await decide(ctx, actor, scheme, { action, badge: fields.badge, into: fields.into }, request.ip);
    if (!result.ok) return renderScheme(request, reply, scheme, { errors: fieldError(result.field ?? 'decisions', result.message) }, 400);
    return redirect(reply, `/watch/admin/schemes/${scheme.id}?done=1`, 303);
  });
}
