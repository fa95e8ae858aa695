import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { peekAccountToken } from '../accounts/account-tokens.repository.ts';
import { findPersonByEmail, type Person } from '../accounts/people.repository.ts';
import { heldRoles } from '../organisations/organisations.repository.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { adminApp, assertRedirect, auditAfter, changesAfter, council, get, lastSequence, oneChange, post } from './admin.test-helper.ts';

async function mailTo(store: Store, address: string) {
  return store.db.selectFrom('outbox').selectAll().where('to_address', '=', address).orderBy('id').execute();
}

function tokenIn(text: string): string {
  const match = /\/invitation\?token=([A-Za-z0-9_-]{43})/.exec(text);
  assert.ok(match, `no invitation link in: ${text.slice(0, 300)}`);
  return match[1]!;
}

describeEachStore('administration: inviting people', (getStore) => {
  let app: FastifyInstance;
  const A = council('Eastshire Council');
  let adminA: Person, platformOrgAdmin: Person;
  let asAdminA: BrowserHeaders, asPlatformOrgAdmin: BrowserHeaders, asPlatform: BrowserHeaders;
  const invitePath = `/admin/organisations/${A.id}/people/invite`;

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    adminA = await seedPerson(store, { displayName: 'Ada Admin', roles: [{ role: 'org_admin', organisation: A }] });
    // An organisation administrator of the platform operator itself: may invite there, but not make platform administrators.
    platformOrgAdmin = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: PLATFORM_ORGANISATION }] });
    const platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    asAdminA = await signedInAs(app, adminA.id);
    asPlatformOrgAdmin = await signedInAs(app, platformOrgAdmin.id);
    asPlatform = await signedInAs(app, platform.id);
  });
  after(async () => app?.close());

  it('creates an unverified person with the role, and queues an invitation whose link works', async () => {
    const store = getStore();
    const email = `new-${Date.now()}@example.test`;
    const since = await lastSequence(store);
    const res = await post(app, invitePath, asAdminA, { email: email.toUpperCase(), name: 'Nina New', role: 'member' });
    const person = await findPersonByEmail(store.db, email);
    assert.ok(person);
    assertRedirect(res, `/admin/organisations/${A.id}/people?done=invited`);
    assert.equal(person.status, 'unverified');
    assert.equal(person.password_hash, null);
    assert.equal(person.display_name, 'Nina New');
    assert.deepEqual((await store.db.selectFrom('memberships').select(['organisation_id', 'role', 'granted_by']).where('person_id', '=', person.id).execute()), [
      { organisation_id: A.id, role: 'member', granted_by: adminA.id },
    ]);

    const mail = await mailTo(store, email);
    assert.equal(mail.length, 1);
    assert.equal(mail[0]!.template, 'invitation');
    assert.match(mail[0]!.text_body, new RegExp(A.name));
    assert.match(mail[0]!.text_body, /Ada Admin/);
    const token = tokenIn(mail[0]!.text_body);
    const grant = await peekAccountToken(store.db, 'invite', token, new Date());
    assert.equal(grant?.personId, person.id);
    assert.equal(grant?.details.organisationId, A.id);
    assert.equal(grant?.details.role, 'member');
    const page = await get(app, `/invitation?token=${token}`);
    assert.equal(page.statusCode, 200, 'the emailed link opens the invitation page');

    const entry = await oneChange(store, since, 'account.invite');
    assert.equal(entry.actor_id, adminA.id);
    assert.equal(entry.actor_org, A.id);
    assert.equal(entry.subject_id, person.id);
    assert.deepEqual(entry.parsed, { organisationId: A.id, role: 'member', newAccount: true, roleGranted: true });

    const shown = await get(app, String(res.headers.location), asAdminA);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Invitation sent/);
    assert.match(shown.body, /Nina New/);
  });

  it('sends a new invitation when someone not yet set up is invited again; the old link stops working', async () => {
    const store = getStore();
    const email = `again-${Date.now()}@example.test`;
    await post(app, invitePath, asAdminA, { email, name: 'Ann Again', role: 'member' });
    const first = tokenIn((await mailTo(store, email))[0]!.text_body);
    const since = await lastSequence(store);
    const res = await post(app, invitePath, asAdminA, { email, name: 'Ann Again', role: 'member' });
    assert.equal(res.statusCode, 303);
    const mail = await mailTo(store, email);
    assert.equal(mail.length, 2);
    const second = tokenIn(mail[1]!.text_body);
    assert.equal(await peekAccountToken(store.db, 'invite', first, new Date()), null);
    assert.ok(await peekAccountToken(store.db, 'invite', second, new Date()));
    await oneChange(store, since, 'account.invite');
  });

  it('gives someone with an account the role only when they accept, answering as for a new address', async () => {
    const store = getStore();
    const existing = await seedPerson(store, { passwordHash: 'x', roles: [{ role: 'member', organisation: council() }] });
    const since = await lastSequence(store);
    const res = await post(app, invitePath, asAdminA, { email: existing.email, name: 'Ignored Name', role: 'auditor' });
    const fresh = await post(app, invitePath, asAdminA, { email: `brand-new-${Date.now()}@example.test`, name: 'New Person', role: 'auditor' });
    // The same answer whether or not the address had an account: nothing to enumerate.
    assertRedirect(res, `/admin/organisations/${A.id}/people?done=invited`);
    assertRedirect(fresh, `/admin/organisations/${A.id}/people?done=invited`);
    // No role yet, so the inviting administrator has no authority over the account.
    assert.ok(!(await heldRoles(store.db, existing.id)).some((r) => r.organisationId === A.id && r.role === 'auditor'));
    assert.equal((await get(app, `/admin/organisations/${A.id}/people/${existing.id}`, asAdminA)).statusCode, 404);
    const mail = await mailTo(store, existing.email);
    assert.deepEqual(mail.map((m) => m.template), ['invitation']);
    assert.match(mail[0]!.text_body, new RegExp(A.name));
    const entry = (await changesAfter(store, since)).find((e) => e.subject_id === existing.id);
    assert.equal(entry?.action, 'account.invite');
    assert.deepEqual(JSON.parse(entry?.details ?? '{}'), { organisationId: A.id, role: 'auditor', newAccount: false, roleGranted: false });
  });

  it('refuses a role the organisation’s type cannot hold, saying which types can', async () => {
    const store = getStore();
    const email = `officer-${Date.now()}@example.test`;
    const since = await lastSequence(store);
    const res = await post(app, invitePath, asAdminA, { email, name: 'Olly Officer', role: 'neighbourhood_officer' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['x-error-code'], 'SC_ERR_ROLE_NOT_ALLOWED');
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /The neighbourhood officer role can only be held in: neighbourhood policing team\. This is a local authority\./);
    assert.equal(await findPersonByEmail(store.db, email), undefined);
    assert.deepEqual(await changesAfter(store, since), []);
    assert.deepEqual(await mailTo(store, email), []);
    const form = await get(app, invitePath, asAdminA);
    assert.ok(form.body.includes('value="member"') && !form.body.includes('value="neighbourhood_officer"') && !form.body.includes('value="platform_admin"'));
    // The same rule when a role is added on a person's page.
    const officer = await seedPerson(store, { roles: [{ role: 'member', organisation: A }] });
    const added = await post(app, `/admin/organisations/${A.id}/people/${officer.id}/roles`, asAdminA, { role: 'force_admin' });
    assert.equal(added.statusCode, 400);
    assert.equal(added.headers['x-error-code'], 'SC_ERR_ROLE_NOT_ALLOWED');
    assert.match(added.body, /can only be held in: police force/);
  });

  it('lets only a platform administrator grant platform_admin', async () => {
    const store = getStore();
    const path = `/admin/organisations/${PLATFORM_ORGANISATION.id}/people/invite`;
    const email = `climber-${Date.now()}@example.test`;
    const form = await get(app, path, asPlatformOrgAdmin);
    assert.equal(form.statusCode, 200);
    assert.ok(!form.body.includes('value="platform_admin"'));
    const since = await lastSequence(store);
    const refused = await post(app, path, asPlatformOrgAdmin, { email, name: 'Clare Climber', role: 'platform_admin' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /Only a platform administrator can grant the platform administrator role/);
    assert.equal(await findPersonByEmail(store.db, email), undefined);
    const entries = await auditAfter(store, since);
    assert.deepEqual(entries.map((e) => e.action), ['access.denied']);
    assert.equal(JSON.parse(entries[0]!.details!).wanted, 'person.invite');

    const colleague = await seedPerson(store, { roles: [{ role: 'member', organisation: PLATFORM_ORGANISATION }] });
    const promote = await post(app, `/admin/organisations/${PLATFORM_ORGANISATION.id}/people/${colleague.id}/roles`, asPlatformOrgAdmin, { role: 'platform_admin' });
    assert.equal(promote.statusCode, 403);
    assert.ok(!(await heldRoles(store.db, colleague.id)).some((r) => r.role === 'platform_admin'));

    assert.ok((await get(app, path, asPlatform)).body.includes('value="platform_admin"'));
    const granted = await post(app, path, asPlatform, { email, name: 'Clare Climber', role: 'platform_admin' });
    assert.equal(granted.statusCode, 303);
    const person = await findPersonByEmail(store.db, email);
    assert.deepEqual((await store.db.selectFrom('memberships').select('role').where('person_id', '=', person!.id).execute()).map((r) => r.role), ['platform_admin']);
  });

  it('names each problem with the form, and refuses closed accounts and suspended organisations', async () => {
    const store = getStore();
    const bad = await post(app, invitePath, asAdminA, { email: 'not an address', name: '', role: '' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers['x-error-code'], 'SC_ERR_INVALID_FORM');
    assert.match(bad.body, /<title>Error: /);
    for (const [href, text] of [['#email', 'Enter an email address in the correct format'], ['#name', 'Enter their full name'], ['#role', 'Select a role']]) {
      assert.match(bad.body, new RegExp(`href="${href}">${text}`));
    }
    assert.match(bad.body, /value="not an address"/, 'what was typed is kept');

    const closed = await seedPerson(store, { status: 'removed' });
    const since = await lastSequence(store);
    const refused = await post(app, invitePath, asAdminA, { email: closed.email, name: 'Closed', role: 'member' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /was closed/);
    assert.deepEqual(await heldRoles(store.db, closed.id), []);

    const S = council('Suspended Council');
    const adminS = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: S }] });
    await store.db.updateTable('organisations').set({ status: 'suspended' }).where('id', '=', S.id).execute();
    // A suspended organisation grants nothing: its administrator is refused outright.
    const asAdminS = await signedInAs(app, adminS.id);
    const blocked = await post(app, `/admin/organisations/${S.id}/people/invite`, asAdminS, { email: `s-${Date.now()}@example.test`, name: 'S', role: 'member' });
    assert.equal(blocked.statusCode, 403);
    const byPlatform = await post(app, `/admin/organisations/${S.id}/people/invite`, asPlatform, { email: `s-${Date.now()}@example.test`, name: 'S', role: 'member' });
    assert.equal(byPlatform.statusCode, 400);
    assert.match(byPlatform.body, /This organisation is suspended/);
    assert.deepEqual((await changesAfter(store, since)).map((e) => e.action), ['access.denied']);
  });
});
