/**
 * GET/POST /sign-in: email and password. Everyone who fails sees the same page,
 * whichever of "no such account", "wrong password", "suspended" or "removed" it
 * was; a slowed or locked account says how long to wait.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { access } from '../access/access.ts';
import { nextQuery, safeNext, signInForm, typedValues } from './account.schema.ts';
import { beginSession } from './account-http.ts';
import { HOME_AFTER_SIGN_IN, sealFormValue, waitText } from './account.service.ts';
import { attemptPassword } from './sign-in.service.ts';
import { field, fieldError, formFields, formPage, NO_ERRORS, parseForm, type ErrorView } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

/** What a sealed "send the link again" button carries, and for how long it works. */
export const RESEND_PURPOSE = 'resend-verification';
const RESEND_MINUTES = 30;

/** Messages other pages send people here with (only these: nothing typed is echoed from the address). */
const NOTICES: Record<string, string> = {
  'password-changed': 'Your password has been changed and you have been signed out everywhere. Sign in with your new password.',
  'signed-out': 'You have been signed out.',
};

function noticeFor(key: string | undefined): string | undefined {
  return key !== undefined && Object.prototype.hasOwnProperty.call(NOTICES, key) ? NOTICES[key] : undefined;
}

interface SignInView {
  email?: string;
  next?: string | null;
  errors?: ErrorView;
  /** Slowed down or locked: the message, and whether it is a lock. */
  throttle?: { message: string; locked: boolean };
  notice?: string;
}

function renderSignIn(reply: FastifyReply, status: number, view: SignInView): FastifyReply {
  return reply.code(status).page('account/sign-in.njk', {
    next: view.next ?? null,
    throttle: view.throttle ?? null,
    notice: view.notice ?? null,
    activeNav: 'sign-in',
    ...formPage({ email: view.email ?? '' }, view.errors ?? NO_ERRORS),
  });
}

export async function signInRoutes(app: FastifyInstance): Promise<void> {
  app.get('/sign-in', { config: access('account.authenticate') }, async (request, reply) => {
    const query = nextQuery.parse(request.query);
    const next = safeNext(query.next);
    if (request.actor) return redirect(reply, next ?? HOME_AFTER_SIGN_IN, 303);
    return renderSignIn(reply, 200, { next, notice: noticeFor(query.notice) });
  });

  app.post('/sign-in', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const next = safeNext(field(form, 'next'));
    const parsed = parseForm(signInForm, form);
    if (!parsed.ok) return renderSignIn(reply, 400, { ...typedValues(form, ['email']), next, errors: parsed.errors });
    const { email, password } = parsed.value;

    const attempt = await attemptPassword(app.ctx, email, password, request.ip);
    switch (attempt.kind) {
      case 'ok':
        return redirect(reply, await beginSession(app, request, reply, attempt.person, next, 'password'), 303);
      case 'unverified':
        return reply.code(200).page('account/sign-in-unverified.njk', {
          pageTitle: 'Confirm your email address',
          email: attempt.person.email,
          resend: sealFormValue(app.ctx, RESEND_PURPOSE, attempt.person.id, RESEND_MINUTES),
        });
      case 'refused':
      case 'failed': {
        if (attempt.kind === 'failed' && !attempt.locked) {
          return renderSignIn(reply, 400, { email, next, errors: fieldError('email', 'Enter a correct email address and password') });
        }
        const message = attempt.locked
          ? `There have been too many failed attempts to sign in. Wait ${waitText(attempt.retryAfterSeconds)} and try again, or reset your password.`
          : `There have been several failed attempts to sign in. Wait ${waitText(attempt.retryAfterSeconds)} and try again.`;
        reply.header('Retry-After', String(attempt.retryAfterSeconds)).header('X-Error-Code', attempt.locked ? 'SC_ERR_ACCOUNT_LOCKED' : 'SC_ERR_THROTTLED');
        return renderSignIn(reply, 429, { email, next, throttle: { message, locked: attempt.locked }, errors: fieldError('email', message) });
      }
    }
  });
}
