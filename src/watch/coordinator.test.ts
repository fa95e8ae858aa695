import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../audit/audit.repository.ts';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { findMembership } from './membership.repository.ts';
import { addMember, getPage, mailTo, memberOf, postForm, seedScheme, testApp } from './membership.test-helper.ts';
import { findScheme } from './schemes.repository.ts';

describeEachStore('Watch coordinator tools', (getStore) => {
  let store: Store;
  let app: FastifyInstance;

  before(async () => {
    store = getStore();
    ({ app } = await testApp(store));
  });
  after(async () => {
    await app.close();
  });

  const as = (personId: string) => signedInAs(app, personId, 'full', app.ctx.now());

  it('shows members’ names and streets to the scheme’s coordinator and deputies only, and never an email address', async () => {
    const s = await seedScheme(store);
    const other = await seedScheme(store);
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member', 'Orchard Close');
    const deputy = await memberOf(app, s.scheme.id, 'deputy', 'Dee Deputy', 'Church Road');
    const url = `/watch/coordinate/${s.scheme.id}/members`;

    const seen = await getPage(app, url, await as(s.coordinator.id));
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Mo Member/);
    assert.match(seen.body, /Orchard Close/);
    assert.ok(!seen.body.includes(member.person.email) && !seen.body.includes(deputy.person.email), 'no email addresses');
    assert.equal((await getPage(app, url, deputy.headers)).statusCode, 200);

    const refused = await getPage(app, url, member.headers);
    assert.equal(refused.statusCode, 403);
    assert.ok(!refused.body.includes('Orchard Close'));
    assert.equal((await getPage(app, url, await as(other.coordinator.id))).statusCode, 403, 'another scheme’s coordinator');
    const anonymous = await getPage(app, url);
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/sign-in/);
  });

  it('approves and declines applications, tells the applicant, and shows the coordinator no address', async () => {
    const s = await seedScheme(store);
    const ann = await seedPerson(store, { displayName: 'Ann Applicant' });
    const bob = await seedPerson(store, { displayName: 'Bob Applicant' });
    await addMember(store, s.scheme.id, ann, 'member', 'Ann Applicant', 'Mill Lane', 'pending');
    await addMember(store, s.scheme.id, bob, 'member', 'Bob Applicant', 'Far Away Road', 'pending');
    await store.db.updateTable('watch_memberships').set({ outside_area: 1 }).where('person_id', '=', bob.id).execute();
    const coordinator = await as(s.coordinator.id);

    const list = await getPage(app, `/watch/coordinate/${s.scheme.id}/applications`, coordinator);
    assert.match(list.body, /Ann Applicant/);
    assert.match(list.body, /May be outside the area/);
    assert.ok(!list.body.includes(ann.email) && !list.body.includes(bob.email));

    assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/applications/${ann.id}`, coordinator, { decision: 'approve' })).statusCode, 303);
    assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/applications/${bob.id}`, coordinator, { decision: 'decline' })).statusCode, 303);
    assert.equal((await findMembership(store.db, s.scheme.id, ann.id))?.status, 'active');
    assert.equal((await findMembership(store.db, s.scheme.id, ann.id))?.decided_by, s.coordinator.id);
    assert.equal((await findMembership(store.db, s.scheme.id, bob.id))?.status, 'declined');
    const toAnn = (await mailTo(store, ann.email)).at(-1)!;
    assert.match(toAnn.subject, /You have joined/);
    assert.ok(!toAnn.text.includes(s.coordinator.email));
    assert.match((await mailTo(store, bob.email)).at(-1)!.text, /not accepted/);
    assert.ok((await listAudit(store, { subjectType: 'watch_membership', subjectId: `${s.scheme.id}/${ann.id}` })).some((e) => e.details?.includes('approved')));

    // A decision made already cannot be made again by a second click.
    await postForm(app, `/watch/coordinate/${s.scheme.id}/applications/${bob.id}`, coordinator, { decision: 'approve' });
    assert.equal((await findMembership(store.db, s.scheme.id, bob.id))?.status, 'declined');
  });

  it('refuses a decision on someone with no pending application, says so, and audits nothing', async () => {
    const s = await seedScheme(store);
    const stranger = await seedPerson(store, { displayName: 'Never Applied' });
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    const coordinator = await as(s.coordinator.id);
    for (const [who, decision] of [[stranger.id, 'approve'], [stranger.id, 'decline'], [member.person.id, 'decline'], ['no-such-person', 'approve']] as const) {
      const res = await postForm(app, `/watch/coordinate/${s.scheme.id}/applications/${who}`, coordinator, { decision });
      assert.equal(res.statusCode, 409, `${decision} ${who}`);
      assert.equal(res.headers['x-error-code'], 'SC_ERR_MEMBERSHIP_STALE');
      assert.match(res.body, /no application waiting for a decision/);
      assert.doesNotMatch(res.body, /Application (approved|declined)/);
      assert.equal((await listAudit(store, { subjectType: 'watch_membership', subjectId: `${s.scheme.id}/${who}` })).length, 0, 'nothing audited');
    }
    assert.equal(await findMembership(store.db, s.scheme.id, stranger.id), undefined, 'no membership made');
    assert.equal((await findMembership(store.db, s.scheme.id, member.person.id))?.status, 'active', 'a member stays one');

    // Naming or standing down a deputy who is not one is refused the same way.
    for (const [who, change] of [[stranger.id, 'add'], [member.person.id, 'remove']] as const) {
      const res = await postForm(app, `/watch/coordinate/${s.scheme.id}/deputies`, coordinator, { person: who, change });
      assert.equal(res.statusCode, 409, `${change} ${who}`);
      assert.doesNotMatch(res.body, /Deputy (added|stood down)/);
    }
  });

  it('adds and removes deputies from active members', async () => {
    const s = await seedScheme(store);
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    const coordinator = await as(s.coordinator.id);
    await postForm(app, `/watch/coordinate/${s.scheme.id}/deputies`, coordinator, { person: member.person.id, change: 'add' });
    assert.equal((await findMembership(store.db, s.scheme.id, member.person.id))?.role, 'deputy');
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}/members`, await as(member.person.id))).statusCode, 200, 'the new deputy can use the tools');
    await postForm(app, `/watch/coordinate/${s.scheme.id}/deputies`, coordinator, { person: member.person.id, change: 'remove' });
    assert.equal((await findMembership(store.db, s.scheme.id, member.person.id))?.role, 'member');
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}/members`, await as(member.person.id))).statusCode, 403, 'and then cannot');
    // The coordinator cannot be made a deputy by this form.
    await postForm(app, `/watch/coordinate/${s.scheme.id}/deputies`, coordinator, { person: s.coordinator.id, change: 'remove' });
    assert.equal((await findMembership(store.db, s.scheme.id, s.coordinator.id))?.role, 'coordinator');
  });

  it('removes a member after a confirmation, tells them, and cannot remove a deputy or the coordinator', async () => {
    const s = await seedScheme(store);
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member', 'Orchard Close');
    const deputy = await memberOf(app, s.scheme.id, 'deputy', 'Dee Deputy');
    const coordinator = await as(s.coordinator.id);
    const confirm = await getPage(app, `/watch/coordinate/${s.scheme.id}/members/${member.person.id}/remove`, coordinator);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Remove Mo Member from the scheme\?/);
    // A deputy may remove a member too.
    const removed = await postForm(app, `/watch/coordinate/${s.scheme.id}/members/${member.person.id}/remove`, deputy.headers, {});
    assert.equal(removed.statusCode, 303);
    assert.equal((await findMembership(store.db, s.scheme.id, member.person.id))?.status, 'removed');
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}/members`, coordinator)).body.includes('Mo Member'), false);
    const told = (await mailTo(store, member.person.email)).at(-1);
    assert.match(told?.subject ?? '', /no longer a member/);
    assert.ok(!(told?.text ?? '').includes(deputy.person.email), 'the email names nobody’s address');
    assert.ok((await listAudit(store, { subjectType: 'watch_membership', subjectId: `${s.scheme.id}/${member.person.id}` })).some((e) => (e.details ?? '').includes('removed_by_coordinator')));
    for (const target of [deputy.person.id, s.coordinator.id]) {
      assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/members/${target}/remove`, coordinator, {})).statusCode, 404);
      assert.equal((await findMembership(store.db, s.scheme.id, target))?.status, 'active');
    }
  });

  it('does not let a deputy hand the scheme over or close it', async () => {
    const s = await seedScheme(store);
    const deputy = await memberOf(app, s.scheme.id, 'deputy', 'Dee Deputy');
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}/hand-over`, deputy.headers)).statusCode, 403);
    assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/hand-over`, deputy.headers, { person: deputy.person.id })).statusCode, 403);
    assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/close`, deputy.headers, { confirm: 'yes' })).statusCode, 403);
    assert.equal((await findMembership(store.db, s.scheme.id, deputy.person.id))?.role, 'deputy');
    assert.equal((await findScheme(store.db, s.scheme.id))?.status, 'active');
  });

  it('hands the scheme over: the new coordinator leads, the old one becomes a deputy', async () => {
    const s = await seedScheme(store);
    const member = await memberOf(app, s.scheme.id, 'member', 'Nell Next');
    const outsider = await seedPerson(store);
    const coordinator = await as(s.coordinator.id);
    const refused = await postForm(app, `/watch/coordinate/${s.scheme.id}/hand-over`, coordinator, { person: outsider.id });
    assert.equal(refused.statusCode, 400, 'only to an active member');
    const done = await postForm(app, `/watch/coordinate/${s.scheme.id}/hand-over`, coordinator, { person: member.person.id });
    assert.equal(done.statusCode, 303);
    assert.equal((await findMembership(store.db, s.scheme.id, member.person.id))?.role, 'coordinator');
    assert.equal((await findMembership(store.db, s.scheme.id, s.coordinator.id))?.role, 'deputy');
    assert.match((await mailTo(store, member.person.email)).at(-1)!.subject, /now the coordinator/);
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}/close`, await as(s.coordinator.id))).statusCode, 403, 'the old coordinator no longer leads');
  });

  it('closes the scheme and tells its members', async () => {
    const s = await seedScheme(store);
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    const coordinator = await as(s.coordinator.id);
    assert.equal((await postForm(app, `/watch/coordinate/${s.scheme.id}/close`, coordinator, {})).statusCode, 400, 'needs the box ticked');
    const closed = await postForm(app, `/watch/coordinate/${s.scheme.id}/close`, coordinator, { confirm: 'yes' });
    assert.equal(closed.statusCode, 200);
    assert.equal((await findScheme(store.db, s.scheme.id))?.status, 'closed');
    assert.match((await mailTo(store, member.person.email)).at(-1)!.subject, /has closed/);
    assert.equal((await getPage(app, `/watch/coordinate/${s.scheme.id}`, await as(s.coordinator.id))).statusCode, 403, 'a closed scheme has no tools');
    assert.ok((await listAudit(store, { subjectType: 'watch_scheme', subjectId: s.scheme.id })).some((e) => e.details?.includes('closed')));
  });
});
