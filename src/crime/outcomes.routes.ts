/**
 * Outcomes: those recorded in an area in a month, and one crime's whole history.
 */
import type { FastifyInstance } from 'fastify';
import { AREA_BODY_LIMIT_BYTES, parseArea } from '../api/area.ts';
import { positiveInteger, requestParams, single } from '../api/params.ts';
import { fail } from '../errors.ts';
import { presentAreaOutcome, presentCrimeHistory } from './crime.presenter.ts';
import { crimeByPersistentId, outcomeHistory, outcomesAtLocations } from './crime.repository.ts';
import { locationById, locationsByIds, locationsInArea, type SnapPoint } from './locations.repository.ts';

const PERSISTENT_ID = /^[0-9a-f]{64}$/;

export async function outcomeRoutes(app: FastifyInstance): Promise<void> {
  const { store, config, release } = app.ctx;

  app.route({
    method: ['GET', 'POST'],
    url: '/outcomes-at-location',
    bodyLimit: AREA_BODY_LIMIT_BYTES,
    handler: async (request) => {
      const params = requestParams(request);
      let points: Map<number, SnapPoint>;
      if (params.location_id !== undefined) {
        const id = positiveInteger(params.location_id);
        const point = id === undefined ? undefined : await locationById(store.db, id);
        if (!point) fail('SC_ERR_UNKNOWN_LOCATION');
        points = new Map([[point.id, point]]);
      } else {
        points = await locationsInArea(store.db, parseArea(params));
      }
      const { month } = await release.resolve(single(params.date));
      if (!month) return [];
      const rows = await outcomesAtLocations(store, month, [...points.keys()]);
      if (config.API_AREA_LIMIT !== null && rows.length > config.API_AREA_LIMIT) fail('SC_ERR_AREA_TOO_LARGE');
      // The crime is shown where its street record puts it, which may differ from the outcome row.
      const crimePoints = await locationsByIds(store.db, rows.map((r) => r.location_id).filter((id): id is number => id !== null && !points.has(id)));
      return rows.map((row) => presentAreaOutcome(row, row.location_id === null ? undefined : (points.get(row.location_id) ?? crimePoints.get(row.location_id))));
    },
  });

  app.get<{ Params: { persistentId: string } }>('/outcomes-for-crime/:persistentId', async (request) => {
    const id = request.params.persistentId;
    // Upstream ids are lower-case hex; an upper-cased id is 404 there too.
    if (!PERSISTENT_ID.test(id)) fail('SC_ERR_UNKNOWN_CRIME');
    const crime = await crimeByPersistentId(store.db, id);
    if (!crime) fail('SC_ERR_UNKNOWN_CRIME');
    const [outcomes, point] = await Promise.all([
      outcomeHistory(store.db, id),
      crime.location_id === null ? undefined : locationById(store.db, crime.location_id),
    ]);
    return presentCrimeHistory(crime, point, outcomes);
  });
}
