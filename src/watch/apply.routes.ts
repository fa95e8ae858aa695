/**
 * /watch/schemes/:id/apply (the form, a warning step for an address outside the
 * scheme's area, the result) and /watch/join/confirm (the emailed link: a page with
 * a button, so mail scanners that fetch links do not use it).
 */
import type { FastifyInstance } from 'fastify';
import { access } from '../access/access.ts';
import { peekAccountToken } from '../accounts/account-tokens.repository.ts';
import { tokenQuery } from '../accounts/account.schema.ts';
import { beginSession } from '../accounts/account-http.ts';
import { passwordProblems, PASSWORD_MIN_LENGTH } from '../accounts/password.ts';
import { findPersonById } from '../accounts/people.repository.ts';
import { findPostcode } from '../places/postcodes.repository.ts';
import { PUBLIC_FORM_PER_CLIENT } from '../throttle/throttle.policies.ts';
import { readApplication, type ApplicationForm } from './apply.schema.ts';
import { applyToScheme, CONFIRM_PATH, confirmApplication } from './apply.service.ts';
import { errorView, field, formFields, NO_ERRORS, type ErrorView } from '../site/forms.ts';
import { overLimit, privatePages, render, renderThrottled, schemeOr404 } from './membership-http.ts';
import { findMembership } from './membership.repository.ts';
import { findScheme, isPointInScheme, type Scheme } from './schemes.repository.ts';
import { redirect } from '../site/redirect.ts';

/** Applications per address typed: enough for a mistake or two, too few to flood someone's inbox. */
export const APPLY_PER_EMAIL = Object.freeze({ limit: 5, windowSeconds: 60 * 60 });
export const APPLY_SCOPES = Object.freeze({ client: 'watch-apply:client', email: 'watch-apply:email' });

type Params = { id: string };

export async function applyRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;

  const renderForm = (request: Parameters<typeof render>[0], reply: Parameters<typeof render>[1], scheme: Scheme, form: Partial<ApplicationForm>, errors: ErrorView = NO_ERRORS) =>
    render(request, reply, 'apply.njk', { scheme, values: form, signedIn: request.actor !== null, ...errors }, errors.errorSummary ? 400 : 200);

  app.get<{ Params: Params }>('/watch/schemes/:id/apply', { config: access('watch.apply') }, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id);
    return renderForm(request, reply, scheme, { name: request.actor?.displayName ?? '' });
  });

  app.post<{ Params: Params }>('/watch/schemes/:id/apply', { config: access('watch.apply') }, async (request, reply) => {
    const scheme = await schemeOr404(app, request.params.id);
    const wait = await overLimit(app, APPLY_SCOPES.client, request.ip, PUBLIC_FORM_PER_CLIENT);
    if (wait !== null) return renderThrottled(request, reply, wait, 'Too many applications have been sent from your network.');
    const { form, errors } = readApplication(request.body, request.actor?.email ?? null);
    if (errors) return renderForm(request, reply, scheme, form, errors);
    if (request.actor === null) {
      const emailWait = await overLimit(app, APPLY_SCOPES.email, form.email, APPLY_PER_EMAIL);
      if (emailWait !== null) return renderThrottled(request, reply, emailWait, 'Too many applications have been made with this email address.');
    }
    // An address we cannot place, or one outside the area, is warned about, never refused.
    const place = await findPostcode(db, form.postcode);
    const outsideArea = place === undefined || !isPointInScheme(scheme, place.latitude, place.longitude);
    if (outsideArea && !form.outsideConfirmed) {
      return render(request, reply, 'apply-outside.njk', { scheme, values: form, signedIn: request.actor !== null, unknownPostcode: place === undefined });
    }
    const outcome = await applyToScheme(app.ctx, request.actor, scheme, form, outsideArea, request.ip);
    return render(request, reply, 'apply-result.njk', { scheme, outcome, email: form.email });
  });

  // Pages behind the emailed link: never cached, and the token never leaves in a Referer.
  await app.register(async (linked) => {
    privatePages(linked, true);

    /** What the confirmation page needs, or undefined when the link is no good. */
    const linkDetails = async (token: string) => {
      const grant = await peekAccountToken(db, 'watch_apply', token, app.ctx.now());
      const schemeId = grant?.details.watchSchemeId;
      if (!grant || typeof schemeId !== 'string') return undefined;
      const [person, scheme, membership] = await Promise.all([findPersonById(db, grant.personId), findScheme(db, schemeId), findMembership(db, schemeId, grant.personId)]);
      if (!person || !scheme || membership?.status !== 'unconfirmed') return undefined;
      return { scheme, offerPassword: person.status === 'unverified', email: person.email, name: person.display_name };
    };

    linked.get(CONFIRM_PATH, { config: access('watch.apply') }, async (request, reply) => {
      const token = tokenQuery.parse(request.query).token ?? '';
      const details = await linkDetails(token);
      if (!details) return render(request, reply, 'link-invalid.njk', {}, 400);
      return render(request, reply, 'confirm.njk', { token, scheme: details.scheme, offerPassword: details.offerPassword, minLength: PASSWORD_MIN_LENGTH });
    });

    linked.post(CONFIRM_PATH, { config: access('watch.apply') }, async (request, reply) => {
      const fields = formFields(request.body);
      const token = field(fields, 'token');
      const password = field(fields, 'password');
      const details = await linkDetails(token);
      if (!details) return render(request, reply, 'link-invalid.njk', {}, 400);
      if (details.offerPassword && password !== '') {
        const problems = passwordProblems(password, { email: details.email, displayName: details.name }).map((text) => ({ field: 'password', text }));
        if (problems.length > 0) {
          return render(request, reply, 'confirm.njk', { token, scheme: details.scheme, offerPassword: true, minLength: PASSWORD_MIN_LENGTH, ...errorView(problems) }, 400);
        }
      }
      const outcome = await confirmApplication(app.ctx, request.actor, token, details.offerPassword ? password : '', request.ip);
      if (outcome.kind === 'invalid') return render(request, reply, 'link-invalid.njk', {}, 400);
      if (outcome.kind === 'closed') {
        return render(request, reply, 'info.njk', { title: 'This scheme is not taking members', paragraphs: ['The scheme you applied to has closed or is not open at the moment, so your application could not go ahead.'] }, 410);
      }
      const data = { scheme: outcome.scheme, status: outcome.status, newAccount: outcome.newAccount, hasPassword: outcome.newAccount ? password !== '' : outcome.person.password_hash !== null };
      if (outcome.newAccount) {
        // A new account is signed in by its first confirmed link, as sign-up does.
        const next = `/account/watch`;
        const to = await beginSession(app, request, reply, outcome.person, next, 'watch_application');
        if (to !== next) return redirect(reply, to, 303);
      }
      return render(request, reply, 'confirmed.njk', data);
    });
  });
}
