/**
 * GET /watch/schemes/:id: a scheme's public page. It shows the name, badge, a
 * generalised area (a circle, never the drawn outline), the neighbourhoods it
 * lies in, the main coordinator's first name only, the active member count and
 * public news, with links to apply and to message the coordinator.
 *
 * Only active schemes are public. A pending one is shown, with a notice, to its
 * coordinators and to the force area's Watch administrators; anyone else gets
 * 404, as for suspended and closed ones. A merged scheme redirects to the scheme
 * it became part of.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { isAllowed } from '../access/policy.ts';
import { AppError } from '../errors.ts';
import { pageContext } from '../site/page-context.ts';
import { badgeOf, mapSettings } from './find.map.ts';
import { activeMemberCount, findScheme, publicNews, schemeCoordinatorFirstName, schemeNeighbourhoods, schemeRing, type Scheme } from './schemes.repository.ts';
import { generalisedCircle, milesText, SCHEME_ID } from './watch-geo.ts';
import { redirect } from '../site/redirect.ts';
import { routeParam } from '../site/request-values.ts';

const STATUS_NOTICES: Record<string, string> = {
  pending: 'This scheme is waiting for an area administrator to approve it. Until then only its coordinators and the area administrators can see this page.',
  suspended: 'This scheme is suspended. The public cannot see it.',
  closed: 'This scheme is closed. The public cannot see it.',
};

/** Who may see a scheme that is not active: its coordinators, and the Watch administrators of its force. */
export function mayManage(request: FastifyRequest, scheme: Scheme): { coordinator: boolean; administrator: boolean } {
  const coordinator = isAllowed(request.actor, 'watch.coordinate', { schemeId: scheme.id });
  const administrator = scheme.force_id !== null && isAllowed(request.actor, 'watch.administer', { forceId: scheme.force_id, schemeId: scheme.id });
  return { coordinator, administrator };
}

export async function schemePageRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.get('/watch/schemes/:id', { config: access('public.view') }, async (request, reply) => {
    const id = routeParam(request, 'id');
    const scheme = SCHEME_ID.test(id) ? await findScheme(ctx.store.db, id) : undefined;
    if (!scheme) throw new AppError('SC_ERR_NOT_FOUND');
    if (scheme.status === 'merged' && scheme.merged_into) return redirect(reply, `/watch/schemes/${encodeURIComponent(scheme.merged_into)}`, 301);
    const who = mayManage(request, scheme);
    if (scheme.status !== 'active' && !(who.administrator || (who.coordinator && scheme.status === 'pending'))) throw new AppError('SC_ERR_NOT_FOUND');

    const [context, coordinatorName, members, neighbourhoods, news] = await Promise.all([
      pageContext(app),
      schemeCoordinatorFirstName(ctx.store.db, scheme.id),
      activeMemberCount(ctx.store.db, scheme.id),
      schemeNeighbourhoods(ctx.store.db, scheme.id),
      publicNews(ctx.store.db, scheme.id),
    ]);
    const circle = generalisedCircle(schemeRing(scheme), { latitude: scheme.centre_latitude, longitude: scheme.centre_longitude });
    return reply.page('watch/scheme.njk', {
      ...context,
      ...mapSettings(ctx.config),
      scheme: { id: scheme.id, name: scheme.name, status: scheme.status, joinPolicy: scheme.join_policy, badge: badgeOf(scheme.badge) },
      notice: STATUS_NOTICES[scheme.status] ?? null,
      coordinatorName: coordinatorName ?? null,
      members,
      neighbourhoods: neighbourhoods.map((n) => ({ name: n.name, href: `/neighbourhoods/${encodeURIComponent(n.force_id)}/${encodeURIComponent(n.id)}` })),
      news: news.map((n) => ({ title: n.title, paragraphs: n.body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== ''), date: n.created_at.slice(0, 10) })),
      areaText: `Within about ${milesText(circle.radiusMetres)} of the point shown`,
      mapData: JSON.stringify([{ id: scheme.id, name: scheme.name, href: `/watch/schemes/${scheme.id}`, lat: circle.latitude, lng: circle.longitude, radius: circle.radiusMetres }]),
      circle,
      links: {
        apply: `/watch/schemes/${scheme.id}/apply`,
        message: `/watch/schemes/${scheme.id}/message`,
        admin: who.administrator ? `/watch/admin/schemes/${scheme.id}` : null,
      },
    });
  });
}
