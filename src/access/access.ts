/**
 * Every route declares the action it needs; a route that declares none stops the
 * app from starting, and one that slips through anyway is refused (deny by default).
 *
 *   app.get('/staff/neighbourhoods/:force/:id', {
 *     config: access('neighbourhood.edit', neighbourhoodTarget),
 *   }, handler);
 *
 * A target resolver reads the request as Fastify types it before any route's schema
 * (params and query unknown), so it checks what it reads (src/staff/staff-access.ts).
 *
 * Public feature plugins are registered through `withDefaultAccess('public.view', plugin)`
 * so their routes need not repeat it.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { recordDenial } from '../audit/denials.repository.ts';
import { AppError } from '../errors.ts';
import { redirect } from '../site/redirect.ts';
import { ACCESS_DENIALS } from '../throttle/throttle.policies.ts';
import { ACTIONS, isOpenToEveryone, type Action } from './permissions.ts';
import { isAllowed, SOMEWHERE, type TargetOrSomewhere } from './policy.ts';

export type TargetResolver = (request: FastifyRequest) => TargetOrSomewhere | Promise<TargetOrSomewhere>;

export interface RouteAccess {
  action: Action;
  /** What the action is done to; defaults to "somewhere" (list pages narrow what they show themselves). */
  target?: TargetResolver;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

/** Route config declaring the action a route needs. */
export function access(action: Action, target?: TargetResolver): { access: RouteAccess } {
  return { access: target === undefined ? { action } : { action, target } };
}

/** Registers `plugin` so that its routes without a declaration get `action`. */
export function withDefaultAccess<T extends Record<string, unknown>>(action: Action, plugin: FastifyPluginAsync<T>): FastifyPluginAsync<T> {
  return async (instance, options) => {
    instance.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: route.config?.access ?? { action } };
    });
    // The outer registration already applied any prefix; passing it on would apply it twice.
    const { prefix: _prefix, ...rest } = options as T & { prefix?: string };
    await instance.register(plugin, rest as unknown as T);
  };
}

/** Every route the app registered, with its declaration: the matrix test iterates these. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

/** Where a half-signed-in session must go next. */
export const STAGE_PAGES = { mfa: '/sign-in/two-factor', enrol: '/account/two-factor/set-up' } as const;

function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export function registerAccessControl(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  const declaredRoutes: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declaredRoutes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing: string[] = [];
    for (const route of routes) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const declared = route.config?.access;
      if (declared === undefined || !ACTIONS.includes(declared.action)) missing.push(`${methods.join(',')} ${route.url}`);
      for (const method of methods) app.declaredRoutes.push({ method, url: route.url, access: declared });
    }
    if (missing.length > 0) throw new Error(`Routes without a declared action (see src/access/access.ts):\n  ${missing.join('\n  ')}`);
  });

  app.addHook('preHandler', async (request, reply) => {
    if (request.is404) return;
    const declared = request.routeOptions.config.access;
    if (declared === undefined) {
      request.log.error({ route: request.routeOptions.url }, 'route without a declared action refused');
      throw new AppError('SC_ERR_FORBIDDEN');
    }
    if (isOpenToEveryone(declared.action)) return;
    const actor = request.actor;
    if (actor === null) return refuseAnonymous(request, reply);
    const target = declared.target === undefined ? SOMEWHERE : await declared.target(request);
    if (isAllowed(actor, declared.action, target)) return;
    return refuse(request, declared.action, target === SOMEWHERE ? null : { ...target });
  });
}

/**
 * Refuses a signed-in person: audited in full the first time, counted and summarised
 * when repeated, answered 429 once repeats pass the limit (src/audit/denials.repository.ts).
 * Routes with a rule of their own beyond the table refuse through this too, with `rule`.
 */
export async function refuse(request: FastifyRequest, wanted: Action, target: Record<string, unknown> | null, rule?: string): Promise<never> {
  const { ctx } = request.server;
  const actor = request.actor;
  if (actor === null) throw new AppError('SC_ERR_SIGN_IN_REQUIRED');
  const outcome = await recordDenial(ctx.store, ctx.config.SECRET_KEY, {
    actorId: actor.personId,
    actorOrg: actor.roles[0]?.organisationId ?? null,
    clientAddress: request.ip,
    wanted,
    method: request.method,
    route: request.routeOptions.url ?? '',
    target,
    ...(rule === undefined ? {} : { rule }),
  }, ACCESS_DENIALS, ctx.now());
  if (outcome.throttled) {
    throw new AppError('SC_ERR_THROTTLED', 'Too many refused requests; wait and try again', { retryAfterSeconds: outcome.retryAfterSeconds });
  }
  throw new AppError('SC_ERR_FORBIDDEN', rule);
}

async function refuseAnonymous(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const stage = request.session?.stage;
  if (stage === 'mfa' || stage === 'enrol') {
    if (wantsHtml(request) && request.method === 'GET') return redirect(reply, STAGE_PAGES[stage], 303);
    throw new AppError('SC_ERR_SECOND_FACTOR_REQUIRED');
  }
  if (wantsHtml(request) && request.method === 'GET') {
    return redirect(reply, `/sign-in?next=${encodeURIComponent(request.url)}`, 303);
  }
  throw new AppError('SC_ERR_SIGN_IN_REQUIRED');
}
