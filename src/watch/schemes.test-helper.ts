/**
 * For Watch tests: the demo force (one month of data, enough for its
 * neighbourhoods and postcodes), the app, organisations whose watch_admin
 * approves schemes, schemes written straight to the store, and form posts.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildDemo } from '../demo/demo.service.ts';
import type { Point } from '../geo/geo.ts';
import type { NewOrganisation } from '../organisations/organisations.repository.ts';
import type { BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';
import { boxOf } from '../geo/geo.ts';
import { newSchemeId } from './watch-geo.ts';
import type { SchemeBadge, SchemeStatus } from './schemes.repository.ts';

/** DM1 1WZ, in Brackenford Town Centre. */
export const DM1_1WZ: Point = { latitude: 52.524469, longitude: 0.710391 };

export async function watchApp(store: Store): Promise<FastifyInstance> {
  await buildDemo(store, { months: 1 });
  const app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
  await app.ready();
  return app;
}

export function watchAssociation(forceId: string): NewOrganisation {
  return { id: `nwa-${forceId}`, name: `${forceId} Neighbourhood Watch Association`, type: 'watch_association', tier: 'local', forceId };
}

export function policeForce(forceId: string): NewOrganisation {
  return { id: `police-${forceId}`, name: `${forceId} police`, type: 'police_force', tier: 'local', forceId };
}

/** A square `halfMetres` either side of `centre`, as "lat,lng" lines for the start form. */
export function squareCorners(centre: Point, halfMetres: number): string {
  return squareRing(centre, halfMetres)
    .slice(0, -1)
    .map((p) => `${p.latitude},${p.longitude}`)
    .join('\n');
}

export function squareRing(centre: Point, halfMetres: number): Point[] {
  const dLat = halfMetres / 111195;
  const dLng = dLat / Math.cos((centre.latitude * Math.PI) / 180);
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  const corners = [
    { latitude: r(centre.latitude + dLat), longitude: r(centre.longitude - dLng) },
    { latitude: r(centre.latitude + dLat), longitude: r(centre.longitude + dLng) },
    { latitude: r(centre.latitude - dLat), longitude: r(centre.longitude + dLng) },
    { latitude: r(centre.latitude - dLat), longitude: r(centre.longitude - dLng) },
  ];
  return [...corners, corners[0]!];
}

/** A scheme written straight to the store (no form, no checks): a square around `centre`. */
export async function insertScheme(
  store: Store,
  input: { name: string; centre: Point; halfMetres?: number; status?: SchemeStatus; badge?: SchemeBadge; forceId?: string; createdBy?: string },
): Promise<string> {
  const id = newSchemeId();
  const ring = squareRing(input.centre, input.halfMetres ?? 150);
  const box = boxOf(ring);
  const now = new Date().toISOString();
  await store.db
    .insertInto('watch_schemes')
    .values({
      id,
      name: input.name,
      force_id: input.forceId ?? 'demo',
      area: JSON.stringify(ring.map((p) => [p.latitude, p.longitude])),
      centre_latitude: input.centre.latitude,
      centre_longitude: input.centre.longitude,
      min_latitude: box.minLat,
      min_longitude: box.minLng,
      max_latitude: box.maxLat,
      max_longitude: box.maxLng,
      status: input.status ?? 'active',
      badge: input.badge ?? 'self_declared',
      join_policy: 'approval',
      merged_into: null,
      created_by: input.createdBy ?? 'test',
      code_of_conduct_accepted_at: now,
      created_at: now,
      approved_at: null,
      approved_by: null,
      closed_at: null,
    })
    .execute();
  return id;
}

/** An active membership written straight to the store. */
export async function insertMembership(store: Store, schemeId: string, personId: string, role: 'coordinator' | 'deputy' | 'member', name: string): Promise<void> {
  const now = new Date().toISOString();
  await store.db
    .insertInto('watch_memberships')
    .values({ scheme_id: schemeId, person_id: personId, role, status: 'active', name, street: 'Test Street', consented_at: now, applied_at: now, updates_opted_out_at: null, decided_at: now, decided_by: personId })
    .execute();
}

/** A point `metres` east of `from`. */
export function east(from: Point, metres: number): Point {
  return { latitude: from.latitude, longitude: from.longitude + metres / 111195 / Math.cos((from.latitude * Math.PI) / 180) };
}

export function postForm(app: FastifyInstance, url: string, who: BrowserHeaders, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
  });
}

export function getPage(app: FastifyInstance, url: string, who?: BrowserHeaders): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) } });
}

/** The GOV.UK error summary's messages, in order. */
export function errorSummary(html: string): string[] {
  const block = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...block.matchAll(/<a href="#[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.trim());
}
