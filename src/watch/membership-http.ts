/**
 * What the membership, relay, coordinator and member-data routes share: rendering a
 * page under templates/watch/members/ with the layout's context, reading a scheme
 * from the URL, answering a throttled request, queueing a notice, and running a
 * change and its audit entry in one transaction.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { appendAudit, appendAuditWithin } from '../audit/audit.repository.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import { auditAddress, waitText } from '../accounts/account.service.ts';
import { AppError } from '../errors.ts';
import { queueMail } from '../mail/mail.service.ts';
import { pageContext } from '../site/page-context.ts';
import type { Database } from '../store/database.ts';
import { hitRateLimit, throttleKey, type RateLimit } from '../throttle/throttle.repository.ts';
import { findScheme, type Scheme } from './schemes.repository.ts';

export { errorView, field, formFields, type FieldError } from '../accounts/account.schema.ts';

type Tx = Transaction<Database>;

/** Renders `watch/members/{template}` with the layout's context. */
export async function render(request: FastifyRequest, reply: FastifyReply, template: string, data: Record<string, unknown> = {}, status = 200): Promise<FastifyReply> {
  const context = await pageContext(request.server);
  return reply.code(status).page(`watch/members/${template}`, { ...context, ...data });
}

/** The scheme in the URL; a 404 unless it is in one of `statuses` (default: active). */
export async function schemeOr404(app: FastifyInstance, id: string, statuses: readonly string[] = ['active']): Promise<Scheme> {
  const scheme = await findScheme(app.ctx.store.db, id);
  if (!scheme || !statuses.includes(scheme.status)) throw new AppError('SC_ERR_NOT_FOUND');
  return scheme;
}

/** The access target of routes under /watch/…/:id. */
export const schemeTarget = (r: FastifyRequest): { schemeId: string } => ({ schemeId: (r.params as { id: string }).id });

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

export interface Notice {
  name?: string;
  heading: string;
  paragraphs: string[];
  link?: { text: string; href: string };
}

/** Queues a notice email (in the caller's transaction when given one). */
export async function notify(app: FastifyInstance, db: Tx | FastifyInstance['ctx']['store']['db'], to: string, notice: Notice): Promise<void> {
  await queueMail(db, app.ctx.config, { to, template: 'notice', data: notice }, app.ctx.now());
}

/** A link to this site for an email. */
export function siteLink(app: FastifyInstance, path: string): string {
  return `${app.ctx.config.PUBLIC_URL}${path}`;
}

type AuditBase = Omit<AuditEntryInput, 'clientAddress'>;

/**
 * Runs `change` in a transaction and appends its audit entry there, so both commit
 * or neither does. The entry may depend on the result; null means nothing changed
 * and nothing is audited. The actor defaults to whoever is signed in.
 */
export async function auditedChange<T>(app: FastifyInstance, request: FastifyRequest, entry: AuditBase | ((result: T) => AuditBase | null), change: (tx: Tx) => Promise<T>): Promise<T> {
  const { store } = app.ctx;
  return store.db.transaction().execute(async (tx) => {
    const result = await change(tx);
    const base = typeof entry === 'function' ? entry(result) : entry;
    if (base === null) return result;
    // Members and coordinators act as residents, not for an employer: no organisation,
    // so one's own Watch activity never shows in an employer's audit view.
    const actor = { actorId: request.actor?.personId ?? null, actorOrg: null };
    await appendAuditWithin(tx, store.kind, { ...actor, ...base, clientAddress: auditAddress(request.ip) }, { now: app.ctx.now });
    return result;
  });
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
