/**
 * Puts the session and the person behind it on every page request, enforces the
 * idle and absolute timeouts, gives a session a new id when the person's privileges
 * changed, and checks CSRF on every state-changing request. Loaded from the store
 * each time, so a suspension or a removed role takes effect on the next request.
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../access/policy.ts';
import { MFA_REQUIRED_FOR_ANY_ROLE } from '../access/permissions.ts';
import { findPersonById } from '../accounts/people.repository.ts';
import { heldRoles, heldSchemeRoles } from '../organisations/organisations.repository.ts';
import { csrfFailure, csrfKey, csrfTokenFor, needsCsrfCheck, newAnonymousCsrfValue } from './csrf.ts';
import {
  createSession,
  deleteSession,
  findSession,
  hashSessionToken,
  reissueSession,
  touchSession,
  type Session,
  type SessionStage,
} from './session.repository.ts';

/** Writing last_seen_at on every request would make each page view a write; a minute is precise enough. */
const TOUCH_EVERY_MS = 60_000;

export interface RequestSession {
  token: string;
  idHash: string;
  personId: string;
  stage: SessionStage;
  row: Session;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session, at any stage; null for anonymous visitors. */
    session: RequestSession | null;
    /** The signed-in person (session stage 'full'), or null. */
    actor: Actor | null;
    /** A CSRF token for forms on this page; creates the anonymous cookie when needed. */
    csrfToken(): string;
  }
  interface FastifyReply {
    /**
     * Starts a new session (always a new id: no fixation) and sets its cookie.
     * `secondFactor`: the person has just given one (TOTP or a recovery code).
     */
    startSession(personId: string, stage: SessionStage, secondFactor?: boolean): Promise<RequestSession>;
    /** Ends the current session and clears its cookie. */
    endSession(): Promise<void>;
  }
}

export function sessionCookieNames(secure: boolean): { session: string; csrf: string } {
  // __Host- cookies must be Secure, so plain-http development uses unprefixed names.
  return secure ? { session: '__Host-sc_session', csrf: '__Host-sc_csrf' } : { session: 'sc_session', csrf: 'sc_csrf' };
}

function isPageRequest(url: string): boolean {
  return !url.startsWith('/api/') && !url.startsWith('/assets/') && !url.startsWith('/map-data/');
}

export async function registerSessions(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config, store } = ctx;
  const names = sessionCookieNames(config.COOKIE_SECURE);
  const cookieOptions = { path: '/', httpOnly: true, secure: config.COOKIE_SECURE, sameSite: 'lax' as const };
  const key = csrfKey(config.SECRET_KEY);
  const idleMs = config.SESSION_IDLE_MINUTES * 60_000;

  await app.register(cookie);
  app.decorateRequest('session', null);
  app.decorateRequest('actor', null);

  app.decorateRequest('csrfToken', function csrfToken(): string {
    throw new Error('CSRF tokens are only issued on page requests');
  });
  const tokenFor = (request: FastifyRequest, reply: FastifyReply) => (): string => {
    if (request.session) return csrfTokenFor(key, 'session', request.session.token);
    let value = request.cookies[names.csrf];
    if (value === undefined || value.length < 16) {
      value = newAnonymousCsrfValue();
      request.cookies[names.csrf] = value;
      reply.setCookie(names.csrf, value, cookieOptions);
    }
    return csrfTokenFor(key, 'anonymous', value);
  };

  app.decorateReply('startSession', async function startSession(this: FastifyReply, personId: string, stage: SessionStage, secondFactor = false) {
    const request = this.request;
    const person = await findPersonById(store.db, personId);
    if (!person) throw new AppError('SC_ERR_UNKNOWN_PERSON');
    if (request.session) await deleteSession(store.db, request.session.idHash);
    const { token, session } = await createSession(store.db, {
      personId,
      stage,
      privilegeVersion: person.privilege_version,
      absoluteHours: config.SESSION_ABSOLUTE_HOURS,
      clientAddress: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      secondFactor,
      now: ctx.now(),
    });
    this.setCookie(names.session, token, cookieOptions);
    request.session = { token, idHash: session.id_hash, personId, stage, row: session };
    request.actor = stage === 'full' ? await loadActor(ctx, personId) : null;
    return request.session;
  });

  app.decorateReply('endSession', async function endSession(this: FastifyReply) {
    const request = this.request;
    if (request.session) await deleteSession(store.db, request.session.idHash);
    request.session = null;
    request.actor = null;
    this.clearCookie(names.session, cookieOptions);
  });

  app.addHook('onRequest', async (request, reply) => {
    if (!isPageRequest(request.url)) return;
    request.csrfToken = tokenFor(request, reply);
    const token = request.cookies[names.session];
    if (token === undefined) return;
    const now = ctx.now();
    const row = await findSession(store.db, token);
    const person = row ? await findPersonById(store.db, row.person_id) : undefined;
    const expired =
      !row ||
      !person ||
      person.status !== 'active' ||
      now.toISOString() >= row.expires_at ||
      now.getTime() - Date.parse(row.last_seen_at) > idleMs;
    if (expired) {
      if (row) await deleteSession(store.db, row.id_hash);
      reply.clearCookie(names.session, cookieOptions);
      return;
    }
    let current = token;
    if (row.privilege_version !== person.privilege_version) {
      current = await reissueSession(store.db, row, person.privilege_version);
      reply.setCookie(names.session, current, cookieOptions);
    } else if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_EVERY_MS) {
      await touchSession(store.db, row.id_hash, now);
    }
    request.session = { token: current, idHash: hashSessionToken(current), personId: person.id, stage: row.stage, row };
    if (row.stage !== 'full') return;
    const actor = await loadActor(ctx, person.id);
    if (actor && actor.roles.length > 0 && row.second_factor !== 1 && MFA_REQUIRED_FOR_ANY_ROLE) {
      // Roles were granted (or an organisation reactivated) after this session began
      // without a second factor: it must give one before it carries them.
      await deleteSession(store.db, request.session.idHash);
      const stage: SessionStage = person.mfa_enabled_at !== null ? 'mfa' : 'enrol';
      const partial = await createSession(store.db, {
        personId: person.id,
        stage,
        privilegeVersion: person.privilege_version,
        absoluteHours: config.SESSION_ABSOLUTE_HOURS,
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        now,
      });
      reply.setCookie(names.session, partial.token, cookieOptions);
      request.session = { token: partial.token, idHash: partial.session.id_hash, personId: person.id, stage, row: partial.session };
      return;
    }
    request.actor = actor;
  });

  // Runs before access control, so a forged request is refused before anything else looks at it.
  app.addHook('preHandler', async (request) => {
    if (!needsCsrfCheck(request)) return;
    const failure = csrfFailure(request, {
      key,
      publicOrigin: config.PUBLIC_URL,
      expected: (r) => {
        if (r.session) return csrfTokenFor(key, 'session', r.session.token);
        const value = r.cookies[names.csrf];
        return value === undefined ? null : csrfTokenFor(key, 'anonymous', value);
      },
    });
    if (failure !== null) {
      request.log.warn({ csrf: failure, route: request.routeOptions.url }, 'CSRF check failed');
      throw new AppError('SC_ERR_CSRF');
    }
  });
}

export async function loadActor(ctx: AppContext, personId: string): Promise<Actor | null> {
  const person = await findPersonById(ctx.store.db, personId);
  if (!person || person.status !== 'active') return null;
  return {
    personId: person.id,
    email: person.email,
    displayName: person.display_name,
    roles: await heldRoles(ctx.store.db, person.id),
    schemeRoles: await heldSchemeRoles(ctx.store.db, person.id),
  };
}
