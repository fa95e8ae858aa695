import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findPersonById, type Person } from '../accounts/people.repository.ts';
import { demoForce, demoNeighbourhoods } from '../demo/neighbourhoods.ts';
import { saveForce, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import { findOrganisation, heldRoles } from '../organisations/organisations.repository.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { adminApp, assertRedirect, changesAfter, council, get, lastSequence, oneChange, post } from './admin.test-helper.ts';

describeEachStore('administration: organisations', (getStore) => {
  let app: FastifyInstance;
  let asPlatform: BrowserHeaders;
  const neighbourhood = demoNeighbourhoods('2026-09')[0]!;

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    await saveForce(store.db, demoForce());
    await saveNeighbourhood(store.db, 'demo', neighbourhood);
    const platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    asPlatform = await signedInAs(app, platform.id);
  });
  after(async () => app?.close());

  it('creates an organisation with one organisation.create entry', async () => {
    const store = getStore();
    assert.equal((await get(app, '/admin/organisations/new', asPlatform)).statusCode, 200);
    const since = await lastSequence(store);
    const res = await post(app, '/admin/organisations', asPlatform, { id: 'north-shire-council', name: 'North Shire Council', type: 'local_authority', tier: 'local', forceId: 'demo', neighbourhoodId: '' });
    assertRedirect(res, '/admin/organisations/north-shire-council/people?done=organisation-created');
    const org = await findOrganisation(store.db, 'north-shire-council');
    assert.deepEqual(org && [org.name, org.type, org.tier, org.force_id, org.neighbourhood_id, org.status], ['North Shire Council', 'local_authority', 'local', 'demo', null, 'active']);
    const entry = await oneChange(store, since, 'organisation.create');
    assert.equal(entry.subject_type, 'organisation');
    assert.equal(entry.subject_id, 'north-shire-council');
    assert.equal(entry.actor_org, PLATFORM_ORGANISATION.id);
    const list = await get(app, '/admin/organisations', asPlatform);
    assert.match(list.body, /North Shire Council/);
    const people = await get(app, String(res.headers.location), asPlatform);
    assert.match(people.body, /Organisation created/);
  });

  it('creates a neighbourhood team only for a neighbourhood that exists in its force', async () => {
    const store = getStore();
    const team = { name: 'Team', type: 'neighbourhood_team', tier: 'local' };
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ id: 'team-a', forceId: '', neighbourhoodId: '' }, 'forceId', /a neighbourhood team belongs to a force/],
      [{ id: 'team-a', forceId: 'demo', neighbourhoodId: '' }, 'neighbourhoodId', /a neighbourhood team has its own neighbourhood/],
      [{ id: 'team-a', forceId: 'nowhere', neighbourhoodId: neighbourhood.id }, 'forceId', /No force with this identifier/],
      [{ id: 'team-a', forceId: 'demo', neighbourhoodId: 'no-such-place' }, 'neighbourhoodId', /That force has no neighbourhood with this identifier/],
      [{ id: 'Team A', forceId: 'demo', neighbourhoodId: neighbourhood.id }, 'id', /Identifier must be lower-case letters and numbers/],
      [{ id: 'north-shire-council', forceId: 'demo', neighbourhoodId: neighbourhood.id }, 'id', /already exists/],
    ];
    const since = await lastSequence(store);
    for (const [fields, field, message] of cases) {
      const res = await post(app, '/admin/organisations', asPlatform, { ...team, ...fields });
      assert.equal(res.statusCode, 400, JSON.stringify(fields));
      assert.match(res.body, new RegExp(`href="#${field}">`), JSON.stringify(fields));
      assert.match(res.body, message);
    }
    const council = await post(app, '/admin/organisations', asPlatform, { id: 'c-x', name: 'C', type: 'charity', tier: 'local', neighbourhoodId: neighbourhood.id });
    assert.equal(council.statusCode, 400);
    assert.match(council.body, /Only a neighbourhood policing team has a neighbourhood/);
    const force = await post(app, '/admin/organisations', asPlatform, { id: 'f-x', name: 'F', type: 'police_force', tier: 'local' });
    assert.match(force.body, /Enter the force identifier of the police force/);
    const nothing = await post(app, '/admin/organisations', asPlatform, {});
    for (const field of ['id', 'name', 'type', 'tier']) assert.match(nothing.body, new RegExp(`href="#${field}">`));
    assert.deepEqual(await changesAfter(store, since), []);

    const ok = await post(app, '/admin/organisations', asPlatform, { ...team, id: 'team-demo-test', forceId: 'demo', neighbourhoodId: neighbourhood.id });
    assert.equal(ok.statusCode, 303);
    assert.equal((await findOrganisation(store.db, 'team-demo-test'))?.neighbourhood_id, neighbourhood.id);
  });

  it('is for platform administrators only', async () => {
    const store = getStore();
    const A = council();
    const adminA = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: A }] });
    const asAdminA = await signedInAs(app, adminA.id);
    assert.equal((await get(app, '/admin/organisations', asAdminA)).statusCode, 403);
    assert.equal((await post(app, '/admin/organisations', asAdminA, { id: 'sneaky', name: 'Sneaky', type: 'charity', tier: 'local' })).statusCode, 403);
    assert.equal(await findOrganisation(store.db, 'sneaky'), undefined);
    assert.equal((await post(app, `/admin/organisations/${A.id}/suspend`, asAdminA)).statusCode, 403);
    assert.equal((await findOrganisation(store.db, A.id))?.status, 'active');
  });

  it('suspends an organisation so its roles grant nothing, and reactivates it', async () => {
    const store = getStore();
    const A = council('Suspendable');
    const adminA: Person = await seedPerson(store, { roles: [{ role: 'org_admin', organisation: A }] });
    const asAdminA = await signedInAs(app, adminA.id);
    assert.equal((await get(app, `/admin/organisations/${A.id}/people`, asAdminA)).statusCode, 200);
    const before = (await findPersonById(store.db, adminA.id))!.privilege_version;
    assert.equal((await get(app, `/admin/organisations/${A.id}/suspend`, asPlatform)).statusCode, 200);
    const since = await lastSequence(store);
    assertRedirect(await post(app, `/admin/organisations/${A.id}/suspend`, asPlatform, { reason: 'Agreement ended' }), `/admin/organisations/${A.id}/people?done=organisation-suspended`);
    const entry = await oneChange(store, since, 'organisation.update');
    assert.equal(entry.reason, 'Agreement ended');
    assert.deepEqual(entry.parsed, { status: { from: 'active', to: 'suspended' }, membersAffected: 1 });
    assert.equal((await findOrganisation(store.db, A.id))?.status, 'suspended');
    assert.deepEqual(await heldRoles(store.db, adminA.id), []);
    assert.equal((await findPersonById(store.db, adminA.id))!.privilege_version, before + 1);
    assert.equal((await get(app, `/admin/organisations/${A.id}/people`, await signedInAs(app, adminA.id))).statusCode, 403);
    const shown = await get(app, `/admin/organisations/${A.id}/people`, asPlatform);
    assert.match(shown.body, /Reactivate organisation/);
    assert.ok(!shown.body.includes('Invite someone'));

    const again = await post(app, `/admin/organisations/${A.id}/suspend`, asPlatform);
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /already suspended/);

    const since2 = await lastSequence(store);
    assertRedirect(await post(app, `/admin/organisations/${A.id}/reactivate`, asPlatform), `/admin/organisations/${A.id}/people?done=organisation-reactivated`);
    await oneChange(store, since2, 'organisation.update');
    assert.deepEqual((await heldRoles(store.db, adminA.id)).map((r) => r.role), ['org_admin']);
    assert.equal((await post(app, '/admin/organisations/no-such-org/suspend', asPlatform)).statusCode, 404);
  });
});
