import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { DM1_1WZ, east, errorSummary, getPage, insertMembership, insertScheme, policeForce, postForm, watchApp, watchAssociation } from './schemes.test-helper.ts';

describeEachStore('Watch area administration', (getStore) => {
  let app: FastifyInstance;
  let association: BrowserHeaders;
  let police: BrowserHeaders;
  let otherForce: BrowserHeaders;
  let coordinator: { id: string; email: string; headers: BrowserHeaders };

  before(async () => {
    const store = getStore();
    app = await watchApp(store);
    association = await signedInAs(app, (await seedPerson(store, { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] })).id);
    police = await signedInAs(app, (await seedPerson(store, { roles: [{ role: 'watch_admin', organisation: policeForce('demo') }] })).id);
    otherForce = await signedInAs(app, (await seedPerson(store, { roles: [{ role: 'watch_admin', organisation: watchAssociation('elsewhere') }] })).id);
    const person = await seedPerson(store, { email: 'coordinator@example.test' });
    coordinator = { id: person.id, email: person.email, headers: await signedInAs(app, person.id) };
  });
  after(async () => {
    await app?.close();
  });

  const db = () => getStore().db;
  const scheme = (id: string) => db().selectFrom('watch_schemes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const pendingWithCoordinator = async (name: string, metresEast: number) => {
    const id = await insertScheme(getStore(), { name, centre: east(DM1_1WZ, metresEast), status: 'pending', createdBy: coordinator.id });
    await insertMembership(getStore(), id, coordinator.id, 'coordinator', 'Chris Coordinator');
    return id;
  };

  it('flags a pending scheme whose area overlaps another scheme', async () => {
    const existing = await insertScheme(getStore(), { name: 'Existing Street', centre: east(DM1_1WZ, 3000), halfMetres: 200 });
    const overlapping = await pendingWithCoordinator('Overlapping Street', 3250);
    const apart = await pendingWithCoordinator('Separate Street', 3700);
    const list = await getPage(app, '/watch/admin', association);
    assert.equal(list.statusCode, 200);
    const row = (id: string) => new RegExp(`data-scheme-id="${id}"[\\s\\S]*?</tr>`).exec(list.body)?.[0] ?? '';
    assert.match(row(overlapping), /Overlaps 1 scheme[\s\S]*Existing Street/);
    assert.doesNotMatch(row(apart), /Overlaps/);
    const detail = await getPage(app, `/watch/admin/schemes/${overlapping}`, association);
    assert.match(detail.body, /id="overlap-warning"/);
    assert.match(detail.body, new RegExp(`href="/watch/admin/schemes/${existing}">Existing Street`));
  });

  it('approves with the badge of the administrator’s organisation, or as self-declared, and tells the coordinator', async () => {
    const byAssociation = await pendingWithCoordinator('Association Approved', 5000);
    const byPolice = await pendingWithCoordinator('Police Approved', 5500);
    const selfDeclared = await pendingWithCoordinator('Self Declared', 6000);
    assert.equal((await postForm(app, `/watch/admin/schemes/${byAssociation}/approve`, association, { badge: 'verified' })).statusCode, 303);
    assert.equal((await postForm(app, `/watch/admin/schemes/${byPolice}/approve`, police, { badge: 'verified' })).statusCode, 303);
    assert.equal((await postForm(app, `/watch/admin/schemes/${selfDeclared}/approve`, police, { badge: 'self_declared' })).statusCode, 303);
    assert.deepEqual([(await scheme(byAssociation)).badge, (await scheme(byPolice)).badge, (await scheme(selfDeclared)).badge], ['association_verified', 'police_verified', 'self_declared']);
    assert.equal((await scheme(byPolice)).status, 'active');
    const audit = await db().selectFrom('audit_log').select(['action', 'subject_type', 'details']).where('subject_id', '=', byPolice).execute();
    assert.equal(audit[0]?.action, 'record.update');
    assert.match(audit[0]?.details ?? '', /"change":"approve"/);
    const told = await db().selectFrom('outbox').select('to_address').where('subject', '=', 'Your Neighbourhood Watch scheme has been approved').execute();
    assert.ok(told.length >= 3 && told.every((m) => m.to_address === coordinator.email));
    // The public now finds it; approving it again changes nothing.
    assert.equal((await getPage(app, `/watch/schemes/${byPolice}`)).statusCode, 200);
    const again = await postForm(app, `/watch/admin/schemes/${byPolice}/approve`, police, { badge: 'verified' });
    assert.equal(again.statusCode, 400);
    assert.match(errorSummary(again.body)[0] ?? '', /The scheme is active, so it cannot be changed like that/);
  });

  it('refuses an administrator of another force, and audits the refusal', async () => {
    const id = await pendingWithCoordinator('Other Force Try', 6500);
    const refused = await postForm(app, `/watch/admin/schemes/${id}/approve`, otherForce, { badge: 'verified' });
    assert.equal(refused.statusCode, 403);
    assert.equal((await getPage(app, `/watch/admin/schemes/${id}`, otherForce)).statusCode, 403);
    assert.equal((await scheme(id)).status, 'pending');
    const denials = await db().selectFrom('audit_log').select('details').where('action', '=', 'access.denied').execute();
    assert.ok(denials.some((d) => (d.details ?? '').includes(id) && (d.details ?? '').includes('watch.administer')));
  });

  it('does not let a coordinator or member approve their own scheme, even one who is also an area administrator', async () => {
    const id = await pendingWithCoordinator('Own Scheme', 7000);
    assert.equal((await postForm(app, `/watch/admin/schemes/${id}/approve`, coordinator.headers, { badge: 'verified' })).statusCode, 403);
    const member = await seedPerson(getStore(), { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] });
    await insertMembership(getStore(), id, member.id, 'member', 'Morgan Member');
    const memberAdmin = await signedInAs(app, member.id);
    const page = await getPage(app, `/watch/admin/schemes/${id}`, memberAdmin);
    assert.match(page.body, /id="own-scheme"/);
    assert.doesNotMatch(page.body, /id="decision-approve"/);
    assert.equal((await postForm(app, `/watch/admin/schemes/${id}/approve`, memberAdmin, { badge: 'verified' })).statusCode, 403);
    assert.equal((await scheme(id)).status, 'pending');
    const denied = await db().selectFrom('audit_log').select(['actor_id', 'reason']).where('action', '=', 'access.denied').where('actor_id', '=', member.id).execute();
    assert.match(denied[0]?.reason ?? '', /belong to/);
  });

  it('audits a refusal by its own rule once, then counts the repeats and answers 429 (no flood of the chain)', async () => {
    const id = await pendingWithCoordinator('Flooded Scheme', 7200);
    const admin = await seedPerson(getStore(), { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] });
    await insertMembership(getStore(), id, admin.id, 'member', 'Fay Flood');
    const headers = await signedInAs(app, admin.id);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await postForm(app, `/watch/admin/schemes/${id}/approve`, headers, { badge: 'verified' })).statusCode);
    assert.deepEqual(statuses, [...Array(11).fill(403), ...Array(9).fill(429)]);
    const entries = await db().selectFrom('audit_log').select(['action', 'reason']).where('actor_id', '=', admin.id).execute();
    assert.deepEqual(entries.map((e) => e.action), ['access.denied'], 'one entry; the repeats wait for the summary');
    assert.match(entries[0]!.reason ?? '', /belong to/);
    assert.equal((await scheme(id)).status, 'pending');
  });

  it('suspends, reinstates, verifies, unverifies and rejects', async () => {
    const id = await insertScheme(getStore(), { name: 'Life Cycle', centre: east(DM1_1WZ, 7500) });
    await postForm(app, `/watch/admin/schemes/${id}/suspend`, police, {});
    assert.equal((await scheme(id)).status, 'suspended');
    assert.equal((await getPage(app, `/watch/schemes/${id}`)).statusCode, 404, 'hidden from the public');
    assert.equal((await getPage(app, `/watch/schemes/${id}`, police)).statusCode, 200, 'the administrator still sees it');
    await postForm(app, `/watch/admin/schemes/${id}/reinstate`, police, {});
    await postForm(app, `/watch/admin/schemes/${id}/verify`, police, {});
    assert.deepEqual([(await scheme(id)).status, (await scheme(id)).badge], ['active', 'police_verified']);
    await postForm(app, `/watch/admin/schemes/${id}/unverify`, police, {});
    assert.equal((await scheme(id)).badge, 'self_declared');
    const rejected = await pendingWithCoordinator('Rejected', 8000);
    await postForm(app, `/watch/admin/schemes/${rejected}/reject`, association, {});
    assert.equal((await scheme(rejected)).status, 'closed');
    assert.equal((await postForm(app, `/watch/admin/schemes/${id}/explode`, police, {})).statusCode, 404);
  });

  it('merges one scheme into another: members move, coordinators become deputies, the old page redirects', async () => {
    const store = getStore();
    const from = await insertScheme(store, { name: 'Merge From', centre: east(DM1_1WZ, 9000) });
    const into = await insertScheme(store, { name: 'Merge Into', centre: east(DM1_1WZ, 9200) });
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => seedPerson(store)));
    await insertMembership(store, from, a!.id, 'coordinator', 'Ann From');
    await insertMembership(store, from, b!.id, 'member', 'Bob Both');
    await insertMembership(store, from, c!.id, 'member', 'Cat Mover');
    await insertMembership(store, into, d!.id, 'coordinator', 'Dee Into');
    await insertMembership(store, into, b!.id, 'member', 'Bob Both');
    const detail = await getPage(app, `/watch/admin/schemes/${from}`, association);
    assert.match(detail.body, new RegExp(`<option value="${into}">Merge Into</option>`));
    const merged = await postForm(app, `/watch/admin/schemes/${from}/merge`, association, { into });
    assert.equal(merged.statusCode, 303);
    const old = await scheme(from);
    assert.deepEqual([old.status, old.merged_into], ['merged', into]);
    const intoMembers = await db().selectFrom('watch_memberships').select(['person_id', 'role', 'status']).where('scheme_id', '=', into).orderBy('name').execute();
    const byPerson = new Map(intoMembers.map((m) => [m.person_id, `${m.role}/${m.status}`]));
    assert.equal(byPerson.get(a!.id), 'deputy/active');
    assert.equal(byPerson.get(b!.id), 'member/active');
    assert.equal(byPerson.get(c!.id), 'member/active');
    assert.equal(byPerson.get(d!.id), 'coordinator/active');
    assert.equal(intoMembers.length, 4, 'no one twice');
    const left = await db().selectFrom('watch_memberships').select('status').where('scheme_id', '=', from).execute();
    assert.ok(left.every((m) => m.status === 'removed'));
    const redirect = await getPage(app, `/watch/schemes/${from}`);
    assert.equal(redirect.statusCode, 301);
    assert.equal(redirect.headers.location, `/watch/schemes/${into}`);
    const refused = await postForm(app, `/watch/admin/schemes/${into}/merge`, association, { into });
    assert.equal(refused.statusCode, 400, 'not into itself');
    // An administrator who coordinates the receiving scheme may not merge another into it.
    const third = await insertScheme(store, { name: 'Merge Third', centre: east(DM1_1WZ, 9400) });
    const involvedAdmin = await seedPerson(store, { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] });
    await insertMembership(store, into, involvedAdmin.id, 'deputy', 'Ivy Involved');
    const own = await postForm(app, `/watch/admin/schemes/${third}/merge`, await signedInAs(app, involvedAdmin.id), { into });
    assert.equal(own.statusCode, 403);
    assert.equal((await scheme(third)).status, 'active');
  });

  it('sends anonymous visitors to sign in, and refuses people without the role', async () => {
    const anonymous = await getPage(app, '/watch/admin');
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/sign-in/);
    assert.equal((await getPage(app, '/watch/admin', coordinator.headers)).statusCode, 403);
  });
});
