/**
 * Recovering an account by email: /recover asks for the address and always gives
 * the same answer; /recover/reset?token=… sets a new password.
 *
 * A reset ends every session of the account, lifts a sign-in lock and tells the
 * owner, but does not sign anyone in: they sign in with the new password and, if
 * they have one, their second factor, so email alone never gets past it (ASVS 6.4.3).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { access } from '../access/access.ts';
import { clearThrottle, hitRateLimit, throttleKey } from '../throttle/throttle.repository.ts';
import { RECOVERY_PER_ACCOUNT, RECOVERY_PER_CLIENT, THROTTLE_SCOPES } from '../throttle/throttle.policies.ts';
import { deleteSessionsOf } from '../sessions/session.repository.ts';
import { consumeAccountToken, createAccountToken, peekAccountToken, revokeAccountTokens } from './account-tokens.repository.ts';
import { recoverForm, resetPasswordForm, tokenQuery, typedValues } from './account.schema.ts';
import { accountPageHeaders } from './account-http.ts';
import { audit, emailLink, RECOVER_TTL_MINUTES, sendMail, waitText } from './account.service.ts';
import { hashPassword, PASSWORD_MIN_LENGTH } from './password.ts';
import { findPersonByEmail, findPersonById, normaliseEmail, updatePerson, type Person } from './people.repository.ts';
import { signInAccountKey } from './sign-in.service.ts';
import { renderLinkInvalid } from './sign-up.routes.ts';
import { field, fieldError, formFields, formPage, NO_ERRORS, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

/** Accounts that can be recovered: not suspended or removed (an administrator decides those). */
function recoverable(person: Person | undefined): person is Person {
  return person !== undefined && (person.status === 'active' || person.status === 'unverified');
}

function renderRecover(reply: FastifyReply, status: number, values: FormFields, errors: ErrorView = NO_ERRORS): FastifyReply {
  return reply.code(status).page('account/recover.njk', { ...formPage(values, errors) });
}

function renderReset(reply: FastifyReply, status: number, token: string, person: Person, errors: ErrorView = NO_ERRORS): FastifyReply {
  return reply.code(status).page('account/reset-password.njk', { token, email: person.email, minLength: PASSWORD_MIN_LENGTH, ...errors });
}

export async function recoveryRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  const secretKey = app.ctx.config.SECRET_KEY;

  app.get('/recover', { config: access('account.authenticate') }, async (_request, reply) => renderRecover(reply, 200, { email: '' }));

  app.post('/recover', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const parsed = parseForm(recoverForm, form);
    if (!parsed.ok) return renderRecover(reply, 400, typedValues(form, ['email']), parsed.errors);
    const { email } = parsed.value;
    const now = app.ctx.now();
    // Both limits are keyed on what was typed, never on whether an account exists.
    const limits = [
      { key: throttleKey(secretKey, THROTTLE_SCOPES.recoveryClient, request.ip), limit: RECOVERY_PER_CLIENT },
      { key: throttleKey(secretKey, THROTTLE_SCOPES.recoveryAccount, normaliseEmail(email)), limit: RECOVERY_PER_ACCOUNT },
    ];
    for (const { key, limit } of limits) {
      const result = await hitRateLimit(db, key, limit, now);
      if (!result.allowed) {
        reply.header('Retry-After', String(result.retryAfterSeconds)).header('X-Error-Code', 'SC_ERR_THROTTLED');
        return renderRecover(reply, 429, { email }, fieldError('email', `Too many requests to reset a password. Wait ${waitText(result.retryAfterSeconds)} and try again.`));
      }
    }
    const person = await findPersonByEmail(db, email);
    if (recoverable(person)) {
      // Only the newest link works.
      await revokeAccountTokens(db, person.id, 'recover');
      const token = await createAccountToken(db, { purpose: 'recover', personId: person.id, ttlMinutes: RECOVER_TTL_MINUTES, now });
      await sendMail(app.ctx, person.email, 'recover-account', { name: person.display_name, link: emailLink(app.ctx, '/recover/reset', token) });
    } else if (person === undefined) {
      await sendMail(app.ctx, normaliseEmail(email), 'recover-no-account', {});
    }
    await audit(app.ctx, request.ip, { action: 'auth.recovery_requested', actorId: person?.id ?? null, details: { sent: recoverable(person) ? 'link' : person === undefined ? 'no_account' : 'nothing' } });
    return reply.code(200).page('account/recover-sent.njk', { email });
  });

  await app.register(async (linked) => {
    accountPageHeaders(linked, { tokenLinks: true });

    linked.get('/recover/reset', { config: access('account.authenticate') }, async (request, reply) => {
      const token = tokenQuery.parse(request.query).token ?? '';
      const grant = await peekAccountToken(db, 'recover', token, app.ctx.now());
      const person = grant ? await findPersonById(db, grant.personId) : undefined;
      if (!recoverable(person)) return renderLinkInvalid(reply, 'recover');
      return renderReset(reply, 200, token, person);
    });

    linked.post('/recover/reset', { config: access('account.authenticate') }, async (request, reply) => {
      const form = formFields(request.body);
      const token = field(form, 'token');
      const now = app.ctx.now();
      const grant = await peekAccountToken(db, 'recover', token, now);
      const person = grant ? await findPersonById(db, grant.personId) : undefined;
      if (!recoverable(person)) return renderLinkInvalid(reply, 'recover');
      const parsed = parseForm(resetPasswordForm({ email: person.email, displayName: person.display_name }), form);
      if (!parsed.ok) return renderReset(reply, 400, token, person, parsed.errors);
      const hash = await hashPassword(parsed.value.password);
      // Used only now, once the new password is acceptable; a second use finds nothing.
      const used = await consumeAccountToken(db, 'recover', token, now);
      if (!used || used.personId !== person.id) return renderLinkInvalid(reply, 'recover');
      // The link proves the address is theirs, so an unconfirmed account is confirmed too.
      await updatePerson(db, person.id, { password_hash: hash, status: 'active', email_verified_at: person.email_verified_at ?? now.toISOString() }, now);
      await revokeAccountTokens(db, person.id, 'recover');
      await deleteSessionsOf(db, person.id);
      if (request.session?.personId === person.id) await reply.endSession();
      await clearThrottle(db, signInAccountKey(app.ctx, person.email));
      await audit(app.ctx, request.ip, { action: 'auth.password_changed', actorId: person.id, subjectType: 'person', subjectId: person.id, details: { via: 'recovery' } });
      await sendMail(app.ctx, person.email, 'password-changed', { name: person.display_name });
      return redirect(reply, '/sign-in?notice=password-changed', 303);
    });
  });
}
