/**
 * Builds the HTTP application without listening, so tests drive it with
 * `app.inject()` and `main` decides where it listens.
 */
import formBody from '@fastify/formbody';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { clientErrorFor, compatErrorHandler, MAX_REQUEST_LINE, requestLineLimit, sendError } from './api/compat-http.ts';
import { AppError } from './errors.ts';
import { registerNulGuard } from './api/nul-guard.ts';
import { clientErrorHandler, expectationFailedHandler, frameworkErrorHandler, refuseWhileClosing, sendEdgeError, serverTimeouts, wantsCompatAnswer } from './http-edge.ts';
import { registerAssets } from './site/assets.ts';
import { pageContext } from './site/page-context.ts';
import { registerViews } from './site/views.ts';
import { DataRelease, demoNoticeHook } from './api/data-release.ts';
import { rateLimit } from './api/rate-limit.ts';
import { crimeRoutes } from './crime/crime.routes.ts';
import { MonthIndexCache } from './crime/month-index.ts';
import { forceRoutes } from './forces/forces.routes.ts';
import { mapDataRoutes } from './map/map.routes.ts';
import { neighbourhoodRoutes } from './neighbourhoods/neighbourhoods.routes.ts';
import { stopRoutes } from './stops/stops.routes.ts';
import { siteRoutes } from './site/site.routes.ts';
import { crimeMapRoutes } from './crime-map/crime-map.routes.ts';
import { neighbourhoodPageRoutes } from './neighbourhood-page/neighbourhood-page.routes.ts';
import type { Store } from './store/store.ts';
import type { AppContext } from './app-context.ts';
import { registerAccessControl, withDefaultAccess } from './access/access.ts';
import { registerSessions } from './sessions/session.plugin.ts';
import { scheduleHousekeeping } from './sessions/housekeeping.ts';
import { registerSecurityHeaders } from './site/security-headers.ts';
import { accountRoutes } from './accounts/account.routes.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { mailRoutes } from './mail/mail.routes.ts';
import { staffRoutes } from './staff/staff.routes.ts';
import { watchMemberRoutes } from './watch/watch-members.routes.ts';
import { watchPublicRoutes } from './watch/watch-public.routes.ts';
import { signsRoutes } from './signs/signs.routes.ts';
import { seedDefaultGuides } from './signs/signs.service.ts';

export interface BuildOptions {
  now?: () => Date;
  /** Where log lines go instead of standard output (tests read them). */
  logStream?: { write(line: string): void };
}

/**
 * What a request log line holds: never the query string, which carries one-time
 * tokens (password reset, invitations, email confirmation) and secret thread keys
 * that anyone reading the logs could otherwise use.
 */
export function requestForLog(request: { method: string; url: string; ip?: string }): Record<string, string | undefined> {
  const query = request.url.indexOf('?');
  return { method: request.method, url: query === -1 ? request.url : `${request.url.slice(0, query)}?…`, remoteAddress: request.ip };
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export async function buildApp(store: Store, config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyServerOptions['logger'] =
    config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, serializers: { req: requestForLog }, ...(options.logStream ? { stream: options.logStream } : {}) };
  const app = Fastify({
    logger,
    // A number of proxies becomes a hop test: proxy-addr trusts that many hops from our side.
    trustProxy: typeof config.TRUST_PROXY === 'number' ? trustHops(config.TRUST_PROXY) : config.TRUST_PROXY,
    // Upstream ids (persistent ids, NI neighbourhood names) are longer than Fastify's default
    // of 100. A segment can be as long as the request line allows: an id too long to exist is
    // then an unknown id (404 from its route), and a request line too long is refused by
    // requestLineLimit, both with the site's answers rather than the router's.
    routerOptions: { maxParamLength: MAX_REQUEST_LINE },
    // Answers given before any hook runs (src/http-edge.ts).
    frameworkErrors: frameworkErrorHandler(config),
    clientErrorHandler: clientErrorHandler(config),
    return503OnClosing: false,
    ...serverTimeouts(config),
  });
  app.server.on('checkExpectation', expectationFailedHandler(config));

  const ctx: AppContext = {
    store,
    config,
    release: new DataRelease(store, config.API_MONTHS_SERVED),
    monthIndex: new MonthIndexCache(store, config.API_MEMORY_MONTHS),
    now: options.now ?? (() => new Date()),
  };
  app.decorate('ctx', ctx);

  // First, so that every answer has the headers, whichever hook fails.
  registerSecurityHeaders(app, config);
  refuseWhileClosing(app);
  app.addHook('onRequest', requestLineLimit);
  registerNulGuard(app);
  await app.register(formBody);
  // Sessions first, so their CSRF check runs before access control looks at a request;
  // then access control, before any route, so it records every route as it is added.
  await registerSessions(app, ctx);
  registerAccessControl(app);
  scheduleHousekeeping(app, ctx);
  const assets = await registerAssets(app, config);
  registerViews(app, config, assets);

  // The compatible API answers errors as upstream does; pages answer with a page.
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    try {
      if (wantsCompatAnswer(request)) return compatErrorHandler(error, request, reply);
      // A client's mistake (ours, or a body Fastify would not parse) is a 4xx page, not logged as a fault.
      const mistake = clientErrorFor(error);
      const context = await pageContext(app).catch(() => ({}));
      if (mistake?.status === 404) return reply.code(404).page('not-found.njk', context);
      if (mistake) {
        if (mistake.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mistake.retryAfterSeconds));
        return reply.code(mistake.status).header('X-Error-Code', mistake.code).page('problem.njk', { ...context, status: mistake.status, message: mistake.message });
      }
      // A deliberate 503 (an area too large, the server shutting down) is a refusal, not a fault.
      if (!(error instanceof AppError && error.status === 503)) request.log.error({ err: error }, 'page failed');
      return reply.code(error instanceof AppError ? error.status : 500).page('error.njk', context);
    } catch (failure) {
      // Failing here would leave the answer to Fastify's default handler: JSON with the error's message.
      request.log.error({ err: failure }, 'the error handler failed');
      if (reply.sent) return reply;
      return sendEdgeError(config, request, reply, new AppError('SC_ERR_INTERNAL'));
    }
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/')) return sendError(reply, new AppError('SC_ERR_NOT_FOUND'));
    return reply.code(404).page('not-found.njk', await pageContext(app));
  });

  await app.register(
    withDefaultAccess('public.view', async (api) => {
      if (config.API_RATE_LIMIT_PER_SECOND > 0) {
        api.addHook('onRequest', rateLimit({ perSecond: config.API_RATE_LIMIT_PER_SECOND, burst: config.API_RATE_LIMIT_BURST }));
      }
      api.addHook('onSend', demoNoticeHook(ctx.release));
      await api.register(crimeRoutes);
      await api.register(stopRoutes);
      await api.register(forceRoutes);
      await api.register(neighbourhoodRoutes);
    }),
    { prefix: '/api' },
  );
  await app.register(withDefaultAccess('public.view', siteRoutes));
  await app.register(withDefaultAccess('public.view', crimeMapRoutes));
  await app.register(withDefaultAccess('public.view', neighbourhoodPageRoutes));
  await app.register(withDefaultAccess('public.view', mapDataRoutes), { prefix: '/map-data' });
  // Routes from here on declare their own actions: nothing is public by default.
  await app.register(accountRoutes);
  await app.register(staffRoutes);
  await app.register(adminRoutes);
  await app.register(mailRoutes);
  await app.register(watchPublicRoutes);
  await app.register(watchMemberRoutes);
  await app.register(signsRoutes);
  // Every site starts with the default "Spot the signs" guides (none are added once the store has any).
  await seedDefaultGuides(store, ctx.now());
  return app;
}
