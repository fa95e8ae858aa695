import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findPersonById, type Person } from '../accounts/people.repository.ts';
import { heldRoles } from '../organisations/organisations.repository.ts';
import { sessionCookieNames } from '../sessions/session.plugin.ts';
import { hashSessionToken, listSessionsOf } from '../sessions/session.repository.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { adminApp, assertRedirect, auditAfter, changesAfter, council, get, isSignedIn, lastSequence, oneChange, post, setCookie } from './admin.test-helper.ts';

describeEachStore('administration: changing a person', (getStore) => {
  let app: FastifyInstance;
  const A = council('Westshire Council');
  const C = council('Other Council');
  let adminA: Person, platform: Person;
  let asAdminA: BrowserHeaders, asPlatform: BrowserHeaders;
  const cookieName = () => sessionCookieNames(app.ctx.config.COOKIE_SECURE).session;
  const page = (person: Person, suffix = '', org = A.id) => `/admin/organisations/${org}/people/${person.id}${suffix}`;
  const version = async (person: Person) => (await findPersonById(getStore().db, person.id))!.privilege_version;
  const member = (extra: Parameters<typeof seedPerson>[1] = {}) => seedPerson(getStore(), { passwordHash: 'x', roles: [{ role: 'member', organisation: A }], ...extra });

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    adminA = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: A }] });
    platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    asAdminA = await signedInAs(app, adminA.id);
    asPlatform = await signedInAs(app, platform.id);
  });
  after(async () => app?.close());

  it('suspends at once: the person’s next request with their old cookie is anonymous', async () => {
    const store = getStore();
    const victim = await member();
    const asVictim = await signedInAs(app, victim.id);
    assert.ok(isSignedIn(await get(app, '/', asVictim)));
    const before = await version(victim);
    const since = await lastSequence(store);
    assert.equal((await get(app, page(victim, '/suspend'), asAdminA)).statusCode, 200, 'confirmation page');
    const res = await post(app, page(victim, '/suspend'), asAdminA, { reason: 'Left the council' });
    assertRedirect(res, `${page(victim)}?done=suspended`);
    const next = await get(app, '/', asVictim);
    assert.ok(!isSignedIn(next));
    assert.deepEqual(await listSessionsOf(store.db, victim.id), []);
    assert.equal((await findPersonById(store.db, victim.id))?.status, 'suspended');
    assert.equal(await version(victim), before + 1);
    const entry = await oneChange(store, since, 'account.suspend');
    assert.equal(entry.actor_id, adminA.id);
    assert.equal(entry.actor_org, A.id);
    assert.equal(entry.subject_id, victim.id);
    assert.equal(entry.reason, 'Left the council');
    assert.deepEqual(entry.parsed, { organisationId: A.id, status: { from: 'active', to: 'suspended' }, sessionsEnded: 1 });
    const shown = await get(app, String(res.headers.location), asAdminA);
    assert.match(shown.body, /Account suspended and all its sessions ended/);
    assert.match(shown.body, /govuk-tag--orange">\s*Suspended/);

    const since2 = await lastSequence(store);
    assertRedirect(await post(app, page(victim, '/reactivate'), asAdminA), `${page(victim)}?done=reactivated`);
    assert.equal((await findPersonById(store.db, victim.id))?.status, 'active');
    assert.equal(await version(victim), before + 2);
    assert.deepEqual((await oneChange(store, since2, 'record.update')).parsed, { organisationId: A.id, status: { from: 'suspended', to: 'active' } });
  });

  it('gives a live session a new id after a role change: the old cookie stops working', async () => {
    const store = getStore();
    const person = await member();
    const asPerson = await signedInAs(app, person.id);
    const before = await version(person);
    const since = await lastSequence(store);
    assertRedirect(await post(app, page(person, '/roles'), asAdminA, { role: 'auditor' }), `${page(person)}?done=role-added`);
    assert.equal(await version(person), before + 1);
    assert.deepEqual((await oneChange(store, since, 'role.change')).parsed, { organisationId: A.id, added: 'auditor' });
    assert.ok((await heldRoles(store.db, person.id)).some((r) => r.role === 'auditor' && r.organisationId === A.id));

    const next = await get(app, '/', asPerson);
    const fresh = setCookie(next, cookieName());
    assert.ok(fresh, 'a new session cookie is set');
    assert.notEqual(fresh, asPerson.cookie);
    assert.ok(isSignedIn(next));
    assert.ok(!isSignedIn(await get(app, '/', asPerson)), 'the old cookie no longer works');
    assert.ok(isSignedIn(await get(app, '/', { ...asPerson, cookie: fresh })));

    const since2 = await lastSequence(store);
    assertRedirect(await post(app, page(person, '/roles/remove'), asAdminA, { role: 'auditor' }), `${page(person)}?done=role-removed`);
    assert.deepEqual((await oneChange(store, since2, 'role.change')).parsed, { organisationId: A.id, removed: 'auditor' });
    assert.equal(await version(person), before + 2);
  });

  it('never lets someone suspend or remove themselves or take away their own administrator role', async () => {
    const store = getStore();
    const since = await lastSequence(store);
    for (const [suffix, fields, message] of [
      ['/suspend', {}, /You cannot suspend yourself/],
      ['/remove', {}, /You cannot remove yourself/],
      ['/roles/remove', { role: 'org_admin' }, /You cannot take away your own administrator role/],
    ] as const) {
      const res = await post(app, page(adminA, suffix), asAdminA, fields);
      assert.equal(res.statusCode, 400, suffix);
      assert.match(res.body, message);
      assert.match(res.body, /govuk-error-summary/);
    }
    assert.equal((await findPersonById(store.db, adminA.id))?.status, 'active');
    assert.deepEqual((await heldRoles(store.db, adminA.id)).map((r) => r.role), ['org_admin']);
    assert.deepEqual(await changesAfter(store, since), []);
    const closeSelf = await post(app, page(platform, '/close', PLATFORM_ORGANISATION.id), asPlatform);
    assert.equal(closeSelf.statusCode, 400);
    assert.match(closeSelf.body, /You cannot close the account of yourself/);
  });

  it('leaves platform administrators to platform administrators, and never loses the last working one', async () => {
    const store = getStore();
    const P = PLATFORM_ORGANISATION.id;
    // Only `platform` and `second` are platform administrators in this store.
    const second = await seedPerson(store, { passwordHash: 'x', roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    const operatorAdmin = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: PLATFORM_ORGANISATION }] });
    const asOperatorAdmin = await signedInAs(app, operatorAdmin.id);
    assertRedirect(await post(app, page(second, '/suspend', P), asPlatform), /done=suspended/);

    const since = await lastSequence(store);
    // An organisation administrator of the operator has no authority over its platform administrators.
    for (const [suffix, fields] of [['/suspend', {}], ['/remove', {}], ['/roles/remove', { role: 'platform_admin' }], ['/sessions/end-all', {}]] as const) {
      const res = await post(app, page(platform, suffix, P), asOperatorAdmin, fields);
      assert.ok(res.statusCode === 400 || res.statusCode === 403, `${suffix}: ${res.statusCode}`);
      if (res.statusCode === 400) assert.match(res.body, /Only a platform administrator can change a platform administrator/);
    }
    const suspendOrg = await post(app, `/admin/organisations/${P}/suspend`, asPlatform, {});
    assert.equal(suspendOrg.statusCode, 400);
    assert.match(suspendOrg.body, /holds the last working platform administrator/);
    assert.deepEqual(await changesAfter(store, since), []);
    assert.equal((await findPersonById(store.db, platform.id))?.status, 'active');
    assert.equal((await store.db.selectFrom('organisations').select('status').where('id', '=', P).executeTakeFirstOrThrow()).status, 'active');

    // With another working platform administrator, the same change goes through.
    assertRedirect(await post(app, page(second, '/reactivate', P), asPlatform), /done=reactivated/);
    const since2 = await lastSequence(store);
    assertRedirect(await post(app, page(platform, '/roles/remove', P), await signedInAs(app, second.id), { role: 'platform_admin' }), /done=role-removed/);
    await oneChange(store, since2, 'role.change');
    // Put things back for the other tests.
    await store.db.insertInto('memberships').values({ person_id: platform.id, organisation_id: P, role: 'platform_admin', granted_by: null, created_at: new Date().toISOString() }).execute();
    asPlatform = await signedInAs(app, platform.id);
  });

  it('leaves account-wide actions to someone who administers every organisation the person is in', async () => {
    const store = getStore();
    const shared = await seedPerson(store, { roles: [{ role: 'member', organisation: A }, { role: 'member', organisation: C }] });
    const shown = await get(app, page(shared), asAdminA);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /only a platform administrator can suspend the account/);
    assert.ok(!shown.body.includes('/suspend"') && !shown.body.includes('id="sessions"'));
    assert.ok(!shown.body.includes(C.name), 'the other organisation is not named to someone who does not administer it');
    for (const suffix of ['/suspend', '/sessions/end-all']) {
      const since = await lastSequence(store);
      const res = await post(app, page(shared, suffix), asAdminA);
      assert.equal(res.statusCode, 403, suffix);
      assert.match(res.body, /belongs to organisations you do not administer/);
      assert.deepEqual((await auditAfter(store, since)).map((e) => e.action), ['access.denied']);
    }
    assert.equal((await findPersonById(store.db, shared.id))?.status, 'active');
    assertRedirect(await post(app, page(shared, '/suspend'), asPlatform), /done=suspended/);
  });

  it('removes someone from this organisation only, and closes a whole account only for a platform administrator', async () => {
    const store = getStore();
    const leaver = await seedPerson(store, { roles: [{ role: 'member', organisation: A }, { role: 'auditor', organisation: A }, { role: 'member', organisation: C }] });
    const asLeaver = await signedInAs(app, leaver.id);
    const before = await version(leaver);
    const since = await lastSequence(store);
    assertRedirect(await post(app, page(leaver, '/remove'), asAdminA, { reason: 'Moved team' }), `/admin/organisations/${A.id}/people?done=removed-here`);
    const entry = await oneChange(store, since, 'account.remove');
    assert.deepEqual(entry.parsed, { organisationId: A.id, scope: 'organisation', roles: ['auditor', 'member'] });
    assert.equal(entry.reason, 'Moved team');
    assert.deepEqual((await heldRoles(store.db, leaver.id)).map((r) => r.organisationId), [C.id]);
    assert.equal(await version(leaver), before + 1);
    assert.equal((await get(app, page(leaver), asAdminA)).statusCode, 404, 'no longer reachable through A');
    assert.ok(isSignedIn(await get(app, '/', { ...asLeaver, cookie: setCookie(await get(app, '/', asLeaver), cookieName())! })), 'their account still works');

    const closing = await seedPerson(store, { roles: [{ role: 'member', organisation: A }, { role: 'member', organisation: C }] });
    await signedInAs(app, closing.id);
    await store.db.insertInto('account_tokens').values({ token_hash: `h-${closing.id}`, purpose: 'recover', person_id: closing.id, details: '{}', created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 3_600_000).toISOString(), used_at: null }).execute();
    assert.equal((await get(app, page(closing, '/close'), asAdminA)).statusCode, 403);
    assert.ok(!(await get(app, page(closing), asAdminA)).body.includes('/close"'));
    const since2 = await lastSequence(store);
    assertRedirect(await post(app, page(closing, '/close'), asPlatform, { reason: 'Asked to leave' }), `/admin/organisations/${A.id}/people?done=closed`);
    const closed = await oneChange(store, since2, 'account.remove');
    assert.equal((closed.parsed as { scope: string }).scope, 'account');
    assert.equal((await findPersonById(store.db, closing.id))?.status, 'removed');
    assert.deepEqual(await heldRoles(store.db, closing.id), []);
    assert.deepEqual(await listSessionsOf(store.db, closing.id), []);
    assert.equal((await store.db.selectFrom('account_tokens').select('token_hash').where('person_id', '=', closing.id).execute()).length, 0);
  });

  it('ends one session or all of them, with one entry each time', async () => {
    const store = getStore();
    const person = await member();
    const first = await signedInAs(app, person.id);
    const second = await signedInAs(app, person.id);
    await signedInAs(app, person.id);
    const sessions = await listSessionsOf(store.db, person.id);
    assert.equal(sessions.length, 3);
    const shown = await get(app, page(person), asAdminA);
    for (const s of sessions) assert.ok(shown.body.includes(`value="${s.id_hash}"`));
    const firstHash = hashSessionToken(first.token!);
    assert.ok(sessions.some((s) => s.id_hash === firstHash));

    const since = await lastSequence(store);
    assertRedirect(await post(app, page(person, '/sessions/end'), asAdminA, { session: firstHash }), `${page(person)}?done=session-ended`);
    assert.deepEqual((await oneChange(store, since, 'auth.sign_out')).parsed, { organisationId: A.id, sessionsEnded: 1, endedBy: 'administrator' });
    assert.ok(!isSignedIn(await get(app, '/', first)));
    assert.ok(isSignedIn(await get(app, '/', second)));
    const again = await post(app, page(person, '/sessions/end'), asAdminA, { session: firstHash });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already ended/);

    const since2 = await lastSequence(store);
    assertRedirect(await post(app, page(person, '/sessions/end-all'), asAdminA), `${page(person)}?done=sessions-ended`);
    assert.equal(((await oneChange(store, since2, 'auth.sign_out')).parsed as { sessionsEnded: number }).sessionsEnded, 2);
    assert.deepEqual(await listSessionsOf(store.db, person.id), []);
    assert.ok(!isSignedIn(await get(app, '/', second)));
  });
});
