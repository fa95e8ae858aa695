/**
 * Coordinator tools under /watch/coordinate/:id: the overview, applications,
 * members and deputies (watch.coordinate: the scheme's coordinator and deputies);
 * handing over and closing (watch.lead: the coordinator only). Names and streets of
 * members are shown here and nowhere else; email addresses are shown nowhere.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { AppError, ERRORS } from '../errors.ts';
import { changeDeputy, closeScheme, decideApplication, handOver, removeMember } from './coordinator.service.ts';
import { field, fieldError, formFields } from '../site/forms.ts';
import { auditView, privatePages, render, schemeOr404, schemeTarget } from './membership-http.ts';
import { activeMembers, pendingApplications } from './membership.repository.ts';
import { threadsOfScheme } from './relay.repository.ts';
import type { Scheme } from './schemes.repository.ts';
import { redirect } from '../site/redirect.ts';
import { requestValue } from '../site/request-values.ts';

type Params = { id: string };

/** Schemes whose tools can be used: running ones, and ones waiting for approval. */
export const TOOL_STATUSES = ['active', 'pending'] as const;

const DONE: Record<string, string> = {
  approved: 'Application approved',
  declined: 'Application declined',
  deputy: 'Deputy added',
  removed: 'Member removed',
  undeputy: 'Deputy stood down',
  handed: 'The scheme has been handed over. You are now a deputy',
  sent: 'Update sent',
  replied: 'Reply sent',
  reported: 'Conversation reported',
};

/** Renders a tools page with the scheme, the actor's role in it and the banner after a change. */
export async function renderTools(request: FastifyRequest, reply: FastifyReply, template: string, scheme: Scheme, data: Record<string, unknown> = {}, status = 200): Promise<FastifyReply> {
  const done = requestValue(request.query, 'done');
  const lead = request.actor?.schemeRoles.some((r) => r.schemeId === scheme.id && r.role === 'scheme_coordinator') ?? false;
  return render(request, reply, template, { scheme, lead, banner: typeof done === 'string' ? (DONE[done] ?? null) : null, ...data }, status);
}

/**
 * The answer to a decision that found nothing to decide (a second click, a form
 * left open while someone else decided, a person who never applied): said plainly,
 * with nothing changed or audited, rather than a success banner.
 */
async function renderNothingChanged(request: FastifyRequest, reply: FastifyReply, title: string, text: string, back: { text: string; href: string }): Promise<FastifyReply> {
  reply.header('X-Error-Code', 'SC_ERR_MEMBERSHIP_STALE');
  return render(request, reply, 'info.njk', { title, paragraphs: [text], link: back }, ERRORS.SC_ERR_MEMBERSHIP_STALE.status);
}

export async function coordinatorRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  const coordinate = { config: access('watch.coordinate', schemeTarget) };
  const lead = { config: access('watch.lead', schemeTarget) };
  const tools = (id: string) => schemeOr404(app, id, TOOL_STATUSES);
  privatePages(app);

  app.get<{ Params: Params }>('/watch/coordinate/:id', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const [pending, members, threads] = await Promise.all([pendingApplications(db, scheme.id), activeMembers(db, scheme.id), threadsOfScheme(db, scheme.id)]);
    return renderTools(request, reply, 'coordinate.njk', scheme, { pending: pending.length, members: members.length, openThreads: threads.filter((t) => t.status === 'open').length });
  });

  app.get<{ Params: Params }>('/watch/coordinate/:id/applications', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const applications = await pendingApplications(db, scheme.id);
    await auditView(app, request, 'watch_scheme', scheme.id, { page: 'applications', shown: applications.length });
    return renderTools(request, reply, 'applications.njk', scheme, { applications });
  });

  app.post<{ Params: Params & { person: string } }>('/watch/coordinate/:id/applications/:person', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const decision = field(formFields(request.body), 'decision');
    if (decision !== 'approve' && decision !== 'decline') throw new AppError('SC_ERR_INVALID_FORM');
    if (!(await decideApplication(app.ctx, request.actor, scheme, request.params.person, decision, request.ip))) {
      return renderNothingChanged(
        request,
        reply,
        'There is no application to decide',
        'This person has no application waiting for a decision. It may have been decided already, or withdrawn.',
        { text: 'Applications waiting for a decision', href: `/watch/coordinate/${scheme.id}/applications` },
      );
    }
    return redirect(reply, `/watch/coordinate/${scheme.id}/applications?done=${decision === 'approve' ? 'approved' : 'declined'}`, 303);
  });

  app.get<{ Params: Params }>('/watch/coordinate/:id/members', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const members = await activeMembers(db, scheme.id);
    await auditView(app, request, 'watch_scheme', scheme.id, { page: 'members', shown: members.length });
    return renderTools(request, reply, 'members.njk', scheme, { members, me: request.actor?.personId });
  });

  app.get<{ Params: Params & { person: string } }>('/watch/coordinate/:id/members/:person/remove', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const member = (await activeMembers(db, scheme.id)).find((m) => m.person_id === request.params.person && m.role === 'member');
    if (!member) throw new AppError('SC_ERR_NOT_FOUND');
    return renderTools(request, reply, 'remove-member.njk', scheme, { member });
  });

  app.post<{ Params: Params & { person: string } }>('/watch/coordinate/:id/members/:person/remove', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    if (!(await removeMember(app.ctx, request.actor, scheme, request.params.person, request.ip))) throw new AppError('SC_ERR_NOT_FOUND');
    return redirect(reply, `/watch/coordinate/${scheme.id}/members?done=removed`, 303);
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/deputies', coordinate, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const fields = formFields(request.body);
    const add = field(fields, 'change') === 'add';
    if (!(await changeDeputy(app.ctx, request.actor, scheme, field(fields, 'person'), add, request.ip))) {
      return renderNothingChanged(
        request,
        reply,
        add ? 'This person cannot be made a deputy' : 'This person is not a deputy',
        add ? 'Only an active member who is not already a deputy can be made a deputy.' : 'Only a deputy can be stood down. They may have been stood down already.',
        { text: 'Members', href: `/watch/coordinate/${scheme.id}/members` },
      );
    }
    return redirect(reply, `/watch/coordinate/${scheme.id}/members?done=${add ? 'deputy' : 'undeputy'}`, 303);
  });

  app.get<{ Params: Params }>('/watch/coordinate/:id/hand-over', lead, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const candidates = (await activeMembers(db, scheme.id)).filter((m) => m.role !== 'coordinator');
    return renderTools(request, reply, 'hand-over.njk', scheme, { candidates });
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/hand-over', lead, async (request, reply) => {
    const scheme = await tools(request.params.id);
    const person = field(formFields(request.body), 'person');
    if (person === '' || !(await handOver(app.ctx, request.actor, scheme, person, request.ip))) {
      const candidates = (await activeMembers(db, scheme.id)).filter((m) => m.role !== 'coordinator');
      return renderTools(request, reply, 'hand-over.njk', scheme, { candidates, ...fieldError('person', 'Select the member to hand the scheme over to') }, 400);
    }
    return redirect(reply, `/watch/coordinate/${scheme.id}?done=handed`, 303);
  });

  app.get<{ Params: Params }>('/watch/coordinate/:id/close', lead, async (request, reply) => {
    const scheme = await tools(request.params.id);
    return renderTools(request, reply, 'close.njk', scheme);
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/close', lead, async (request, reply) => {
    const scheme = await tools(request.params.id);
    if (field(formFields(request.body), 'confirm') !== 'yes') {
      return renderTools(request, reply, 'close.njk', scheme, { ...fieldError('confirm', 'Select that you want to close the scheme') }, 400);
    }
    await closeScheme(app.ctx, request.actor, scheme, request.ip);
    return render(request, reply, 'info.njk', {
      title: `${scheme.name} is closed`,
      paragraphs: ['We have told its members. The scheme no longer appears in searches, and no more updates or messages can be sent.'],
      link: { text: 'Your Neighbourhood Watch', href: '/account/watch' },
    });
  });
}
