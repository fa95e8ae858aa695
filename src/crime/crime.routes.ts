/**
 * data.police.uk's street-level crime routes, with its semantics kept exactly,
 * quirks included: an unknown category silently means all crime, and a
 * misspelt `date` key silently means the latest month (see docs/API.md).
 */
import type { FastifyInstance } from 'fastify';
import { AREA_BODY_LIMIT_BYTES, parseArea, parsePoint } from '../api/area.ts';
import type { Area } from '../geo/area.ts';
import type { Store } from '../store/store.ts';
import { positiveInteger, requestParams, single } from '../api/params.ts';
import { fail } from '../errors.ts';
import { forceExists } from '../forces/forces.repository.ts';
import { availabilityRoutes } from './availability.routes.ts';
import { isCrimeCategory } from './categories.ts';
import { presentCrime } from './crime.presenter.ts';
import { crimesAtLocations, crimesWithoutLocation, locationsWithCrimes } from './crime.repository.ts';
import { locationById, locationsInArea, nearestLocation } from './locations.repository.ts';
import { crimesInAreaFromIndex } from './month-index.ts';
import { outcomeRoutes } from './outcomes.routes.ts';

/** The slug to filter by, or null for all crime (which unknown slugs also mean upstream). */
export function categoryFilter(slug: unknown): string | null {
  return typeof slug === 'string' && slug !== 'all-crime' && isCrimeCategory(slug) ? slug : null;
}

async function crimesInAreaFromStore(store: Store, month: string, area: Area, category: string | null) {
  const points = await locationsInArea(store.db, area);
  const rows = await crimesAtLocations(store, month, [...points.keys()], category);
  return rows.map((row) => ({ row, point: points.get(row.location_id!)! }));
}

export async function crimeRoutes(app: FastifyInstance): Promise<void> {
  const { store, config, release, monthIndex } = app.ctx;
  await app.register(availabilityRoutes);
  await app.register(outcomeRoutes);

  app.route<{ Params: { category: string } }>({
    method: ['GET', 'POST'],
    url: '/crimes-street/:category',
    bodyLimit: AREA_BODY_LIMIT_BYTES,
    handler: async (request) => {
      const params = requestParams(request);
      const area = parseArea(params);
      const { month } = await release.resolve(single(params.date));
      if (!month) return [];
      const category = categoryFilter(request.params.category);
      const found = monthIndex.enabled
        ? crimesInAreaFromIndex(await monthIndex.get(month, await release.version()), area, category)
        : await crimesInAreaFromStore(store, month, area, category);
      if (config.API_AREA_LIMIT !== null && found.length > config.API_AREA_LIMIT) fail('SC_ERR_AREA_TOO_LARGE');
      return found.map(({ row, point }) => presentCrime(row, point));
    },
  });

  app.get('/crimes-at-location', async (request) => {
    const params = requestParams(request);
    const { month } = await release.resolve(single(params.date));
    if (params.location_id !== undefined) {
      const id = positiveInteger(params.location_id);
      const point = id === undefined ? undefined : await locationById(store.db, id);
      if (!point) fail('SC_ERR_UNKNOWN_LOCATION');
      if (!month) return [];
      const rows = await crimesAtLocations(store, month, [point.id], null);
      return rows.map((row) => presentCrime(row, point));
    }
    const centre = parsePoint(params.lat, params.lng);
    if (!month) return [];
    // "Finds the nearest pre-defined location": the nearest snap point with crimes that month.
    const point = await nearestLocation(store.db, centre, async (candidates) => {
      const withCrimes = await locationsWithCrimes(store, month, candidates.map((c) => c.id));
      return candidates.filter((c) => withCrimes.has(c.id));
    });
    if (!point) return [];
    const rows = await crimesAtLocations(store, month, [point.id], null);
    return rows.map((row) => presentCrime(row, point));
  });

  app.get('/crimes-no-location', async (request) => {
    const params = requestParams(request);
    const forceId = single(params.force);
    if (!forceId || !(await forceExists(store.db, forceId))) fail('SC_ERR_UNKNOWN_FORCE_UPSTREAM_502');
    const { month } = await release.resolve(single(params.date));
    if (!month) return [];
    const rows = await crimesWithoutLocation(store.db, forceId, month, categoryFilter(params.category));
    return rows.map((row) => presentCrime(row, undefined));
  });
}
