/**
 * data.police.uk's neighbourhood routes, which sit at the API root
 * (`/{force}/{neighbourhood}/…`). Fastify prefers static segments over
 * parameters, so `/{force}/neighbourhoods` wins over `/{force}/{neighbourhood}`
 * (upstream reserves that id too), and other plugins' fixed paths such as
 * `/crimes-street/{category}` win over these.
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../errors.ts';
import { forceExists } from '../forces/forces.repository.ts';
import { parseForceParams } from '../forces/forces.schema.ts';
import type { Database } from '../store/database.ts';
import { locateNeighbourhood } from './locate.ts';
import { londonNow } from './london-time.ts';
import {
  presentBoundary,
  presentEvents,
  presentLocated,
  presentNeighbourhood,
  presentNeighbourhoodList,
  presentPriorities,
} from './neighbourhoods.presenter.ts';
import { presentPerson } from '../forces/forces.presenter.ts';
import {
  findNeighbourhood,
  listNeighbourhoodPeople,
  listNeighbourhoods,
  listPriorities,
  listUpcomingEvents,
  type NeighbourhoodRecord,
} from './neighbourhoods.repository.ts';
import { parseLocateQuery, parseNeighbourhoodParams } from './neighbourhoods.schema.ts';

/** The neighbourhood named by the path, or upstream's 404 for an unknown force or neighbourhood. */
async function requireNeighbourhood(db: Kysely<Database>, params: unknown): Promise<NeighbourhoodRecord> {
  const { force, neighbourhood } = parseNeighbourhoodParams(params);
  const found = await findNeighbourhood(db, force, neighbourhood);
  if (found) return found;
  if (!(await forceExists(db, force))) throw new AppError('SC_ERR_UNKNOWN_FORCE');
  throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
}

export interface NeighbourhoodRouteOptions {
  /** For tests: the clock that decides which events are still upcoming. */
  now?: () => Date;
}

export async function neighbourhoodRoutes(app: FastifyInstance, options: NeighbourhoodRouteOptions = {}): Promise<void> {
  const db = () => app.ctx.store.db;
  const now = options.now ?? (() => new Date());

  app.get('/locate-neighbourhood', async (request) => {
    const point = parseLocateQuery(request.query);
    const found = await locateNeighbourhood(db(), point);
    if (!found) throw new AppError('SC_ERR_NO_NEIGHBOURHOOD_AT_POINT');
    return presentLocated(found);
  });

  app.get('/:force/neighbourhoods', async (request) => {
    const { force } = parseForceParams(request.params);
    if (!(await forceExists(db(), force))) throw new AppError('SC_ERR_UNKNOWN_FORCE');
    return presentNeighbourhoodList(await listNeighbourhoods(db(), force));
  });

  app.get('/:force/:neighbourhood', async (request) => presentNeighbourhood(await requireNeighbourhood(db(), request.params)));

  app.get('/:force/:neighbourhood/boundary', async (request) => presentBoundary((await requireNeighbourhood(db(), request.params)).boundary));

  app.get('/:force/:neighbourhood/people', async (request) => {
    const { force, neighbourhood } = parseNeighbourhoodParams(request.params);
    await requireNeighbourhood(db(), request.params);
    return (await listNeighbourhoodPeople(db(), force, neighbourhood)).map(presentPerson);
  });

  app.get('/:force/:neighbourhood/events', async (request) => {
    const { force, neighbourhood } = parseNeighbourhoodParams(request.params);
    await requireNeighbourhood(db(), request.params);
    return presentEvents(await listUpcomingEvents(db(), force, neighbourhood, londonNow(now())));
  });

  app.get('/:force/:neighbourhood/priorities', async (request) => {
    const { force, neighbourhood } = parseNeighbourhoodParams(request.params);
    await requireNeighbourhood(db(), request.params);
    return presentPriorities(await listPriorities(db(), force, neighbourhood));
  });
}
