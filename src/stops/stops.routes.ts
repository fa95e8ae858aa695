/**
 * data.police.uk's stop and search routes. Unlike crimes, an unknown location
 * or force answers `[]` rather than an error, as upstream does.
 */
import type { FastifyInstance } from 'fastify';
import { AREA_BODY_LIMIT_BYTES, parseArea } from '../api/area.ts';
import { positiveInteger, requestParams, single } from '../api/params.ts';
import { locationById, locationsByIds, locationsInArea } from '../crime/locations.repository.ts';
import { presentStop } from './stops.presenter.ts';
import { stopsAtLocations, stopsOfForce, type StopRow } from './stops.repository.ts';

export async function stopRoutes(app: FastifyInstance): Promise<void> {
  const { store, release } = app.ctx;

  async function presentWithLocations(rows: StopRow[]) {
    const points = await locationsByIds(store.db, rows.map((r) => r.location_id).filter((id): id is number => id !== null));
    return rows.map((row) => presentStop(row, row.location_id === null ? undefined : points.get(row.location_id)));
  }

  app.route({
    method: ['GET', 'POST'],
    url: '/stops-street',
    bodyLimit: AREA_BODY_LIMIT_BYTES,
    handler: async (request) => {
      const params = requestParams(request);
      const area = parseArea(params);
      const { month } = await release.resolve(single(params.date));
      if (!month) return [];
      const points = await locationsInArea(store.db, area);
      const rows = await stopsAtLocations(store, month, [...points.keys()]);
      return rows.map((row) => presentStop(row, points.get(row.location_id!)));
    },
  });

  app.get('/stops-at-location', async (request) => {
    const params = requestParams(request);
    const { month } = await release.resolve(single(params.date));
    const id = positiveInteger(params.location_id);
    const point = id === undefined ? undefined : await locationById(store.db, id);
    if (!month || !point) return [];
    const rows = await stopsAtLocations(store, month, [point.id]);
    return rows.map((row) => presentStop(row, point));
  });

  app.get('/stops-no-location', async (request) => {
    const params = requestParams(request);
    const { month } = await release.resolve(single(params.date));
    const force = single(params.force);
    if (!month || !force) return [];
    return presentWithLocations(await stopsOfForce(store.db, force, month, true));
  });

  app.get('/stops-force', async (request) => {
    const params = requestParams(request);
    const { month } = await release.resolve(single(params.date));
    const force = single(params.force);
    if (!month || !force) return [];
    return presentWithLocations(await stopsOfForce(store.db, force, month, false));
  });
}
