/**
 * GET /watch: find a Neighbourhood Watch scheme by postcode, place name or
 * coordinates ("use my location" fills in coordinates), or for a neighbourhood
 * (`?neighbourhood=force/id`, for a link from the neighbourhood page). The nearest
 * active schemes are listed (works without JavaScript) and drawn on a map as
 * generalised circles; when none is near, the page says so and offers to start one.
 */
import type { FastifyInstance } from 'fastify';
import { access } from '../access/access.ts';
import type { Point } from '../geo/geo.ts';
import { findPlace } from '../places/places.service.ts';
import { fieldError, NO_ERRORS } from '../site/forms.ts';
import { pageContext } from '../site/page-context.ts';
import { badgeOf, mapSettings } from './find.map.ts';
import { NEAR_MILES, nearestSchemes, neighbourhoodPoint, type FoundScheme } from './find.service.ts';
import { requestValue } from '../site/request-values.ts';

const one = (query: unknown, key: string): string | undefined => {
  const value = requestValue(query, key);
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
};

type Located = { ok: true; point: Point; label: string } | { ok: false; status: number; message?: string; choices?: { text: string; href: string }[] };

export async function findRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  async function locate(q: string | undefined, neighbourhood: string | undefined): Promise<Located | undefined> {
    if (neighbourhood !== undefined) {
      const [forceId, id, extra] = neighbourhood.split('/');
      const found = forceId && id && extra === undefined ? await neighbourhoodPoint(ctx.store.db, forceId, id) : undefined;
      if (!found) return { ok: false, status: 404, message: 'We do not know that neighbourhood. Search for a postcode or place instead' };
      return { ok: true, point: found.point, label: found.name };
    }
    if (q === undefined) return undefined;
    const result = await findPlace(ctx.store, q);
    if (result.kind === 'neighbourhood') {
      if (result.point) return { ok: true, point: result.point, label: result.postcode ?? q.trim() };
      const found = await neighbourhoodPoint(ctx.store.db, result.forceId, result.neighbourhoodId);
      return found ? { ok: true, point: found.point, label: found.name } : { ok: false, status: 404, message: 'We do not know where that neighbourhood is' };
    }
    if (result.kind === 'choices') {
      return {
        ok: false,
        status: 200,
        message: result.message,
        choices: result.choices.map((c) => ({ text: `${c.name} (${c.forceName})`, href: `/watch?neighbourhood=${encodeURIComponent(c.forceId)}/${encodeURIComponent(c.neighbourhoodId)}` })),
      };
    }
    return { ok: false, status: result.kind === 'invalid' ? 400 : 404, message: result.message };
  }

  app.get('/watch', { config: access('public.view') }, async (request, reply) => {
    const context = await pageContext(app);
    const q = one(request.query, 'q');
    const located = await locate(q, one(request.query, 'neighbourhood'));
    const base = { ...context, q: q ?? '', nearMiles: NEAR_MILES, ...mapSettings(ctx.config) };
    if (!located) return reply.page('watch/find.njk', { ...base, ...NO_ERRORS });
    if (!located.ok) {
      // A list of places to choose from is an answer, not an error.
      const errors = located.choices ? NO_ERRORS : fieldError('q', located.message ?? 'Enter a postcode or place');
      return reply.code(located.status).page('watch/find.njk', { ...base, ...errors, choicesMessage: located.choices ? located.message : null, choices: located.choices ?? [] });
    }
    const schemes = await nearestSchemes(ctx.store.db, located.point);
    return reply.page('watch/find.njk', {
      ...base,
      ...NO_ERRORS,
      searched: { label: located.label, latitude: located.point.latitude, longitude: located.point.longitude },
      // Starting a scheme from here opens the drawing map on the place searched, close enough to draw streets.
      startHref: `/watch/start?${new URLSearchParams({ lat: located.point.latitude.toFixed(5), lng: located.point.longitude.toFixed(5), zoom: '15' })}`,
      schemes: schemes.map((s) => ({ ...s, href: `/watch/schemes/${s.id}`, badge: badgeOf(s.badge) })),
      mapData: JSON.stringify(schemes.map(mapFeature)),
    });
  });
}

/** What the map script draws: a circle, never the scheme's exact area. */
function mapFeature(s: FoundScheme) {
  return { id: s.id, name: s.name, href: `/watch/schemes/${s.id}`, lat: s.circle.latitude, lng: s.circle.longitude, radius: s.circle.radiusMetres };
}
