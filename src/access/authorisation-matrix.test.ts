/**
 * The authorisation matrix, generated from the permission table (the OWASP
 * "authorization testing automation" approach): every route the app declares, tried
 * by every kind of person, inside and outside their scope. The expected answer comes
 * from the table (isAllowed over what the fixture URL points at); the actual answer is
 * the app's. Denied means 403 (or, for anonymous visitors, being sent to sign in) and
 * an access.denied audit entry; allowed means anything else short of a server error.
 *
 * A new route that this file cannot place fails the coverage test until it is taught
 * what the route's parameters mean.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { loadActor } from '../sessions/session.plugin.ts';
import { anonymousVisitor, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import type { DeclaredRoute } from './access.ts';
import {
  COUNCIL_A,
  COUNCIL_B,
  firstTeamMember,
  FORCE,
  freshApplicantOf,
  freshMemberOf,
  OTHER_FORCE,
  OTHER_FORCE_NEIGHBOURHOOD,
  OWN_NEIGHBOURHOOD,
  PERSONAS,
  restoreMatrix,
  SAME_FORCE_NEIGHBOURHOOD,
  seedMatrix,
  type MatrixFixture,
  type Persona,
} from './matrix.fixtures.ts';
import { isOpenToEveryone } from './permissions.ts';
import { isAllowed, SOMEWHERE, type TargetOrSomewhere } from './policy.ts';

interface Variant {
  label: string;
  params: Record<string, string>;
  /** What the URL points at, for the table; 'self' is the persona's own account. */
  target: TargetOrSomewhere | 'self';
}

/**
 * Routes stricter than the table, on purpose: the app may refuse more here than the
 * table allows (never less). Each says why.
 */
const STRICTER_THAN_TABLE: { url: RegExp; why: string }[] = [
  // Closing a whole account reaches beyond one organisation: platform administrators only.
  { url: /^\/admin\/organisations\/:org\/people\/:person\/close$/, why: 'closing an account is for platform administrators' },
  // Suspending or ending sessions acts on the whole account, so it needs authority in every organisation the person is in.
  { url: /^\/admin\/organisations\/:org\/people\/:person\/(suspend|reactivate|sessions\/end-all|sessions\/end)$/, why: 'account-wide actions' },
];

/** What each route's parameters mean, and so which targets to try it on. */
async function variantsFor(store: Store, fx: MatrixFixture, route: DeclaredRoute): Promise<Variant[] | null> {
  const url = route.url;
  const params = [...url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const action = route.access!.action;
  if (url.startsWith('/staff/neighbourhoods/:force/:id')) {
    const places = [[FORCE, OWN_NEIGHBOURHOOD], [FORCE, SAME_FORCE_NEIGHBOURHOOD], [OTHER_FORCE, OTHER_FORCE_NEIGHBOURHOOD]] as const;
    return Promise.all(
      places.map(async ([force, id]) => ({
        label: `${force}/${id}`,
        params: { force, id, member: await firstTeamMember(store, force, id), position: '0' },
        target: { forceId: force, neighbourhoodId: id },
      })),
    );
  }
  if (url.startsWith('/staff/forces/:force')) {
    return [
      { label: FORCE, params: { force: FORCE, id: OWN_NEIGHBOURHOOD }, target: { forceId: FORCE } },
      { label: OTHER_FORCE, params: { force: OTHER_FORCE, id: OTHER_FORCE_NEIGHBOURHOOD }, target: { forceId: OTHER_FORCE } },
    ];
  }
  if (url.startsWith('/admin/organisations/:org')) {
    return Promise.all(
      [COUNCIL_A, COUNCIL_B].map(async (org) => ({
        label: org.id,
        params: { org: org.id, person: await freshMemberOf(store, org.id) },
        target: { organisationId: org.id },
      })),
    );
  }
  if (url.startsWith('/admin/outbox/:id')) return [{ label: 'a message', params: { id: String(fx.outboxMessageId) }, target: {} }];
  if (url.startsWith('/watch/admin/schemes/:id')) {
    return [
      { label: 'own force scheme', params: { id: fx.schemes.own, action: 'verify' }, target: { forceId: FORCE, schemeId: fx.schemes.own } },
      { label: 'other force scheme', params: { id: fx.schemes.otherForce, action: 'verify' }, target: { forceId: OTHER_FORCE, schemeId: fx.schemes.otherForce } },
    ];
  }
  if (url.startsWith('/watch/reported/:thread')) {
    return [
      { label: 'own force thread', params: { thread: fx.threads.own }, target: { forceId: FORCE } },
      { label: 'other force thread', params: { thread: fx.threads.otherForce }, target: { forceId: OTHER_FORCE } },
    ];
  }
  if (url.startsWith('/watch/coordinate/:id')) {
    return Promise.all(
      (['own', 'sameForce'] as const).map(async (key) => ({
        label: `${key} scheme`,
        params: { id: fx.schemes[key], person: await freshApplicantOf(store, fx.schemes[key]), thread: fx.threads[key] },
        target: { schemeId: fx.schemes[key] },
      })),
    );
  }
  // Guides are one set for the whole site: each is tried, whoever the editor's organisation.
  if (url.startsWith('/staff/signs/:slug')) return [{ label: 'a guide', params: { slug: 'county-lines' }, target: {} }];
  if (action === 'account.manage_own' || action === 'watch.own_membership') {
    return [{ label: 'own account', params: { id: fx.schemes.own }, target: 'self' }];
  }
  if (params.length === 0 && route.access!.target === undefined) return [{ label: 'list', params: {}, target: SOMEWHERE }];
  return null;
}

function fill(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no fixture value for :${name} in ${url}`);
    return encodeURIComponent(value);
  });
}

function isDenied(status: number, location: string | undefined): boolean {
  return status === 401 || status === 403 || ((status === 302 || status === 303) && (location ?? '').startsWith('/sign-in'));
}

describeEachStore('authorisation matrix', (getStore) => {
  let app: FastifyInstance;
  let fx: MatrixFixture;
  before(async () => {
    fx = await seedMatrix(getStore());
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  const guarded = () => app.declaredRoutes.filter((r) => r.method !== 'HEAD' && r.access !== undefined && !isOpenToEveryone(r.access.action));

  it('knows what every guarded route’s parameters mean', async () => {
    const unplaced: string[] = [];
    for (const route of guarded()) if ((await variantsFor(getStore(), fx, route)) === null) unplaced.push(`${route.method} ${route.url}`);
    assert.deepEqual(unplaced, []);
    assert.ok(guarded().length > 100, `only ${guarded().length} guarded routes: is the app registering them all?`);
  });

  it('lets anonymous visitors reach every route the table opens to everyone', async () => {
    const open = app.declaredRoutes.filter((r) => r.method !== 'HEAD' && r.access !== undefined && isOpenToEveryone(r.access.action));
    assert.ok(open.length > 40, `only ${open.length} open routes`);
    const wrong: string[] = [];
    for (const route of open) {
      const visitor = anonymousVisitor(app);
      const response = await app.inject({
        method: route.method as 'GET' | 'POST',
        url: route.url.replace(/:([A-Za-z]+)/g, 'x').replace('*', 'x'),
        headers: { cookie: visitor.cookie, accept: 'text/html', ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(route.method === 'POST' ? { payload: new URLSearchParams({ _csrf: visitor.csrf }).toString() } : {}),
      });
      // A 5xx is wrong unless it is one of upstream's deliberate answers (a registered code, e.g. 502 for no force).
      const crashed = response.statusCode >= 500 && (response.headers['x-error-code'] ?? 'SC_ERR_INTERNAL') === 'SC_ERR_INTERNAL';
      if (response.statusCode === 401 || response.statusCode === 403 || crashed) wrong.push(`${route.method} ${route.url}: ${response.statusCode}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('answers every role on every route exactly as the permission table says', async () => {
    const store = getStore();
    const failures: string[] = [];
    let cells = 0;
    // GETs first; then each POST, with the fixture put back after it.
    const routes = [...guarded()].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    for (const route of routes) {
      const stricter = STRICTER_THAN_TABLE.some((s) => s.url.test(route.url));
      for (const variant of (await variantsFor(store, fx, route))!) {
        for (const persona of PERSONAS) {
          cells += 1;
          const personId = fx.personIds[persona];
          const actor = personId === undefined ? null : await loadActor(app.ctx, personId);
          const target = variant.target === 'self' ? { personId: personId ?? '(nobody)' } : variant.target;
          const expected = isAllowed(actor, route.access!.action, target);
          const who = personId === undefined ? anonymousVisitor(app) : await signedInAs(app, personId);
          const deniedBefore = personId === undefined ? 0 : await deniedCount(store, personId);
          const response = await app.inject({
            method: route.method as 'GET' | 'POST',
            url: fill(route.url, variant.params),
            headers: {
              cookie: who.cookie,
              accept: 'text/html',
              ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            ...(route.method === 'POST' ? { payload: new URLSearchParams({ _csrf: who.csrf }).toString() } : {}),
          });
          const cell = `${route.method} ${route.url} [${variant.label}] as ${persona}`;
          const denied = isDenied(response.statusCode, response.headers.location as string | undefined);
          if (response.statusCode >= 500) failures.push(`${cell}: server error ${response.statusCode}`);
          else if (expected && denied && !stricter) failures.push(`${cell}: refused (${response.statusCode}) but the table allows it`);
          else if (!expected && !denied) failures.push(`${cell}: allowed (${response.statusCode}) but the table refuses it`);
          else if (denied && personId !== undefined && response.statusCode === 403 && (await deniedCount(store, personId)) !== deniedBefore + 1) {
            failures.push(`${cell}: refused without an access.denied audit entry`);
          }
          if (route.method !== 'GET') await restoreMatrix(store, fx);
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${cells} cells wrong`);
    console.log(`# authorisation matrix [${store.kind}]: ${cells} cells`);
  });

  it('never reaches another scope’s records through one’s own scope’s address (no IDOR)', async () => {
    const store = getStore();
    const get = async (persona: Persona, url: string) => {
      const who = await signedInAs(app, fx.personIds[persona]!);
      return app.inject({ url, headers: { cookie: who.cookie, accept: 'text/html' } });
    };
    const otherMember = await firstTeamMember(store, FORCE, SAME_FORCE_NEIGHBOURHOOD);
    const attempts: [Persona, string][] = [
      // A team member of the neighbouring neighbourhood, through the officer's own neighbourhood.
      ['neighbourhood_officer', `/staff/neighbourhoods/${FORCE}/${OWN_NEIGHBOURHOOD}/team/${otherMember}`],
      // A person of council B, through council A's pages.
      ['org_admin', `/admin/organisations/${COUNCIL_A.id}/people/${await freshMemberOf(store, COUNCIL_B.id)}`],
      // Another scheme's conversation and applicant, through the coordinator's own scheme.
      ['scheme_coordinator', `/watch/coordinate/${fx.schemes.own}/messages/${fx.threads.sameForce}`],
    ];
    for (const [persona, url] of attempts) {
      const response = await get(persona, url);
      assert.equal(response.statusCode, 404, `${persona} ${url}`);
      for (const secret of ['neighbour@example.test', 'subject-']) assert.ok(!response.body.includes(secret), `${url} leaks ${secret}`);
    }
    const applicant = await freshApplicantOf(store, fx.schemes.sameForce);
    const who = await signedInAs(app, fx.personIds.scheme_coordinator!);
    const decided = await app.inject({
      method: 'POST',
      url: `/watch/coordinate/${fx.schemes.own}/applications/${applicant}`,
      headers: { cookie: who.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: who.csrf, decision: 'approve' }).toString(),
    });
    assert.ok(decided.statusCode < 500, `deciding another scheme's applicant answered ${decided.statusCode}`);
    const membership = await store.db.selectFrom('watch_memberships').select('status').where('person_id', '=', applicant).executeTakeFirstOrThrow();
    assert.equal(membership.status, 'pending');
  });
});

async function deniedCount(store: Store, personId: string): Promise<number> {
  const row = await store.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('actor_id', '=', personId)
    .where('action', '=', 'access.denied')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
