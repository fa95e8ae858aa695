/**
 * Routes for staff tools: a neighbourhood team edits its own page; a force
 * administrator manages neighbourhoods and teams. Every route declares its action
 * and target (src/access/access.ts); each sub-page has its own file.
 */
import type { FastifyInstance } from 'fastify';
import { access } from '../access/access.ts';
import { isAllowed } from '../access/policy.ts';
import { AppError } from '../errors.ts';
import { htmlToParagraphs } from '../neighbourhood-page/text.ts';
import { typedLine } from './stored-text.ts';
import { collectionRoutes } from './collection.routes.ts';
import { EVENTS, PRIORITIES, STATIONS } from './collections.ts';
import { contactRoutes } from './contacts.routes.ts';
import { forceAdminRoutes } from './force-admin.routes.ts';
import { photoRoutes } from './photos.routes.ts';
import { EDIT_NEIGHBOURHOOD, editableNeighbourhoods, managedForces, parseNeighbourhoodParams } from './staff-access.ts';
import { forceAdminPath, publicPath, renderStaff, staffPath } from './staff-pages.ts';
import { loadStaffNeighbourhood, partCounts } from './staff.repository.ts';
import { teamRoutes } from './team.routes.ts';

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;

  // Allowed for anyone who may edit some neighbourhood; the list shows only those `isAllowed` permits.
  app.get('/staff', { config: access('neighbourhood.edit') }, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new AppError('SC_ERR_FORBIDDEN');
    const neighbourhoods = await editableNeighbourhoods(store.db, actor);
    return renderStaff(request, reply, 'index.njk', {
      neighbourhoods: neighbourhoods.map((n) => ({ name: typedLine(n.name), forceId: n.forceId, href: staffPath(n.forceId, n.id), publicHref: publicPath(n.forceId, n.id) })),
      forces: managedForces(actor).map((forceId) => ({ forceId, href: forceAdminPath(forceId) })),
    });
  });

  app.get('/staff/neighbourhoods/:force/:id', { config: EDIT_NEIGHBOURHOOD }, async (request, reply) => {
    const { force, id } = parseNeighbourhoodParams(request.params);
    const [current, counts] = await Promise.all([loadStaffNeighbourhood(store.db, force, id), partCounts(store.db, force, id)]);
    const { neighbourhood } = current;
    const base = staffPath(force, id);
    const canManage = isAllowed(request.actor, 'neighbourhood.manage', { forceId: force });
    return renderStaff(request, reply, 'overview.njk', {
      base,
      forceName: current.force.name,
      name: typedLine(neighbourhood.name),
      description: htmlToParagraphs(neighbourhood.description),
      editedLocallyAt: current.editedLocallyAt,
      publicHref: publicPath(force, id),
      manageHref: canManage ? `${forceAdminPath(force)}/${encodeURIComponent(id)}/edit` : null,
      counts: {
        ...counts,
        stations: neighbourhood.locations.length,
        contacts: Object.values(neighbourhood.contact_details).filter((v) => typeof v === 'string' && v.trim() !== '').length,
      },
    });
  });

  await app.register(teamRoutes);
  await app.register(contactRoutes);
  await app.register(collectionRoutes, { spec: PRIORITIES });
  await app.register(collectionRoutes, { spec: EVENTS });
  await app.register(collectionRoutes, { spec: STATIONS });
  await app.register(forceAdminRoutes);
  await app.register(photoRoutes);
}
