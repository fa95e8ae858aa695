/**
 * What the membership, relay, coordinator and member-data routes share: rendering a
 * page under templates/watch/members/ with the layout's context, reading a scheme
 * from the URL, answering a throttled request, and auditing a view of members'
 * details. The services' shared helpers are in audited-change.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../audit/audit.repository.ts';
import { auditAddress, waitText } from '../accounts/account.service.ts';
import { AppError } from '../errors.ts';
import { pageContext } from '../site/page-context.ts';
import { hitRateLimit, throttleKey, type RateLimit } from '../throttle/throttle.repository.ts';
import { findScheme, type Scheme, type SchemeStatus } from './schemes.repository.ts';
import { routeParam } from '../site/request-values.ts';

/** Renders `watch/members/{template}` with the layout's context. */
export async function render(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200): Promise<FastifyReply> {
  const context = await pageContext(request.server);
  return reply.code(status).page(`watch/members/${template}`, { ...context, ...data });
}

/** The scheme in the URL; a 404 unless it is in one of `statuses` (default: active). */
export async function schemeOr404(app: FastifyInstance, id: string, statuses: readonly SchemeStatus[] = ['active']): Promise<Scheme> {
  const scheme = await findScheme(app.ctx.store.db, id);
  if (!scheme || !statuses.includes(scheme.status)) throw new AppError('SC_ERR_NOT_FOUND');
  return scheme;
}

/** The access target of routes under /watch/…/:id. */
export const schemeTarget = (r: FastifyRequest): { schemeId: string } => ({ schemeId: routeParam(r, 'id') });

/** Counts a hit against `limit` for `value` in `scope`; the retry wait in seconds when over it, else null. */
export async function overLimit(app: FastifyInstance, scope: string, value: string, limit: RateLimit): Promise<number | null> {
  const key = throttleKey(app.ctx.config.SECRET_KEY, scope, value);
  const result = await hitRateLimit(app.ctx.store.db, key, limit, app.ctx.now());
  return result.allowed ? null : result.retryAfterSeconds;
}

/** The 429 page for a throttled form. */
export async function renderThrottled(request: FastifyRequest, reply: FastifyReply, seconds: number, what: string): Promise<FastifyReply> {
  reply.header('Retry-After', String(seconds)).header('X-Error-Code', 'SC_ERR_THROTTLED');
  return render(request, reply, 'info.njk', {
    title: 'Too many attempts',
    paragraphs: [`${what} Wait ${waitText(seconds)} and try again.`],
  }, 429);
}

/**
 * Records that someone looked at members' personal details (names, streets, what they
 * wrote): coordinators reading their scheme's members or messages, administrators
 * reading a reported conversation. What was shown is not copied into the log.
 */
export async function auditView(app: FastifyInstance, request: FastifyRequest, subjectType: string, subjectId: string, details: Record<string, unknown> = {}): Promise<void> {
  await appendAudit(
    app.ctx.store,
    {
      action: 'record.view',
      actorId: request.actor?.personId ?? null,
      actorOrg: null,
      subjectType,
      subjectId,
      clientAddress: auditAddress(request.ip),
      details,
    },
    { now: app.ctx.now },
  );
}

/**
 * Adds `no-store` to every response of the plugin and, for pages reached by a secret
 * link, a Referrer-Policy of `strict-origin`: a Referer never carries the link's path
 * or query. Not `no-referrer`: under that policy browsers send `Origin: null` with a
 * form's POST, which the CSRF check rightly refuses as cross-site.
 */
export function privatePages(app: FastifyInstance, secretLinks = false): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Cache-Control', 'no-store');
    if (secretLinks) reply.header('Referrer-Policy', 'strict-origin');
    return payload;
  });
}
