/**
 * Writing to a scheme's coordinator: /watch/schemes/:id/message (the relay form),
 * /watch/threads/:thread?key=… (the sender's secret link: read, answer, report
 * abuse) and /watch/reported/:thread (a reported conversation, for the force area's
 * Watch administrators). No page here ever shows an email address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { normaliseEmail } from '../accounts/people.repository.ts';
import { AppError } from '../errors.ts';
import { findScheme, type Scheme } from './schemes.repository.ts';
import { field, fieldError, formFields, NO_ERRORS, type ErrorView } from '../site/forms.ts';
import { auditView, overLimit, privatePages, render, renderThrottled, schemeOr404 } from './membership-http.ts';
import { firstName } from './membership.repository.ts';
import { findThread, messagesOf, type ThreadView } from './relay.repository.ts';
import { readMessage, readReply, type MessageForm } from './relay.schema.ts';
import {
  checkStamp,
  formStamp,
  HONEYPOT_FIELD,
  RELAY_PER_CLIENT,
  RELAY_PER_SENDER,
  RELAY_PER_THREAD,
  RELAY_SCOPES,
  relayMessage,
  reportThread,
  senderKeyOpens,
  senderLinkPath,
  sendToScheme,
} from './relay.service.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue, routeParam } from '../site/request-values.ts';

type Params = { id: string };
type ThreadParams = { thread: string };

/** Messages as a page shows them: a reply is signed with the first name of whoever wrote it. */
export async function conversation(app: FastifyInstance, threadId: string) {
  const rows = await messagesOf(app.ctx.store.db, threadId);
  return rows.map((m) => ({ ...m, when: displayTime(m.created_at), author: m.direction === 'to_sender' ? firstName(m.author_name ?? '') || 'The coordinator' : null }));
}

/** "3 March 2026 at 14:05", UK time. */
export function displayTime(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });
  return `${date} at ${time}`;
}

export async function relayRoutes(app: FastifyInstance): Promise<void> {
  const secretKey = app.ctx.config.SECRET_KEY;

  const renderForm = (request: FastifyRequest, reply: FastifyReply, scheme: Scheme, values: Partial<MessageForm>, errors: ErrorView = NO_ERRORS) =>
    render(request, reply, 'message.njk', { scheme, values, honeypot: HONEYPOT_FIELD, stamp: formStamp(secretKey, scheme.id, app.ctx.now()), ...errors }, errors.errorSummary ? 400 : 200);

  app.get<{ Params: Params }>('/watch/schemes/:id/message', { config: access('watch.apply') }, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id);
    return renderForm(request, reply, scheme, { name: request.actor?.displayName ?? '', email: request.actor?.email ?? '' });
  });

  app.post<{ Params: Params }>('/watch/schemes/:id/message', { config: access('watch.apply') }, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id);
    const wait = await overLimit(app, RELAY_SCOPES.client, request.ip, RELAY_PER_CLIENT);
    if (wait !== null) return renderThrottled(request, reply, wait, 'Too many messages have been sent from your network.');
    const { form, errors } = readMessage(request.body);
    if (form.honeypot !== '') {
      // Only a script fills in a field nobody can see: it is told what a person would be, and nothing is sent.
      request.log.warn({ schemeId: scheme.id }, 'watch relay honeypot filled; message dropped');
      return render(request, reply, 'message-sent.njk', { scheme, link: null });
    }
    const stamp = checkStamp(secretKey, scheme.id, form.stamp, app.ctx.now());
    if (stamp === 'too-fast') {
      return renderForm(request, reply, scheme, form, fieldError('message', 'That was quicker than we expect a person to be. Check your message, then send it again'));
    }
    if (stamp !== 'ok') {
      return renderForm(request, reply, scheme, form, fieldError('message', 'The form had been open too long or was changed. Check your message, then send it again'));
    }
    if (errors) return renderForm(request, reply, scheme, form, errors);
    const senderWait = await overLimit(app, RELAY_SCOPES.sender, form.email, RELAY_PER_SENDER);
    if (senderWait !== null) return renderThrottled(request, reply, senderWait, 'Too many messages have been sent with this email address.');
    const id = await sendToScheme(app.ctx, request.actor, scheme, { senderName: form.name, senderEmail: normaliseEmail(form.email), subject: form.subject, body: form.message }, request.ip);
    return render(request, reply, 'message-sent.njk', { scheme, link: senderLinkPath(secretKey, id) });
  });

  // The sender's pages: opened by the key in their link, never cached, never sent on in a Referer.
  await app.register(async (linked) => {
    privatePages(linked, true);

    const opened = async (request: FastifyRequest<{ Params: ThreadParams }>, key: string): Promise<{ thread: ThreadView; scheme: Scheme }> => {
      if (!(await senderKeyOpens(app.ctx, request.params.thread, key))) throw new AppError('SC_ERR_NOT_FOUND');
      const thread = await findThread(app.ctx.store.db, request.params.thread);
      const scheme = thread ? await findScheme(app.ctx.store.db, thread.scheme_id) : undefined;
      if (!thread || !scheme) throw new AppError('SC_ERR_NOT_FOUND');
      return { thread, scheme };
    };
    const show = async (request: FastifyRequest<{ Params: ThreadParams }>, reply: FastifyReply, key: string, errors: ErrorView = NO_ERRORS, values: Record<string, string> = {}) => {
      const { thread, scheme } = await opened(request, key);
      const data = { thread, scheme, key, messages: await conversation(app, thread.id), done: requestValue(request.query, 'done'), values, ...errors };
      return render(request, reply, 'thread.njk', data, errors.errorSummary ? 400 : 200);
    };

    linked.get<{ Params: ThreadParams; Querystring: { key?: string } }>('/watch/threads/:thread', { config: access('watch.apply') }, async (request, reply) =>
      show(request, reply, typeof request.query.key === 'string' ? request.query.key : ''),
    );

    linked.post<{ Params: ThreadParams }>('/watch/threads/:thread/reply', { config: access('watch.apply') }, async (request, reply) => {
      const key = field(formFields(request.body), 'key');
      const { thread, scheme } = await opened(request, key);
      const { message, errors } = readReply(request.body);
      if (errors) return show(request, reply, key, errors, { message });
      const wait = await overLimit(app, RELAY_SCOPES.thread, thread.id, RELAY_PER_THREAD);
      if (wait !== null) return renderThrottled(request, reply, wait, 'Too many messages have been sent in this conversation.');
      const sent = await relayMessage(app.ctx, request.actor, scheme, thread.id, 'to_scheme', message, request.ip);
      if (!sent) return show(request, reply, key, fieldError('message', 'This conversation is closed, so your answer was not sent'), { message });
      return redirect(reply, `${senderLinkPath(secretKey, thread.id)}&done=sent`, 303);
    });

    linked.post<{ Params: ThreadParams }>('/watch/threads/:thread/report', { config: access('watch.apply') }, async (request, reply) => {
      const key = field(formFields(request.body), 'key');
      const { thread, scheme } = await opened(request, key);
      await reportThread(app.ctx, request.actor, scheme, thread.id, 'sender', request.ip);
      return redirect(reply, `${senderLinkPath(secretKey, thread.id)}&done=reported`, 303);
    });

    // A reported conversation, for the Watch administrators of the scheme's force area.
    const reportedTarget = async (request: FastifyRequest) => {
      const thread = await findThread(app.ctx.store.db, routeParam(request, 'thread'));
      const scheme = thread ? await findScheme(app.ctx.store.db, thread.scheme_id) : undefined;
      return scheme?.force_id ? { forceId: scheme.force_id } : {};
    };
    linked.get<{ Params: ThreadParams }>('/watch/reported/:thread', { config: access('watch.administer', reportedTarget) }, async (request, reply) => {
      const thread = await findThread(app.ctx.store.db, request.params.thread);
      const scheme = thread ? await findScheme(app.ctx.store.db, thread.scheme_id) : undefined;
      if (!thread || !scheme || thread.status !== 'reported') throw new AppError('SC_ERR_NOT_FOUND');
      await auditView(app, request, 'watch_thread', thread.id, { schemeId: scheme.id, reported: true });
      return render(request, reply, 'reported-thread.njk', { thread, scheme, messages: await conversation(app, thread.id) });
    });
  });
}
