/**
 * The second factor's pages:
 * - /sign-in/two-factor: a code from the app, or a recovery code, for a session at
 *   stage 'mfa' (5 minutes to finish); success starts a full session with a new id.
 * - /account/two-factor/set-up: setting up an app, for a session at stage 'enrol'
 *   (staff who have none yet) or, after re-entering the password, for someone
 *   signed in who is replacing theirs (ASVS 7.5.1). Then the recovery codes, once.
 * - /account/recovery-codes: ten new recovery codes, after the password.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access, STAGE_PAGES } from '../access/access.ts';
import { deleteSessionsOf } from '../sessions/session.repository.ts';
import { firstCodeForm, nextQuery, passwordCheckForm, safeNext, signInCodeForm, withNext } from './account.schema.ts';
import { audit, hasSecondFactor, HOME_AFTER_SIGN_IN, openFormValue, waitText } from './account.service.ts';
import { findPersonById, type Person } from './people.repository.ts';
import { confirmOwnPassword } from './sign-in.service.ts';
import { checkFirstCode, checkSignInCode, completeEnrolment, ENROL_PURPOSE, enrolView, replaceRecoveryCodes, type CodeMethod, type EnrolVia } from './two-factor.service.ts';
import { field, fieldError, formFields, NO_ERRORS, parseForm, type ErrorView } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

const ownAccount = access('account.manage_own', (r) => ({ personId: r.actor?.personId }));

/** Where someone goes when this page is not for the session they have. */
function elsewhere(request: FastifyRequest, next: string | null): string {
  const stage = request.session?.stage;
  if (stage === 'full') return next ?? HOME_AFTER_SIGN_IN;
  if (stage === 'mfa' || stage === 'enrol') return withNext(STAGE_PAGES[stage], next);
  return withNext('/sign-in', next);
}

function renderCodeForm(reply: FastifyReply, status: number, method: CodeMethod, next: string | null, errors: ErrorView = NO_ERRORS): FastifyReply {
  return reply.code(status).page('account/two-factor.njk', { method, next, ...errors });
}

function refuseThrottled(reply: FastifyReply, locked: boolean, retryAfterSeconds: number): void {
  reply.header('Retry-After', String(retryAfterSeconds)).header('X-Error-Code', locked ? 'SC_ERR_ACCOUNT_LOCKED' : 'SC_ERR_THROTTLED');
}

async function renderEnrol(
  app: FastifyInstance,
  reply: FastifyReply,
  person: Person,
  via: EnrolVia,
  next: string | null,
  status = 200,
  keep?: { secret: string; pending: string },
  errors: ErrorView = NO_ERRORS,
): Promise<FastifyReply> {
  const view = await enrolView(app.ctx, person, via, keep);
  return reply.code(status).page('account/two-factor-set-up.njk', { ...view, next, replacing: hasSecondFactor(person), ...errors });
}

function renderPasswordCheck(reply: FastifyReply, status: number, purpose: 'reset' | 'codes', errors: ErrorView = NO_ERRORS): FastifyReply {
  return reply.code(status).page('account/confirm-password.njk', { purpose, activeNav: 'account', ...errors });
}

/** The password check's failure as a page: wrong, or too many tries. */
function passwordRefused(reply: FastifyReply, purpose: 'reset' | 'codes', check: { locked: boolean; retryAfterSeconds: number }): FastifyReply {
  if (check.locked || check.retryAfterSeconds > 0) {
    refuseThrottled(reply, check.locked, check.retryAfterSeconds);
    return renderPasswordCheck(reply, 429, purpose, fieldError('password', `Too many wrong passwords. Wait ${waitText(check.retryAfterSeconds)} and try again.`));
  }
  return renderPasswordCheck(reply, 400, purpose, fieldError('password', 'The password is not correct'));
}

export async function twoFactorRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;

  app.get('/sign-in/two-factor', { config: access('account.authenticate') }, async (request, reply) => {
    const query = nextQuery.parse(request.query);
    const next = safeNext(query.next);
    if (request.session?.stage !== 'mfa') return redirect(reply, elsewhere(request, next), 303);
    return renderCodeForm(reply, 200, query.method === 'recovery' ? 'recovery' : 'app', next);
  });

  app.post('/sign-in/two-factor', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const next = safeNext(field(form, 'next'));
    const method: CodeMethod = field(form, 'method') === 'recovery' ? 'recovery' : 'app';
    const session = request.session;
    if (session?.stage !== 'mfa') return redirect(reply, elsewhere(request, next), 303);
    const person = await findPersonById(db, session.personId);
    if (!person || !hasSecondFactor(person)) {
      await reply.endSession();
      return redirect(reply, '/sign-in', 303);
    }
    const parsed = parseForm(signInCodeForm(method), form);
    if (!parsed.ok) return renderCodeForm(reply, 400, method, next, parsed.errors);
    const { code } = parsed.value;
    const result = await checkSignInCode(app.ctx, person, method, code, request.log, request.ip);
    if (result.kind !== 'ok') {
      if (result.locked || result.kind === 'refused') {
        refuseThrottled(reply, result.locked, result.retryAfterSeconds);
        const text = `Too many wrong codes. Wait ${waitText(result.retryAfterSeconds)} and try again.`;
        return renderCodeForm(reply, 429, method, next, fieldError('code', text));
      }
      const text = method === 'app' ? 'The code is not correct or has already been used. Wait for the next code and try again.' : 'The recovery code is not correct or has already been used';
      return renderCodeForm(reply, 400, method, next, fieldError('code', text));
    }
    await reply.startSession(person.id, 'full', true);
    await audit(app.ctx, request.ip, { action: 'auth.sign_in', actorId: person.id, actorOrg: request.actor?.roles[0]?.organisationId ?? null, details: { method: method === 'app' ? 'password+totp' : 'password+recovery_code' } });
    return redirect(reply, next ?? (method === 'recovery' ? '/account?used=recovery-code' : HOME_AFTER_SIGN_IN), 303);
  });

  app.get('/account/two-factor/set-up', { config: access('account.authenticate') }, async (request, reply) => {
    const next = safeNext(nextQuery.parse(request.query).next);
    const stage = request.session?.stage;
    if (stage === 'full') return renderPasswordCheck(reply, 200, 'reset');
    if (stage !== 'enrol') return redirect(reply, stage === 'mfa' ? withNext(STAGE_PAGES.mfa, next) : withNext('/sign-in', '/account/two-factor/set-up'), 303);
    const person = await findPersonById(db, request.session!.personId);
    if (!person) return redirect(reply, '/sign-in', 303);
    return renderEnrol(app, reply, person, 'enrol', next);
  });

  // Someone signed in replacing their app: the password first, then the new secret.
  app.post('/account/two-factor/set-up', { config: ownAccount }, async (request, reply) => {
    const person = await findPersonById(db, request.actor!.personId);
    if (!person) return redirect(reply, '/sign-in', 303);
    const parsed = parseForm(passwordCheckForm, formFields(request.body));
    if (!parsed.ok) return renderPasswordCheck(reply, 400, 'reset', parsed.errors);
    const check = await confirmOwnPassword(app.ctx, person, parsed.value.password, request.ip);
    if (!check.ok) return passwordRefused(reply, 'reset', check);
    return renderEnrol(app, reply, person, 'password', null);
  });

  app.post('/account/two-factor/confirm', { config: access('account.authenticate') }, async (request, reply) => {
    const form = formFields(request.body);
    const next = safeNext(field(form, 'next'));
    const session = request.session;
    if (session?.stage !== 'enrol' && session?.stage !== 'full') return redirect(reply, elsewhere(request, next), 303);
    const person = await findPersonById(db, session.personId);
    const pending = openFormValue(app.ctx, field(form, 'pending'), ENROL_PURPOSE, session.personId);
    const secret = pending?.data.secret;
    // A signed-in person's form must come from re-entering the password, not from an earlier 'enrol' page.
    const via: EnrolVia = session.stage === 'enrol' ? 'enrol' : 'password';
    if (!person || typeof secret !== 'string' || pending?.data.via !== via) {
      // Expired or altered: start again (a signed-in person re-enters their password).
      return redirect(reply, withNext('/account/two-factor/set-up', next), 303);
    }
    const keep = { secret, pending: field(form, 'pending') };
    const parsed = parseForm(firstCodeForm, form);
    if (!parsed.ok) return renderEnrol(app, reply, person, via, next, 400, keep, parsed.errors);
    const step = checkFirstCode(app.ctx, secret, parsed.value.code);
    if (step === null) {
      const text = 'The code is not correct. Check the app shows this site and that your phone’s clock is right, then try the newest code.';
      return renderEnrol(app, reply, person, via, next, 400, keep, fieldError('code', text));
    }
    const wasEnrolling = session.stage === 'enrol';
    const codes = await completeEnrolment(app.ctx, person, secret, step, hasSecondFactor(person), request.ip);
    // A new id for the new level of trust; a replaced app also ends every other session.
    await reply.startSession(person.id, 'full', true);
    if (!wasEnrolling) await deleteSessionsOf(db, person.id, request.session!.idHash);
    else await audit(app.ctx, request.ip, { action: 'auth.sign_in', actorId: person.id, actorOrg: request.actor?.roles[0]?.organisationId ?? null, details: { method: 'password+totp_enrolment' } });
    return reply.page('account/recovery-codes.njk', { codes, continueTo: next ?? HOME_AFTER_SIGN_IN, justEnrolled: true });
  });

  app.get('/account/recovery-codes', { config: ownAccount }, async (request, reply) => {
    const person = await findPersonById(db, request.actor!.personId);
    if (!person || !hasSecondFactor(person)) return redirect(reply, '/account', 303);
    return renderPasswordCheck(reply, 200, 'codes');
  });

  app.post('/account/recovery-codes', { config: ownAccount }, async (request, reply) => {
    const person = await findPersonById(db, request.actor!.personId);
    if (!person || !hasSecondFactor(person)) return redirect(reply, '/account', 303);
    const parsed = parseForm(passwordCheckForm, formFields(request.body));
    if (!parsed.ok) return renderPasswordCheck(reply, 400, 'codes', parsed.errors);
    const check = await confirmOwnPassword(app.ctx, person, parsed.value.password, request.ip);
    if (!check.ok) return passwordRefused(reply, 'codes', check);
    const codes = await replaceRecoveryCodes(app.ctx, person, request.ip);
    return reply.page('account/recovery-codes.njk', { codes, continueTo: '/account', justEnrolled: false });
  });
}
