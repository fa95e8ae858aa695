/**
 * Resident accounts: /sign-up, /verify-email and sending the link again.
 *
 * Signing up always ends at "Check your email", so the form does not tell anyone
 * which addresses have accounts: a new address gets a link to confirm it, an
 * address with an account gets an email saying so (with links to sign in or reset
 * the password). The password is hashed either way, so the time taken does not
 * tell them apart either. The link opens a page with a button; only pressing it
 * (a POST) uses the token, so mail scanners that fetch links do not.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { consumeAccountToken, createAccountToken, peekAccountToken, revokeAccountTokens } from './account-tokens.repository.ts';
import { signUpForm, tokenQuery, typedValues } from './account.schema.ts';
import { accountPageHeaders, beginSession } from './account-http.ts';
import { audit, emailLink, openFormValue, sendMail, VERIFY_EMAIL_TTL_MINUTES, waitText } from './account.service.ts';
import { hashPassword, PASSWORD_MIN_LENGTH } from './password.ts';
import { createPerson, findPersonByEmail, findPersonById, updatePerson, type Person } from './people.repository.ts';
import { RESEND_PURPOSE } from './sign-in.routes.ts';
import { confirmOwnPassword } from './sign-in.service.ts';
import { hitRateLimit, throttleKey } from '../throttle/throttle.repository.ts';
import { SIGN_UP_PER_ACCOUNT, SIGN_UP_PER_CLIENT, THROTTLE_SCOPES } from '../throttle/throttle.policies.ts';
import { field, fieldError, formFields, formPage, NO_ERRORS, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

function renderSignUp(reply: FastifyReply, status: number, values: FormFields, errors: ErrorView = NO_ERRORS): FastifyReply {
  return reply.code(status).page('account/sign-up.njk', { minLength: PASSWORD_MIN_LENGTH, ...formPage(values, errors) });
}

function renderCheckEmail(reply: FastifyReply, email: string): FastifyReply {
  return reply.code(200).page('account/check-email.njk', { email });
}

export function renderLinkInvalid(reply: FastifyReply, kind: 'verify' | 'recover' | 'invitation'): FastifyReply {
  return reply.code(400).header('X-Error-Code', 'SC_ERR_LINK_INVALID').page('account/link-invalid.njk', { kind });
}

/** Counts a sign-up email against the client's limit; answers 429 when over it. */
async function overSignUpLimit(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | null> {
  const key = throttleKey(app.ctx.config.SECRET_KEY, THROTTLE_SCOPES.signUpClient, request.ip);
  const limit = await hitRateLimit(app.ctx.store.db, key, SIGN_UP_PER_CLIENT, app.ctx.now());
  if (limit.allowed) return null;
  return reply
    .code(429)
    .header('Retry-After', String(limit.retryAfterSeconds))
    .header('X-Error-Code', 'SC_ERR_THROTTLED')
    .page('problem.njk', { status: 429, message: `Too many accounts have been asked for from your network. Wait ${waitText(limit.retryAfterSeconds)} and try again.` });
}

async function sendVerification(app: FastifyInstance, person: Person): Promise<void> {
  const { db } = app.ctx.store;
  await revokeAccountTokens(db, person.id, 'verify_email');
  const token = await createAccountToken(db, { purpose: 'verify_email', personId: person.id, ttlMinutes: VERIFY_EMAIL_TTL_MINUTES, now: app.ctx.now() });
  await sendMail(app.ctx, person.email, 'verify-email', { name: person.display_name, link: emailLink(app.ctx, '/verify-email', token) });
}

export async function signUpRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;

  app.get('/sign-up', { config: access('account.authenticate') }, async (_request, reply) => renderSignUp(reply, 200, { name: '', email: '' }));

  app.post('/sign-up', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const parsed = parseForm(signUpForm, form);
    if (!parsed.ok) return renderSignUp(reply, 400, typedValues(form, ['name', 'email']), parsed.errors);
    const { name, email, password } = parsed.value;

    const limited = await overSignUpLimit(app, request, reply);
    if (limited) return limited;

    // Hashed whether or not it will be kept, so both answers take as long.
    const hash = await hashPassword(password);
    const existing = await findPersonByEmail(db, email);
    // A few emails an hour to one address at most, so nobody can flood an inbox from
    // many networks; past that the answer is the same and nothing is sent.
    const mailKey = throttleKey(app.ctx.config.SECRET_KEY, THROTTLE_SCOPES.signUpAccount, email);
    if (!(await hitRateLimit(db, mailKey, SIGN_UP_PER_ACCOUNT, app.ctx.now())).allowed) return renderCheckEmail(reply, email);
    if (existing === undefined) {
      let person: Person | undefined;
      try {
        person = await createPerson(db, { email, displayName: name, passwordHash: hash, status: 'unverified' }, app.ctx.now());
      } catch (error) {
        // Two sign-ups for one address at once: the unique index let one through.
        if ((await findPersonByEmail(db, email)) === undefined) throw error;
      }
      if (person) {
        await audit(app.ctx, request.ip, { action: 'account.create', actorId: person.id, subjectType: 'person', subjectId: person.id, details: { via: 'sign_up' } });
        await sendVerification(app, person);
      }
    } else if (existing.status === 'active' || existing.status === 'unverified') {
      await sendMail(app.ctx, existing.email, 'sign-up-existing-account', {
        name: existing.display_name,
        signInLink: emailLink(app.ctx, '/sign-in'),
        recoverLink: emailLink(app.ctx, '/recover'),
      });
    }
    return renderCheckEmail(reply, email);
  });

  app.post('/sign-up/resend', { config: access('account.authenticate') }, async (request, reply) => {
    const sealed = openFormValue(app.ctx, field(formFields(request.body), 'resend'), RESEND_PURPOSE, null);
    const person = sealed ? await findPersonById(db, sealed.personId) : undefined;
    if (!person || person.status !== 'unverified') return redirect(reply, '/sign-in', 303);
    const limited = await overSignUpLimit(app, request, reply);
    if (limited) return limited;
    await sendVerification(app, person);
    return renderCheckEmail(reply, person.email);
  });

  await app.register(async (linked) => {
    accountPageHeaders(linked, { tokenLinks: true });

    linked.get('/verify-email', { config: access('account.authenticate') }, async (request, reply) => {
      const token = tokenQuery.parse(request.query).token ?? '';
      const grant = await peekAccountToken(db, 'verify_email', token, app.ctx.now());
      const person = grant ? await findPersonById(db, grant.personId) : undefined;
      if (!person || person.status !== 'unverified') return renderLinkInvalid(reply, 'verify');
      return reply.page('account/verify-email.njk', { token, email: person.email, ...NO_ERRORS });
    });

    linked.post('/verify-email', { config: access('account.authenticate') }, async (request, reply) => {
      const form = formFields(request.body);
      const token = field(form, 'token');
      const now = app.ctx.now();
      const grant = await peekAccountToken(db, 'verify_email', token, now);
      const person = grant ? await findPersonById(db, grant.personId) : undefined;
      if (!person || person.status !== 'unverified') return renderLinkInvalid(reply, 'verify');
      // The link proves the address; the password proves this is the person who signed
      // up. Without it, someone could sign up with another person's address and a
      // password of their own, and take over the account once its owner confirmed.
      if (person.password_hash !== null) {
        const check = await confirmOwnPassword(app.ctx, person, field(form, 'password'), request.ip);
        if (!check.ok) {
          const text = check.locked
            ? `Too many wrong passwords. Wait ${waitText(check.retryAfterSeconds)} and try again, or reset your password`
            : 'Enter the password you chose when you created the account';
          return reply.code(check.locked ? 429 : 400).page('account/verify-email.njk', { token, email: person.email, ...fieldError('password', text) });
        }
      }
      if (!(await consumeAccountToken(db, 'verify_email', token, now))) return renderLinkInvalid(reply, 'verify');
      await updatePerson(db, person.id, { status: 'active', email_verified_at: now.toISOString() }, now);
      await revokeAccountTokens(db, person.id, 'verify_email');
      await audit(app.ctx, request.ip, { action: 'auth.email_verified', actorId: person.id, subjectType: 'person', subjectId: person.id });
      const verified = { ...person, status: 'active' as const, email_verified_at: now.toISOString() };
      return redirect(reply, await beginSession(app, request, reply, verified, '/account?confirmed=email', 'email_verification'), 303);
    });
  });
}
