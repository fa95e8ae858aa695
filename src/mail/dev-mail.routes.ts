/**
 * /dev/mail: the outbox as a developer's inbox, so sign-up, recovery and invitations
 * can be tried end to end on a laptop with no mail server. Registered only in
 * development and tests with SMTP_URL unset (see devMailEnabled); in production the
 * routes do not exist at all, so there is nothing to misconfigure.
 *
 * Messages stay 'queued': they were not delivered, and if SMTP_URL is set later they
 * will be.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { access } from '../access/access.ts';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { outboxRow, textWithLinks } from './outbox.presenter.ts';
import { findOutboxMessage, listOutbox } from './outbox.repository.ts';
import { messageId, PAGE_SIZE } from './outbox.routes.ts';

/** True when /dev/mail should exist. */
export function devMailEnabled(config: Pick<Config, 'NODE_ENV' | 'SMTP_URL'>): boolean {
  return (config.NODE_ENV === 'development' || config.NODE_ENV === 'test') && config.SMTP_URL === undefined;
}

/**
 * The HTML body is someone else's markup (well, a template's, with user data in it):
 * it is served from its own URL in a sandbox (no scripts, no plugins, an opaque origin,
 * nothing fetched) and framed by the message page. The site's page policy says
 * frame-ancestors 'none'; this response says 'self' so the message page can frame it.
 */
export const FRAMED_MAIL_HEADERS = {
  'Content-Security-Policy': "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'",
  'X-Frame-Options': 'SAMEORIGIN',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const listQuery = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms; app.inject reports 127.0.0.1. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}

/**
 * Only the machine the server runs on may read its mail: the connection must come from
 * loopback, and so must the client a trusted proxy forwards (a proxy on the same
 * machine would otherwise pass anyone's request on from 127.0.0.1).
 */
async function onlyFromThisMachine(request: FastifyRequest): Promise<void> {
  if (!isLoopback(request.socket.remoteAddress) || !isLoopback(request.ip)) throw new AppError('SC_ERR_NOT_FOUND');
}

export function registerDevMailRoutes(app: FastifyInstance): void {
  const { store } = app.ctx;
  // public.view: these pages exist only in development and tests (devMailEnabled), where
  // there are no real people and the developer must be able to read mail without an
  // account, since creating the first account is what the mail is for.
  const devOnly = { config: access('public.view') };
  // The guard is a hook of these routes' own plugin, so it runs for whatever URL the router
  // matched to them (/%64ev/mail is /dev/mail once decoded), including routes added here later.
  void app.register(async (dev) => {
    dev.addHook('onRequest', onlyFromThisMachine);

    dev.get('/dev/mail', devOnly, async (request, reply) => {
      const { before } = listQuery.parse(request.query ?? {});
      const rows = await listOutbox(store.db, { limit: PAGE_SIZE + 1, before });
      const page = rows.slice(0, PAGE_SIZE);
      return reply.page('outbox/dev-list.njk', {
        messages: page.map(outboxRow),
        olderHref: rows.length > PAGE_SIZE ? `/dev/mail?before=${page[page.length - 1]!.id}` : null,
        newestHref: before !== undefined ? '/dev/mail' : null,
      });
    });

    dev.get('/dev/mail/:id', devOnly, async (request, reply) => {
      const message = await findOutboxMessage(store.db, messageId(request));
      if (!message) throw new AppError('SC_ERR_UNKNOWN_MESSAGE');
      return reply.page('outbox/dev-message.njk', { message: outboxRow(message), body: textWithLinks(message.text_body) });
    });

    dev.get('/dev/mail/:id/html', devOnly, async (request, reply) => {
      const message = await findOutboxMessage(store.db, messageId(request));
      if (!message) throw new AppError('SC_ERR_UNKNOWN_MESSAGE');
      return reply.headers(FRAMED_MAIL_HEADERS).type('text/html; charset=utf-8').send(message.html_body);
    });
  });
}
