/**
 * /map-data: the JSON the public crime map draws from. Registered with the
 * `/map-data` prefix; outside /api, so errors are JSON `{ error: { code,
 * message } }` rather than data.police.uk's empty bodies.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { demoNoticeHook } from '../api/data-release.ts';
import { ClusterIndexCache } from './cluster-index.ts';
import { clusterExpansionQuery, clustersQuery, locationParams, locationQuery, monthsQuery, parseMapQuery } from './map.schema.ts';
import { clusterExpansion, locationDetails, publishingMonths, viewportClusters } from './map.service.ts';

/**
 * Cluster indexes kept: a national all-crime month is roughly 100 MB, one
 * category a tenth of that; the map mostly asks for the latest month with a few
 * filters, so six covers it without letting month-by-month browsing grow the heap.
 */
const CLUSTER_INDEXES_KEPT = 6;

function sendMapError(reply: FastifyReply, error: AppError): FastifyReply {
  return reply
    .code(error.status)
    .header('X-Error-Code', error.code)
    .type('application/json; charset=utf-8')
    .send({ error: { code: error.code, message: error.message } });
}

function mapErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendMapError(reply, error);
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendMapError(reply, new AppError('SC_ERR_BAD_MAP_QUERY', error.message));
  }
  request.log.error({ err: error }, 'unhandled error in /map-data');
  return sendMapError(reply, new AppError('SC_ERR_INTERNAL'));
}

/**
 * The map's data routes; register with `{ prefix: '/map-data' }`.
 * @example await app.register(mapDataRoutes, { prefix: '/map-data' });
 */
export async function mapDataRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const cache = new ClusterIndexCache(CLUSTER_INDEXES_KEPT);

  app.setErrorHandler(mapErrorHandler);
  app.setNotFoundHandler((request, reply) =>
    sendMapError(reply, new AppError('SC_ERR_MAP_NOT_FOUND', `No endpoint ${request.method} ${request.url.split('?')[0]}: the map data endpoints are /map-data/clusters, /map-data/cluster-expansion, /map-data/location/:locationId and /map-data/months`)),
  );
  app.addHook('onSend', demoNoticeHook(ctx.release));

  app.get('/clusters', async (request) => viewportClusters(ctx, cache, parseMapQuery(clustersQuery, request.query)));

  app.get('/cluster-expansion', async (request) => clusterExpansion(ctx, cache, parseMapQuery(clusterExpansionQuery, request.query)));

  app.get('/location/:locationId', async (request) => {
    const { locationId } = parseMapQuery(locationParams, request.params);
    return locationDetails(ctx, locationId, parseMapQuery(locationQuery, request.query));
  });

  app.get('/months', async (request) => publishingMonths(ctx, parseMapQuery(monthsQuery, request.query).force));
}
