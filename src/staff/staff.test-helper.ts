/**
 * Shared set-up for the staff tool tests: the fixture forces and neighbourhoods,
 * an app over them, and signed-in people with the roles the permission table names.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import { forceOrganisation, seedPerson, signedInAs, teamOrganisation, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';

/** Team A's force and neighbourhood, a second neighbourhood of that force, and another force's. */
export const FORCE = 'hampshire';
export const A = 'SO1';
export const B = 'SO2';
export const OTHER_FORCE = 'leicestershire';
export const OTHER = 'NC04';

export interface StaffFixture {
  app: FastifyInstance;
  officerA: BrowserHeaders;
  officerAId: string;
  admin: BrowserHeaders;
  adminId: string;
  member: BrowserHeaders;
  otherAdmin: BrowserHeaders;
}

export async function staffFixture(store: Store): Promise<StaffFixture> {
  await seedFixtures(store.db);
  const app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
  const officer = await seedPerson(store, { roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation(FORCE, A) }] });
  const admin = await seedPerson(store, { roles: [{ role: 'force_admin', organisation: forceOrganisation(FORCE) }] });
  const member = await seedPerson(store, { roles: [{ role: 'member', organisation: teamOrganisation(FORCE, A) }] });
  const otherAdmin = await seedPerson(store, { roles: [{ role: 'force_admin', organisation: forceOrganisation(OTHER_FORCE) }] });
  return {
    app,
    officerA: await signedInAs(app, officer.id),
    officerAId: officer.id,
    admin: await signedInAs(app, admin.id),
    adminId: admin.id,
    member: await signedInAs(app, member.id),
    otherAdmin: await signedInAs(app, otherAdmin.id),
  };
}

/** `/staff/neighbourhoods/{force}/{id}{rest}`. */
export const staffUrl = (force: string, id: string, rest = '') => `/staff/neighbourhoods/${encodeURIComponent(force)}/${encodeURIComponent(id)}${rest}`;

/** A page request as a browser makes it. */
export function getPage(who: BrowserHeaders | null, url: string): InjectOptions {
  return { method: 'GET', url, headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } };
}

/** A form post as a browser makes it; the CSRF token is added unless `csrf` is false. */
export function postForm(who: BrowserHeaders | null, url: string, fields: Record<string, string>, csrf = true): InjectOptions {
  const body = new URLSearchParams({ ...(csrf && who ? { _csrf: who.csrf } : {}), ...fields });
  return {
    method: 'POST',
    url,
    headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...(who ? { cookie: who.cookie } : {}) },
    payload: body.toString(),
  };
}

/** A multipart form post (the team member form); fields in order, so `_csrf` can be put first or left out. */
export async function postMultipart(who: BrowserHeaders, url: string, parts: Array<[string, string | Blob, string?]>): Promise<InjectOptions> {
  const form = new FormData();
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename ?? 'photo.jpg');
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    method: 'POST',
    url,
    headers: { accept: 'text/html', cookie: who.cookie, 'content-type': request.headers.get('content-type')! },
    payload: Buffer.from(await request.arrayBuffer()),
  };
}

/** The texts of the error summary's links ([] when there is none). */
export function errorSummary(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[1]}: ${m[2]!.trim()}`);
}
