/**
 * The outbox for platform administrators: every message with its delivery state,
 * filtered and paged; one message in full; retrying one that was given up on.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { access } from '../access/access.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { AppError } from '../errors.ts';
import { announceMailQueued } from './mail.service.ts';
import { formatTime, outboxRow, STATUS_OPTIONS, statusTag, textWithLinks, textWithoutLinks } from './outbox.presenter.ts';
import { findOutboxMessage, listOutbox, OUTBOX_STATUSES, requeueMessage } from './outbox.repository.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue } from '../site/request-values.ts';

export const PAGE_SIZE = 50;

// A bad filter value is ignored rather than refused: these come from links and a GET form.
const listQuery = z.object({
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  to: z.string().trim().max(254).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

const idParam = z.object({ id: z.string().regex(/^[1-9]\d{0,15}$/).transform(Number) });

/** The message id from the URL; an id that cannot exist is simply not found. */
export function messageId(request: FastifyRequest): number {
  const parsed = idParam.safeParse(request.params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_MESSAGE');
  return parsed.data.id;
}

function listHref(base: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return search === '' ? base : `${base}?${search}`;
}

function auditActor(request: FastifyRequest) {
  return { actorId: request.actor?.personId ?? null, actorOrg: request.actor?.roles[0]?.organisationId ?? null, clientAddress: request.ip };
}

export function registerOutboxRoutes(app: FastifyInstance): void {
  const { store, config } = app.ctx;

  app.get('/admin/outbox', { config: access('outbox.view') }, async (request, reply) => {
    const query = listQuery.parse(request.query ?? {});
    const rows = await listOutbox(store.db, { status: query.status, to: query.to, before: query.before, limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const filters = { status: query.status, to: query.to };
    return reply.page('outbox/list.njk', {
      messages: page.map(outboxRow),
      filters: { status: query.status ?? '', to: query.to ?? '' },
      statusOptions: [{ value: '', text: 'All' }, ...STATUS_OPTIONS],
      filtered: query.status !== undefined || (query.to ?? '') !== '',
      olderHref: rows.length > PAGE_SIZE ? listHref('/admin/outbox', { ...filters, before: page[page.length - 1]!.id }) : null,
      newestHref: query.before !== undefined ? listHref('/admin/outbox', filters) : null,
    });
  });

  app.get('/admin/outbox/:id', { config: access('outbox.view') }, async (request, reply) => {
    const id = messageId(request);
    const message = await findOutboxMessage(store.db, id);
    if (!message) throw new AppError('SC_ERR_UNKNOWN_MESSAGE');
    // Reading someone's email is reading their personal data: it is recorded.
    await appendAudit(store, { action: 'record.view', subjectType: 'outbox_message', subjectId: String(id), ...auditActor(request) });
    // Bodies hold one-time links (verify, recover, invite). An administrator who could
    // read them could take over any account being recovered, so in production the
    // text body is shown with every link hidden: enough to see what was said, not to
    // act on it. The HTML body (the same links again) is not shown at all. Outside
    // production there are no real accounts, and /dev/mail shows everything anyway.
    const hideLinks = config.NODE_ENV === 'production';
    const query = { retried: requestValue(request.query, 'retried') };
    return reply.page('outbox/message.njk', {
      message: {
        ...outboxRow(message),
        claimedUntil: message.status === 'sending' ? formatTime(message.claimed_until) : '',
      },
      body: hideLinks ? textWithoutLinks(message.text_body) : textWithLinks(message.text_body),
      linksHidden: hideLinks,
      retried: query?.retried === '1',
    });
  });

  app.post('/admin/outbox/:id/retry', { config: access('outbox.retry') }, async (request, reply) => {
    const id = messageId(request);
    const message = await findOutboxMessage(store.db, id);
    if (!message) throw new AppError('SC_ERR_UNKNOWN_MESSAGE');
    if (!(await requeueMessage(store.db, id, app.ctx.now()))) {
      throw new AppError('SC_ERR_INVALID_FORM', `Only a message that was given up on can be retried; this one is ${statusTag(message.status).text.toLowerCase()}`);
    }
    await appendAudit(store, {
      action: 'record.update',
      subjectType: 'outbox_message',
      subjectId: String(id),
      details: { change: 'requeued', previousAttempts: message.attempts },
      ...auditActor(request),
    });
    request.log.info({ outboxId: id, status: 'queued' }, 'email requeued by an administrator');
    announceMailQueued();
    return redirect(reply, `/admin/outbox/${id}?retried=1`, 303);
  });
}
