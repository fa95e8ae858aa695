/**
 * For the membership, relay, coordinator, news and member-data tests: an app on a
 * clock the test moves, a scheme seeded straight into the store (starting and
 * approving schemes have tests of their own), people with scheme roles, form posts,
 * and reading the outbox and pages.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Person } from '../accounts/people.repository.ts';
import { upsertPostcodes } from '../places/postcodes.repository.ts';
import { seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';
import type { MembershipRole, MembershipStatus } from './membership.repository.ts';
import { findScheme, type Scheme } from './schemes.repository.ts';

export const TEST_CONFIG = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0', NODE_ENV: 'test' });
/** Inside every seeded scheme's area, and far outside it. */
export const INSIDE_POSTCODE = 'ZZ1 1AA';
export const OUTSIDE_POSTCODE = 'ZZ9 9ZZ';
const CENTRE = { latitude: 52.1, longitude: 0.1 };

export interface TestClock {
  now: Date;
  advance(seconds: number): void;
}

export async function testApp(store: Store): Promise<{ app: FastifyInstance; clock: TestClock }> {
  const clock: TestClock = {
    now: new Date(),
    advance(seconds) {
      this.now = new Date(this.now.getTime() + seconds * 1000);
    },
  };
  const app = await buildApp(store, TEST_CONFIG, { now: () => clock.now });
  await app.ready();
  await upsertPostcodes(store.db, [
    { postcode: INSIDE_POSTCODE, outward: 'ZZ1', latitude: CENTRE.latitude, longitude: CENTRE.longitude, local_authority_code: null, source: 'csv' },
    { postcode: OUTSIDE_POSTCODE, outward: 'ZZ9', latitude: CENTRE.latitude + 1, longitude: CENTRE.longitude + 1, local_authority_code: null, source: 'csv' },
  ]);
  return { app, clock };
}

export interface SeededScheme {
  scheme: Scheme;
  coordinator: Person;
}

/** An active scheme (a small square around INSIDE_POSTCODE) with an active coordinator. */
export async function seedScheme(store: Store, options: { joinPolicy?: 'automatic' | 'approval'; forceId?: string; name?: string } = {}): Promise<SeededScheme> {
  const id = randomBytes(9).toString('base64url');
  const d = 0.01;
  const [lat, lng] = [CENTRE.latitude, CENTRE.longitude];
  const ring = [[lat - d, lng - d], [lat - d, lng + d], [lat + d, lng + d], [lat + d, lng - d], [lat - d, lng - d]];
  const coordinator = await seedPerson(store, { displayName: 'Carol Coordinator', email: `carol-${id}@coordinators.example` });
  const at = new Date().toISOString();
  await store.db
    .insertInto('watch_schemes')
    .values({
      id,
      name: options.name ?? `Mill Lane Watch ${id.slice(0, 4)}`,
      force_id: options.forceId ?? 'demo',
      area: JSON.stringify(ring),
      centre_latitude: lat,
      centre_longitude: lng,
      min_latitude: lat - d,
      min_longitude: lng - d,
      max_latitude: lat + d,
      max_longitude: lng + d,
      status: 'active',
      join_policy: options.joinPolicy ?? 'approval',
      created_by: coordinator.id,
      code_of_conduct_accepted_at: at,
      created_at: at,
      approved_at: at,
      approved_by: null,
    })
    .execute();
  await addMember(store, id, coordinator, 'coordinator', 'Carol Coordinator', 'Mill Lane');
  return { scheme: (await findScheme(store.db, id))!, coordinator };
}

/** Puts a person in a scheme with a role and status, as if they had applied. */
export async function addMember(store: Store, schemeId: string, person: Person, role: MembershipRole, name: string, street: string, status: MembershipStatus = 'active'): Promise<void> {
  const at = new Date().toISOString();
  await store.db
    .insertInto('watch_memberships')
    .values({ scheme_id: schemeId, person_id: person.id, role, status, name, street, outside_area: 0, consented_at: at, updates_opted_out_at: null, applied_at: at, decided_at: null, decided_by: null })
    .execute();
}

/** A new active person in the scheme, signed in. */
export async function memberOf(app: FastifyInstance, schemeId: string, role: MembershipRole, name: string, street = 'Mill Lane', email?: string): Promise<{ person: Person; headers: BrowserHeaders }> {
  const person = await seedPerson(app.ctx.store, { displayName: name, ...(email ? { email } : {}) });
  await addMember(app.ctx.store, schemeId, person, role, name, street);
  return { person, headers: await signedInAs(app, person.id, 'full', app.ctx.now()) };
}

/** POSTs a form as the browser with these headers would. */
export function postForm(app: FastifyInstance, url: string, headers: BrowserHeaders, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: headers.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ _csrf: headers.csrf, ...fields }).toString(),
  });
}

export function getPage(app: FastifyInstance, url: string, headers?: BrowserHeaders): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(headers ? { cookie: headers.cookie } : {}) } });
}

export interface SentMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Every email queued so far, oldest first. */
export async function outbox(store: Store): Promise<SentMail[]> {
  const rows = await store.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body', 'html_body']).orderBy('id').execute();
  return rows.map((r) => ({ to: r.to_address, subject: r.subject, text: r.text_body, html: r.html_body }));
}

/** Emails to one address. */
export async function mailTo(store: Store, to: string): Promise<SentMail[]> {
  return (await outbox(store)).filter((m) => m.to === to.toLowerCase() || m.to === to);
}

/** The first link in a text body whose path starts with `path`, as a path with its query. */
export function linkIn(text: string, path: string): string | undefined {
  for (const match of text.matchAll(/https?:\/\/[^\s]+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(path)) return `${url.pathname}${url.search}`;
  }
  return undefined;
}

/** A hidden input's value in a page. */
export function hiddenValue(html: string, name: string): string | undefined {
  const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return m?.[1]?.replace(/&amp;/g, '&');
}

/** Forgets rate-limit counts, so one test's requests do not throttle the next. */
export async function resetThrottles(store: Store): Promise<void> {
  await store.db.deleteFrom('throttle').execute();
}
