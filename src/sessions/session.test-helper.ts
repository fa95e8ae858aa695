/**
 * For route tests: people with roles, and signed-in or anonymous request headers,
 * without going through the sign-in pages (which have tests of their own).
 */
import type { FastifyInstance } from 'fastify';
import type { Role } from '../access/permissions.ts';
import { createPerson, type Person } from '../accounts/people.repository.ts';
import { addMembership, createOrganisation, findOrganisation, type NewOrganisation } from '../organisations/organisations.repository.ts';
import type { Store } from '../store/store.ts';
import { csrfKey, csrfTokenFor, newAnonymousCsrfValue } from './csrf.ts';
import { createSession, type SessionStage } from './session.repository.ts';
import { sessionCookieNames } from './session.plugin.ts';

let counter = 0;

/** Creates the organisation unless it exists. */
export async function ensureOrganisation(store: Store, org: NewOrganisation): Promise<void> {
  if (!(await findOrganisation(store.db, org.id))) await createOrganisation(store.db, org);
}

export interface SeedPerson {
  email?: string;
  displayName?: string;
  passwordHash?: string | null;
  status?: 'unverified' | 'active' | 'suspended' | 'removed';
  roles?: { role: Role; organisation: NewOrganisation }[];
}

/** An active person (unique email unless given) holding the given roles. */
export async function seedPerson(store: Store, input: SeedPerson = {}): Promise<Person> {
  counter += 1;
  const person = await createPerson(store.db, {
    email: input.email ?? `person${counter}-${Date.now()}@example.test`,
    displayName: input.displayName ?? `Test Person ${counter}`,
    passwordHash: input.passwordHash ?? null,
    status: input.status ?? 'active',
    emailVerified: true,
  });
  for (const { role, organisation } of input.roles ?? []) {
    await ensureOrganisation(store, organisation);
    await addMembership(store.db, person.id, organisation.id, role, null);
  }
  return person;
}

export interface BrowserHeaders {
  /** Send as the `cookie` header. */
  cookie: string;
  /** Put in a form as `_csrf` or send as `x-csrf-token`. */
  csrf: string;
  /** The raw session token, when signed in. */
  token?: string;
}

/** Headers of someone signed in as the person (a session made directly in the store). */
export async function signedInAs(app: FastifyInstance, personId: string, stage: SessionStage = 'full', now = new Date()): Promise<BrowserHeaders> {
  const { config, store } = app.ctx;
  // A full session here stands for a complete sign-in, second factor included.
  const { token } = await createSession(store.db, { personId, stage, privilegeVersion: await privilegeVersion(store, personId), absoluteHours: config.SESSION_ABSOLUTE_HOURS, secondFactor: stage === 'full', now });
  const names = sessionCookieNames(config.COOKIE_SECURE);
  return { cookie: `${names.session}=${token}`, csrf: csrfTokenFor(csrfKey(config.SECRET_KEY), 'session', token), token };
}

/** Headers of an anonymous visitor who has loaded a page with a form. */
export function anonymousVisitor(app: FastifyInstance): BrowserHeaders {
  const { config } = app.ctx;
  const value = newAnonymousCsrfValue();
  const names = sessionCookieNames(config.COOKIE_SECURE);
  return { cookie: `${names.csrf}=${value}`, csrf: csrfTokenFor(csrfKey(config.SECRET_KEY), 'anonymous', value) };
}

async function privilegeVersion(store: Store, personId: string): Promise<number> {
  const row = await store.db.selectFrom('people').select('privilege_version').where('id', '=', personId).executeTakeFirstOrThrow();
  return row.privilege_version;
}

/** A neighbourhood team organisation for a neighbourhood. */
export function teamOrganisation(forceId: string, neighbourhoodId: string): NewOrganisation {
  return { id: `team-${forceId}-${neighbourhoodId}`.toLowerCase(), name: `${neighbourhoodId} neighbourhood team`, type: 'neighbourhood_team', tier: 'local', forceId, neighbourhoodId };
}

export function forceOrganisation(forceId: string): NewOrganisation {
  return { id: `force-${forceId}`, name: `${forceId} police`, type: 'police_force', tier: 'local', forceId };
}

export const PLATFORM_ORGANISATION: NewOrganisation = { id: 'platform', name: 'Platform operator', type: 'platform', tier: 'national' };
