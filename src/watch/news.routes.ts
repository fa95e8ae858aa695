/**
 * /watch/coordinate/:id/updates (write an update; see those sent) and
 * /watch/unsubscribe?token=… (stop a scheme's updates without signing in: a page
 * with a button, so a mail scanner fetching the link changes nothing).
 */
import type { FastifyInstance } from 'fastify';
import { redirect } from '../site/redirect.ts';
import { access } from '../access/access.ts';
import { minutesText } from '../accounts/account.service.ts';
import { FanOutLimited } from '../throttle/fan-out.repository.ts';
import { renderTools, TOOL_STATUSES } from './coordinator.routes.ts';
import { auditedChange } from './audited-change.ts';
import { field, fieldError, formFields } from '../site/forms.ts';
import { privatePages, render, schemeOr404, schemeTarget } from './membership-http.ts';
import { findMembership, setUpdatesOptOut } from './membership.repository.ts';
import { readUpdate } from './news.schema.ts';
import { readUnsubscribeToken, sendUpdate, updatesOf } from './news.service.ts';
import { displayTime } from './relay.routes.ts';
import { findScheme } from './schemes.repository.ts';

type Params = { id: string };

/** What a coordinator is told when an update is refused: when it can go, and why. */
export function fanOutMessage(error: FanOutLimited, now: Date): string {
  // Rounded up to the minute shown, so sending at the time given works.
  const [day, time] = displayTime(new Date(Math.ceil(error.nextAt.getTime() / 60_000) * 60_000).toISOString()).split(' at ');
  const when = day === displayTime(now.toISOString()).split(' at ')[0] ? `at ${time}` : `on ${day} at ${time}`;
  const { minIntervalSeconds, perDay } = error.policy;
  const sentToday = error.reason === 'daily' ? `You have sent ${perDay} updates in the last 24 hours. ` : '';
  return `${sentToday}You can send another update ${when}. So that members are not sent too many emails, updates can be sent once every ${minutesText(minIntervalSeconds)}, up to ${perDay} a day`;
}

export async function newsRoutes(app: FastifyInstance): Promise<void> {
  const coordinate = { config: access('watch.coordinate', schemeTarget) };
  const secretKey = app.ctx.config.SECRET_KEY;
  privatePages(app);

  const sent = async (schemeId: string) => (await updatesOf(app.ctx, schemeId)).map((u) => ({ ...u, when: displayTime(u.created_at) }));

  app.get<{ Params: Params }>('/watch/coordinate/:id/updates', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    return renderTools(request, reply, 'updates.njk', scheme, { values: { audience: 'members' }, updates: await sent(scheme.id) });
  });

  app.post<{ Params: Params }>('/watch/coordinate/:id/updates', coordinate, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id, TOOL_STATUSES);
    const { values, errors } = readUpdate(formFields(request.body), scheme.status === 'active');
    if (errors) return renderTools(request, reply, 'updates.njk', scheme, { values, updates: await sent(scheme.id), ...errors }, 400);
    try {
      await sendUpdate(app.ctx, request.actor, scheme, { title: values.title, body: values.body, public: values.audience === 'public' }, request.ip);
    } catch (error) {
      if (!(error instanceof FanOutLimited)) throw error;
      // Nothing was sent; the form comes back as written, saying when it can go.
      reply.header('Retry-After', String(error.retryAfterSeconds)).header('X-Error-Code', error.code);
      return renderTools(request, reply, 'updates.njk', scheme, { values, updates: await sent(scheme.id), ...fieldError('title', fanOutMessage(error, app.ctx.now())) }, 429);
    }
    return redirect(reply, `/watch/coordinate/${scheme.id}/updates?done=sent`, 303);
  });

  /** The membership an unsubscribe token is for, when it still exists. */
  const subscription = async (token: string) => {
    const grant = readUnsubscribeToken(secretKey, token);
    if (!grant) return undefined;
    const [scheme, membership] = await Promise.all([findScheme(app.ctx.store.db, grant.schemeId), findMembership(app.ctx.store.db, grant.schemeId, grant.personId)]);
    return scheme && membership ? { scheme, membership } : undefined;
  };
  const invalid = { title: 'This link does not work', paragraphs: ['The link may have been copied wrongly, or the membership it was for no longer exists. Signed-in members can stop updates from their Neighbourhood Watch page.'], link: { text: 'Your Neighbourhood Watch', href: '/account/watch' } };

  app.get<{ Querystring: { token?: string } }>('/watch/unsubscribe', { config: access('watch.apply') }, async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    const found = await subscription(token);
    if (!found) return render(request, reply, 'info.njk', invalid, 400);
    return render(request, reply, 'unsubscribe.njk', { token, scheme: found.scheme, already: found.membership.updates_opted_out_at !== null });
  });

  app.post('/watch/unsubscribe', { config: access('watch.apply') }, async (request, reply) => {
    const token = field(formFields(request.body), 'token');
    const found = await subscription(token);
    if (!found) return render(request, reply, 'info.njk', invalid, 400);
    const { scheme, membership } = found;
    if (membership.updates_opted_out_at === null) {
      await auditedChange(app.ctx, request.actor?.personId ?? null, request.ip, { action: 'record.update', actorId: membership.person_id, subjectType: 'watch_membership', subjectId: `${scheme.id}/${membership.person_id}`, details: { change: 'updates_off', via: 'email_link' } }, (tx) =>
        setUpdatesOptOut(tx, scheme.id, membership.person_id, app.ctx.now()),
      );
    }
    return render(request, reply, 'info.njk', {
      title: 'You will not get any more updates',
      paragraphs: [`You will not get any more updates from ${scheme.name} by email. You are still a member: to leave the scheme, or to get updates again, sign in and go to your Neighbourhood Watch page.`],
      link: { text: 'Your Neighbourhood Watch', href: '/account/watch' },
    });
  });
}
