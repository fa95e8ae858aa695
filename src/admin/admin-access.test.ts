import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findPersonById, type Person } from '../accounts/people.repository.ts';
import { heldRoles } from '../organisations/organisations.repository.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { adminApp, auditAfter, council, get, lastSequence, post } from './admin.test-helper.ts';

/** Every administration route and what it declares: the matrix the tests below walk. */
const EXPECTED_ROUTES = [
  'GET /admin person.view',
  'GET /admin/audit audit.view',
  'POST /admin/audit/verify audit.view',
  'GET /admin/organisations organisation.manage',
  'POST /admin/organisations organisation.manage',
  'GET /admin/organisations/new organisation.manage',
  'POST /admin/organisations/:org/reactivate organisation.manage target',
  'GET /admin/organisations/:org/suspend organisation.manage target',
  'POST /admin/organisations/:org/suspend organisation.manage target',
  'GET /admin/organisations/:org/people person.view target',
  'GET /admin/organisations/:org/people/invite person.invite target',
  'POST /admin/organisations/:org/people/invite person.invite target',
  'GET /admin/organisations/:org/people/:person person.view target',
  'GET /admin/organisations/:org/people/:person/close person.remove target',
  'POST /admin/organisations/:org/people/:person/close person.remove target',
  'POST /admin/organisations/:org/people/:person/invitation person.invite target',
  'POST /admin/organisations/:org/people/:person/reactivate person.suspend target',
  'GET /admin/organisations/:org/people/:person/remove person.remove target',
  'POST /admin/organisations/:org/people/:person/remove person.remove target',
  'POST /admin/organisations/:org/people/:person/roles person.change_roles target',
  'POST /admin/organisations/:org/people/:person/roles/remove person.change_roles target',
  'POST /admin/organisations/:org/people/:person/sessions/end person.end_sessions target',
  'POST /admin/organisations/:org/people/:person/sessions/end-all person.end_sessions target',
  'GET /admin/organisations/:org/people/:person/suspend person.suspend target',
  'POST /admin/organisations/:org/people/:person/suspend person.suspend target',
].sort();

describeEachStore('administration: who may reach what', (getStore) => {
  let app: FastifyInstance;
  const A = council('Northshire Council');
  const B = council('Southshire Council');
  let adminA: Person, memberA: Person, memberB: Person, auditorA: Person, platform: Person;
  let asAdminA: BrowserHeaders, asMemberA: BrowserHeaders, asPlatform: BrowserHeaders;

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    adminA = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: A }] });
    await seedPerson(store, { roles: [{ role: 'org_admin', organisation: B }] });
    memberA = await seedPerson(store, { displayName: 'Alice Member', roles: [{ role: 'member', organisation: A }] });
    memberB = await seedPerson(store, { displayName: 'Bertha Confidential', roles: [{ role: 'member', organisation: B }] });
    auditorA = await seedPerson(store, { roles: [{ role: 'auditor', organisation: A }] });
    platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    asAdminA = await signedInAs(app, adminA.id);
    asMemberA = await signedInAs(app, memberA.id);
    asPlatform = await signedInAs(app, platform.id);
  });
  after(async () => app?.close());

  it('declares an action for every administration route, matching the permission matrix', async () => {
    const declared = app.declaredRoutes
      .filter((r) => r.url.startsWith('/admin') && !r.url.startsWith('/admin/outbox') && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url} ${r.access?.action}${r.access?.target ? ' target' : ''}`)
      .sort();
    assert.deepEqual(declared, EXPECTED_ROUTES);
  });

  it('refuses an organisation administrator every route of another organisation, with an access.denied entry each', async () => {
    const store = getStore();
    const routes = app.declaredRoutes.filter((r) => r.url.startsWith('/admin/organisations/:org') && r.method !== 'HEAD');
    assert.ok(routes.length >= 18);
    for (const route of routes) {
      const url = route.url.replace(':org', B.id).replace(':person', memberB.id);
      const since = await lastSequence(store);
      const res = route.method === 'GET' ? await get(app, url, asAdminA) : await post(app, url, asAdminA, { role: 'org_admin', reason: 'x', session: 'a'.repeat(64), email: 'x@example.test', name: 'X' });
      assert.equal(res.statusCode, 403, `${route.method} ${url} answered ${res.statusCode}`);
      assert.ok(!res.body.includes('Bertha Confidential'), `${route.method} ${url} shows the person`);
      const entries = await auditAfter(store, since);
      assert.deepEqual(entries.map((e) => e.action), ['access.denied'], `${route.method} ${url}`);
      assert.equal(entries[0]!.actor_id, adminA.id);
      assert.equal(JSON.parse(entries[0]!.details!).route, route.url);
    }
    // Nothing about B or its people changed.
    assert.deepEqual((await heldRoles(store.db, memberB.id)).map((r) => [r.organisationId, r.role]), [[B.id, 'member']]);
    assert.equal((await findPersonById(store.db, memberB.id))?.status, 'active');
    assert.equal((await store.db.selectFrom('organisations').select('status').where('id', '=', B.id).executeTakeFirstOrThrow()).status, 'active');
  });

  it('answers 404, not the person, when another organisation’s person is asked for through your own organisation', async () => {
    const store = getStore();
    for (const suffix of ['', '/suspend', '/remove']) {
      const res = await get(app, `/admin/organisations/${A.id}/people/${memberB.id}${suffix}`, asAdminA);
      assert.equal(res.statusCode, 404, suffix);
      assert.ok(!res.body.includes('Bertha Confidential') && !res.body.includes(memberB.email), suffix);
    }
    for (const [suffix, fields] of [['/suspend', {}], ['/roles', { role: 'member' }], ['/remove', {}], ['/sessions/end-all', {}]] as const) {
      const res = await post(app, `/admin/organisations/${A.id}/people/${memberB.id}${suffix}`, asAdminA, fields);
      assert.equal(res.statusCode, 404, suffix);
    }
    assert.equal((await findPersonById(store.db, memberB.id))?.status, 'active');
    assert.deepEqual((await heldRoles(store.db, memberB.id)).map((r) => r.organisationId), [B.id]);
  });

  it('gives the same 403 whether or not someone belongs to an organisation you do not administer', async () => {
    const member = await get(app, `/admin/organisations/${B.id}/people/${memberB.id}`, asAdminA);
    const stranger = await get(app, `/admin/organisations/${B.id}/people/${memberA.id}`, asAdminA);
    const nobody = await get(app, `/admin/organisations/${B.id}/people/no-such-person`, asAdminA);
    assert.deepEqual([member.statusCode, stranger.statusCode, nobody.statusCode], [403, 403, 403]);
  });

  it('refuses a plain member, and an auditor, the administration pages', async () => {
    const store = getStore();
    for (const url of ['/admin', '/admin/organisations', '/admin/organisations/new', `/admin/organisations/${A.id}/people`, `/admin/organisations/${A.id}/people/${adminA.id}`, '/admin/audit']) {
      const since = await lastSequence(store);
      const res = await get(app, url, asMemberA);
      assert.equal(res.statusCode, 403, url);
      assert.deepEqual((await auditAfter(store, since)).map((e) => e.action), ['access.denied'], url);
    }
    const asAuditor = await signedInAs(app, auditorA.id);
    assert.equal((await get(app, '/admin', asAuditor)).statusCode, 403);
    assert.equal((await get(app, `/admin/organisations/${A.id}/people`, asAuditor)).statusCode, 403);
    assert.equal((await get(app, '/admin/audit', asAuditor)).statusCode, 200);
  });

  it('sends anonymous visitors to sign in, and refuses a POST without its CSRF token', async () => {
    const anonymous = await get(app, '/admin');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/sign-in\?next=%2Fadmin$/);
    const forged = await post(app, `/admin/organisations/${A.id}/people/${memberA.id}/suspend`, asAdminA, {}, { csrf: false });
    assert.equal(forged.statusCode, 403);
    assert.equal(forged.headers['x-error-code'], 'SC_ERR_CSRF');
    assert.equal((await findPersonById(getStore().db, memberA.id))?.status, 'active');
  });

  it('shows each administrator only what they administer', async () => {
    const mine = await get(app, '/admin', asAdminA);
    assert.equal(mine.statusCode, 200);
    assert.ok(mine.body.includes(A.name) && !mine.body.includes(B.name));
    assert.ok(!mine.body.includes('href="/admin/audit"') && !mine.body.includes('href="/admin/outbox"') && !mine.body.includes('href="/admin/organisations"'));
    const all = await get(app, '/admin', asPlatform);
    assert.ok(all.body.includes(A.name) && all.body.includes(B.name));
    assert.ok(all.body.includes('href="/admin/audit"') && all.body.includes('href="/admin/outbox"') && all.body.includes('href="/admin/organisations"'));
    const people = await get(app, `/admin/organisations/${A.id}/people`, asAdminA);
    assert.equal(people.statusCode, 200);
    assert.ok(people.body.includes('Alice Member') && !people.body.includes('Bertha Confidential'));
    assert.ok(!people.body.includes('Suspend this organisation'), 'only platform administrators manage organisations');
    const theirs = await get(app, `/admin/organisations/${B.id}/people/${memberB.id}`, asPlatform);
    assert.equal(theirs.statusCode, 200);
    assert.ok(theirs.body.includes('Bertha Confidential'));
  });
});
