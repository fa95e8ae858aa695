/**
 * /account: your details, roles, password, second factor and sessions; and
 * POST /sign-out. Changing the password needs the current one and offers to sign
 * out every other session (ASVS 7.4.3); any session can be ended from here.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { ROLE_NAMES } from '../access/permissions.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { deleteSession, deleteSessionsOf, listSessionsOf, type Session } from '../sessions/session.repository.ts';
import { revokeAccountTokens } from './account-tokens.repository.ts';
import { changePasswordForm } from './account.schema.ts';
import { audit, describeDevice, hasSecondFactor, sendMail, waitText } from './account.service.ts';
import { hashPassword, PASSWORD_MIN_LENGTH } from './password.ts';
import { findPersonById, updatePerson, type Person } from './people.repository.ts';
import { countUnusedRecoveryCodes } from './recovery-codes.ts';
import { confirmOwnPassword } from './sign-in.service.ts';
import { field, fieldError, formFields, NO_ERRORS, parseForm, type ErrorView } from '../site/forms.ts';
import { redirect } from '../site/redirect.ts';

const ownAccount = access('account.manage_own', (r) => ({ personId: r.actor?.personId }));

const when = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** What the banner says after a change; only these keys are read from the address. */
const BANNERS: Record<string, string> = {
  password: 'Your password has been changed.',
  'password-others': 'Your password has been changed and your other sessions have been signed out.',
  session: 'That session has been signed out.',
  others: 'You have been signed out everywhere else.',
  email: 'Your email address is confirmed. You are signed in.',
  'recovery-code': 'You signed in with a recovery code, which cannot be used again.',
};

function bannerFor(query: unknown): string | null {
  const q = formFields(query);
  for (const name of ['changed', 'confirmed', 'used']) {
    const key = q[name];
    if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(BANNERS, key)) return BANNERS[key]!;
  }
  return null;
}

/** A name for a session in a form: derived from, but not, its stored id, and useless outside this site. */
function sessionHandle(secretKey: string, session: Session): string {
  return createHmac('sha256', secretKey).update(`session-handle:${session.id_hash}`).digest('base64url').slice(0, 22);
}

async function renderAccount(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, status: number, errors: ErrorView = NO_ERRORS): Promise<FastifyReply> {
  const { db } = app.ctx.store;
  const { config } = app.ctx;
  const actor = request.actor!;
  const person = (await findPersonById(db, actor.personId))!;
  const now = app.ctx.now().getTime();
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
  const sessions = (await listSessionsOf(db, person.id))
    .filter((s) => Date.parse(s.expires_at) > now && now - Date.parse(s.last_seen_at) <= idleMs)
    .map((s) => ({
      handle: sessionHandle(config.SECRET_KEY, s),
      current: s.id_hash === request.session!.idHash,
      finished: s.stage === 'full',
      device: describeDevice(s.user_agent),
      address: s.client_address ?? 'Unknown',
      started: when.format(new Date(s.created_at)),
      lastActive: when.format(new Date(s.last_seen_at)),
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
  const roles = await Promise.all(
    actor.roles.map(async (held) => ({ organisation: (await findOrganisation(db, held.organisationId))?.name ?? held.organisationId, role: ROLE_NAMES[held.role] })),
  );
  return reply.code(status).page('account/account.njk', {
    activeNav: 'account',
    person: { name: person.display_name, email: person.email },
    roles,
    sessions,
    othersCount: sessions.filter((s) => !s.current).length,
    twoFactor: {
      enabled: hasSecondFactor(person),
      since: person.mfa_enabled_at ? when.format(new Date(person.mfa_enabled_at)) : null,
      codesLeft: hasSecondFactor(person) ? await countUnusedRecoveryCodes(db, person.id) : 0,
    },
    banner: status === 200 ? bannerFor(request.query) : null,
    minLength: PASSWORD_MIN_LENGTH,
    ...errors,
  });
}

async function changePassword(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, person: Person): Promise<FastifyReply> {
  const { db } = app.ctx.store;
  const parsed = parseForm(changePasswordForm({ email: person.email, displayName: person.display_name }), formFields(request.body));
  if (!parsed.ok) return renderAccount(app, request, reply, 400, parsed.errors);
  const { currentPassword: current, newPassword: chosen, signOutOthers } = parsed.value;

  const check = await confirmOwnPassword(app.ctx, person, current, request.ip);
  if (!check.ok) {
    const throttled = check.locked || check.retryAfterSeconds > 0;
    if (throttled) reply.header('Retry-After', String(check.retryAfterSeconds)).header('X-Error-Code', check.locked ? 'SC_ERR_ACCOUNT_LOCKED' : 'SC_ERR_THROTTLED');
    const text = throttled ? `Too many wrong passwords. Wait ${waitText(check.retryAfterSeconds)} and try again.` : 'Your current password is not correct';
    return renderAccount(app, request, reply, throttled ? 429 : 400, fieldError('currentPassword', text));
  }
  const now = app.ctx.now();
  await updatePerson(db, person.id, { password_hash: await hashPassword(chosen) }, now);
  // A recovery link sent before the change must not undo it.
  await revokeAccountTokens(db, person.id, 'recover');
  const ended = signOutOthers ? await deleteSessionsOf(db, person.id, request.session!.idHash) : 0;
  await audit(app.ctx, request.ip, { action: 'auth.password_changed', actorId: person.id, subjectType: 'person', subjectId: person.id, details: { via: 'account', otherSessionsEnded: ended } });
  await sendMail(app.ctx, person.email, 'password-changed', { name: person.display_name });
  return redirect(reply, `/account?changed=${signOutOthers ? 'password-others' : 'password'}`, 303);
}

export async function accountPageRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx.store;
  const { config } = app.ctx;

  app.get('/account', { config: ownAccount }, async (request, reply) => renderAccount(app, request, reply, 200));

  app.post('/account/password', { config: ownAccount }, async (request, reply) => {
    const person = await findPersonById(db, request.actor!.personId);
    if (!person) return redirect(reply, '/sign-in', 303);
    return changePassword(app, request, reply, person);
  });

  app.post('/account/sessions/sign-out', { config: ownAccount }, async (request, reply) => {
    const handle = field(formFields(request.body), 'session');
    const personId = request.actor!.personId;
    const target = (await listSessionsOf(db, personId)).find((s) => sessionHandle(config.SECRET_KEY, s) === handle);
    if (!target) return redirect(reply, '/account', 303);
    await audit(app.ctx, request.ip, { action: 'auth.sign_out', actorId: personId, details: { scope: target.id_hash === request.session!.idHash ? 'this_session' : 'one_other_session' } });
    if (target.id_hash === request.session!.idHash) {
      await reply.endSession();
      return redirect(reply.header('Clear-Site-Data', '"cookies"'), '/', 303);
    }
    await deleteSession(db, target.id_hash);
    return redirect(reply, '/account?changed=session', 303);
  });

  app.post('/account/sessions/sign-out-others', { config: ownAccount }, async (request, reply) => {
    const personId = request.actor!.personId;
    const ended = await deleteSessionsOf(db, personId, request.session!.idHash);
    await audit(app.ctx, request.ip, { action: 'auth.sign_out', actorId: personId, details: { scope: 'other_sessions', ended } });
    return redirect(reply, '/account?changed=others', 303);
  });

  // Open to any session, so someone half way through signing in can give up too.
  app.post('/sign-out', { config: access('account.authenticate') }, async (request, reply) => {
    const session = request.session;
    if (session) {
      await audit(app.ctx, request.ip, { action: 'auth.sign_out', actorId: session.personId, details: { scope: 'this_session', stage: session.stage } });
      await reply.endSession();
    }
    // Tells the browser to drop this site's cookies as well (ASVS 7.4.1; test B.18).
    return redirect(reply.header('Clear-Site-Data', '"cookies"'), '/', 303);
  });
}
