/**
 * The scheme's conversations in the coordinator tools: the list, one conversation,
 * replying (the sender is emailed a notice with their secret link, never the
 * coordinator's address) and reporting abuse.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { AppError } from '../errors.ts';
import { renderTools, TOOL_STATUSES } from './coordinator.routes.ts';
import { fieldError, NO_ERRORS, type ErrorView } from '../site/forms.ts';
import { auditView, overLimit, privatePages, schemeOr404, schemeTarget } from './membership-http.ts';
import { findThread, threadsOfScheme } from './relay.repository.ts';
import { conversation, displayTime } from './relay.routes.ts';
import { readReply } from './relay.schema.ts';
import { RELAY_PER_THREAD, RELAY_SCOPES, relayMessage, reportThread } from './relay.service.ts';
import type { Scheme } from './schemes.repository.ts';
import { redirect } from '../site/redirect.ts';

type Params = { id: string; thread: string };

export async function coordinatorMessageRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  const coordinate = { config: access('watch.coordinate', schemeTarget) };
  privatePages(app);

  /** The thread in the URL, when it belongs to the scheme in the URL. */
  const threadOf = async (scheme: Scheme, id: string) => {
    const thread = await findThread(db, id);
    if (!thread || thread.scheme_id !== scheme.id) throw new AppError('SC_ERR_NOT_FOUND');
    return thread;
  };
  const show = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, scheme: Scheme, errors: ErrorView = NO_ERRORS, message = '') => {
    const thread = await threadOf(scheme, request.params.thread);
    const data = { thread, messages: await conversation(app, thread.id), values: { message }, ...errors };
    return renderTools(request, reply, 'coordinator-thread.njk', scheme, data, errors.errorSummary ? 400 : 200);
  };

  app.get<{ Params: { id: string } }>('/watch/coordinate/:id/messages', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    const threads = (await threadsOfScheme(db, scheme.id)).map((t) => ({ ...t, when: displayTime(t.last_message_at) }));
    return renderTools(request, reply, 'threads.njk', scheme, { threads });
  });

  app.get<{ Params: Params }>('/watch/coordinate/:id/messages/:thread', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    const thread = await threadOf(scheme, request.params.thread);
    await auditView(app, request, 'watch_thread', thread.id, { schemeId: scheme.id });
    return show(request, reply, scheme);
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/messages/:thread/reply', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    const thread = await threadOf(scheme, request.params.thread);
    const { message, errors } = readReply(request.body);
    if (errors) return show(request, reply, scheme, errors, message);
    const wait = await overLimit(app, RELAY_SCOPES.thread, thread.id, RELAY_PER_THREAD);
    if (wait !== null) return show(request, reply, scheme, fieldError('message', 'Too many messages have been sent in this conversation. Wait a while and try again'), message);
    if (!(await relayMessage(app.ctx, request.actor, scheme, thread.id, 'to_sender', message, request.ip))) {
      return show(request, reply, scheme, fieldError('message', 'This conversation is closed, so your reply was not sent'), message);
    }
    return redirect(reply, `/watch/coordinate/${scheme.id}/messages/${thread.id}?done=replied`, 303);
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/messages/:thread/report', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    const thread = await threadOf(scheme, request.params.thread);
    await reportThread(app.ctx, request.actor, scheme, thread.id, 'coordinator', request.ip);
    return redirect(reply, `/watch/coordinate/${scheme.id}/messages/${thread.id}?done=reported`, 303);
  });
}
