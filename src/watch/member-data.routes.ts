/**
 * /account/watch: a member's own Neighbourhood Watch data. See every membership
 * and what it holds, download it all as JSON, leave a scheme, stop or restart
 * updates, and delete the account (with the password, when there is one).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { verifyPassword } from '../accounts/password.ts';
import { findPersonById, type Person } from '../accounts/people.repository.ts';
import { AppError } from '../errors.ts';
import { changeUpdates, deleteAccount, deletionBlocker, exportMemberData, leaveScheme, memberData } from './member-data.service.ts';
import { field, fieldError, formFields, NO_ERRORS, type ErrorView } from '../site/forms.ts';
import { overLimit, privatePages, render, renderThrottled } from './membership-http.ts';
import { displayTime } from './relay.routes.ts';
import { senderLinkPath } from './relay.service.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue } from '../site/request-values.ts';

type Params = { id: string };

/** Wrong passwords on the deletion page, per account. */
export const DELETE_PER_ACCOUNT = Object.freeze({ limit: 10, windowSeconds: 60 * 60 });

const DONE: Record<string, string> = { left: 'You have left the scheme', 'updates-off': 'You will not get updates from that scheme', 'updates-on': 'You will get updates from that scheme again' };

export async function memberDataRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  const own = { config: access('watch.own_membership', (r) => ({ personId: r.actor?.personId })) };
  const ownAccount = { config: access('account.manage_own', (r) => ({ personId: r.actor?.personId })) };
  privatePages(app);

  const me = async (request: FastifyRequest): Promise<Person> => {
    const person = request.actor ? await findPersonById(db, request.actor.personId) : undefined;
    if (!person) throw new AppError('SC_ERR_SIGN_IN_REQUIRED');
    return person;
  };

  const overview = async (request: FastifyRequest, reply: FastifyReply, errors: ErrorView = NO_ERRORS) => {
    const person = await me(request);
    const data = await memberData(db, person);
    const threads = data.threads.map((t) => ({ ...t, when: displayTime(t.last_message_at), link: senderLinkPath(app.ctx.config.SECRET_KEY, t.id) }));
    const memberships = data.memberships.map((m) => ({ ...m, when: displayTime(m.applied_at) }));
    const done = requestValue(request.query, 'done');
    return render(request, reply, 'my-watch.njk', { activeNav: 'account', memberships, threads, banner: typeof done === 'string' ? (DONE[done] ?? null) : null, ...errors }, errors.errorSummary ? 400 : 200);
  };

  app.get('/account/watch', own, async (request, reply) => overview(request, reply));

  app.get('/account/watch/download', own, async (request, reply) => {
    const person = await me(request);
    const data = await exportMemberData(db, person, app.ctx.now());
    return reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="neighbourhood-watch-data.json"')
      .send(JSON.stringify(data, null, 2));
  });

  app.post<{ Params: Params }>('/account/watch/:id/leave', own, async (request, reply) => {
    const person = await me(request);
    const outcome = await leaveScheme(app.ctx, request.actor, person.id, request.params.id, request.ip);
    if (outcome === 'coordinator') {
      return overview(request, reply, fieldError(`leave-${request.params.id}`, 'You are the coordinator of this scheme. Hand it over to another member, or close it, before you leave'));
    }
    if (outcome === 'not-member') throw new AppError('SC_ERR_NOT_FOUND');
    return redirect(reply, '/account/watch?done=left', 303);
  });

  app.post<{ Params: Params }>('/account/watch/:id/updates', own, async (request, reply) => {
    const person = await me(request);
    const on = field(formFields(request.body), 'updates') === 'on';
    if (!(await changeUpdates(app.ctx, request.actor, person.id, request.params.id, on, request.ip))) throw new AppError('SC_ERR_NOT_FOUND');
    return redirect(reply, `/account/watch?done=${on ? 'updates-on' : 'updates-off'}`, 303);
  });

  const deletePage = async (request: FastifyRequest, reply: FastifyReply, person: Person, errors: ErrorView = NO_ERRORS, status = errors.errorSummary ? 400 : 200) =>
    render(request, reply, 'delete-account.njk', { activeNav: 'account', hasPassword: person.password_hash !== null, blocker: await deletionBlocker(db, person.id), ...errors }, status);

  app.get('/account/watch/delete', ownAccount, async (request, reply) => deletePage(request, reply, await me(request)));

  app.post('/account/watch/delete', ownAccount, async (request, reply) => {
    const person = await me(request);
    const fields = formFields(request.body);
    if (await deletionBlocker(db, person.id)) return deletePage(request, reply, person, NO_ERRORS, 409);
    if (field(fields, 'confirm') !== 'yes') return deletePage(request, reply, person, fieldError('confirm', 'Select that you understand your account will be deleted'));
    if (person.password_hash !== null) {
      const wait = await overLimit(app, 'watch-delete:account', person.id, DELETE_PER_ACCOUNT);
      if (wait !== null) return renderThrottled(request, reply, wait, 'Too many attempts to delete this account.');
      if (!(await verifyPassword(person.password_hash, field(fields, 'password')))) {
        return deletePage(request, reply, person, fieldError('password', 'Enter your current password'));
      }
    }
    await deleteAccount(app.ctx, request.actor, person, request.ip);
    await reply.endSession();
    return render(request, reply, 'info.njk', {
      title: 'Your account has been deleted',
      paragraphs: ['We have removed your memberships and your email address. Conversations you started now show “Deleted member” instead of your name.', 'You can make a new account with the same email address at any time.'],
      link: { text: 'Go to the home page', href: '/' },
    });
  });
}
