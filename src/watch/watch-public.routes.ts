/**
 * Neighbourhood Watch routes: finding schemes, scheme pages, starting a scheme and area administration.
 * Each part has its own file; every route declares its action and target.
 *   GET  /watch                               public.view     find schemes near a postcode, place, location or neighbourhood
 *   GET  /watch/schemes/:id                   public.view     a scheme's public page
 *   GET  /watch/code-of-conduct               public.view     the code every founder accepts
 *   GET  /watch/start, POST /watch/start      watch.start     start a scheme (signed in)
 *   GET  /watch/admin                         watch.administer (somewhere)  schemes of the admin's force areas
 *   GET  /watch/admin/schemes/:id             watch.administer { forceId, schemeId }
 *   POST /watch/admin/schemes/:id/:action     watch.administer { forceId, schemeId }
 */
import type { FastifyInstance } from 'fastify';
import { areaAdminRoutes } from './area-admin.routes.ts';
import { findRoutes } from './find.routes.ts';
import { schemePageRoutes } from './scheme-page.routes.ts';
import { startRoutes } from './start.routes.ts';

export async function watchPublicRoutes(app: FastifyInstance): Promise<void> {
  await app.register(findRoutes);
  await app.register(schemePageRoutes);
  await app.register(startRoutes);
  await app.register(areaAdminRoutes);
}
