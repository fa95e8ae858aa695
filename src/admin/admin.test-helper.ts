/**
 * For the administration tests: the app, organisations and people, requests as a
 * browser sends them, and reading what the audit log and the outbox got.
 */
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import type { AuditRow } from '../audit/audit.repository.ts';
import { loadConfig } from '../config.ts';
import type { NewOrganisation } from '../organisations/organisations.repository.ts';
import type { BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';

export async function adminApp(store: Store, now?: () => Date): Promise<FastifyInstance> {
  const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' });
  const app = await buildApp(store, config, now ? { now } : {});
  await app.ready();
  return app;
}

let counter = 0;
/** A council with a fresh id, so suites sharing a store never collide. */
export function council(name = 'Council'): NewOrganisation {
  counter += 1;
  return { id: `council-${counter}-${Math.random().toString(36).slice(2, 8)}`, name: `${name} ${counter}`, type: 'local_authority', tier: 'local' };
}

export function get(app: FastifyInstance, url: string, who?: BrowserHeaders): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
}

/** A form POST as the browser sends it, with the CSRF token unless `csrf: false`. */
export function post(app: FastifyInstance, url: string, who: BrowserHeaders, fields: Record<string, string> = {}, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: who.csrf }), ...fields }).toString();
  return app.inject({
    method: 'POST',
    url,
    headers: { accept: 'text/html', cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body,
  });
}

export async function lastSequence(store: Store): Promise<number> {
  const row = await store.db.selectFrom('audit_log').select('sequence').orderBy('sequence', 'desc').limit(1).executeTakeFirst();
  return row?.sequence ?? 0;
}

/** Entries appended after `since`, oldest first. */
export async function auditAfter(store: Store, since: number): Promise<AuditRow[]> {
  return store.db.selectFrom('audit_log').selectAll().where('sequence', '>', since).orderBy('sequence').execute();
}

/** The entries after `since` that are not page views: what a change wrote. */
export async function changesAfter(store: Store, since: number): Promise<AuditRow[]> {
  return (await auditAfter(store, since)).filter((r) => r.action !== 'record.view');
}

/** Asserts exactly one change entry of `action` was written after `since`, and returns it. */
export async function oneChange(store: Store, since: number, action: string): Promise<AuditRow & { parsed: Record<string, unknown> }> {
  const rows = await changesAfter(store, since);
  assert.deepEqual(rows.map((r) => r.action), [action], `expected one ${action} entry`);
  const row = rows[0]!;
  return { ...row, parsed: JSON.parse(row.details ?? '{}') as Record<string, unknown> };
}

export function assertRedirect(res: LightMyRequestResponse, to: string | RegExp): void {
  assert.equal(res.statusCode, 303, `expected a redirect, got ${res.statusCode}: ${res.body.slice(0, 400)}`);
  const location = String(res.headers.location);
  if (typeof to === 'string') assert.equal(location, to);
  else assert.match(location, to);
}

/** The cookie a response set, as a `cookie` header value, or undefined. */
export function setCookie(res: LightMyRequestResponse, name: string): string | undefined {
  const cookie = res.cookies.find((c) => c.name === name && c.value !== '');
  return cookie ? `${name}=${cookie.value}` : undefined;
}

/** The signed-in user's name is in the header's sign-out form only when the session works. */
export function isSignedIn(res: LightMyRequestResponse): boolean {
  return res.body.includes('action="/sign-out"');
}
