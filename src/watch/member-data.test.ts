import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../accounts/password.ts';
import { findPersonByEmail, findPersonById } from '../accounts/people.repository.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { anonymousVisitor, seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { findMembership } from './membership.repository.ts';
import { addMember, getPage, hiddenValue, INSIDE_POSTCODE, memberOf, postForm, resetThrottles, seedScheme, testApp, type TestClock } from './membership.test-helper.ts';

describeEachStore('members’ own Watch data', (getStore) => {
  let store: Store;
  let app: FastifyInstance;
  let clock: TestClock;

  before(async () => {
    store = getStore();
    ({ app, clock } = await testApp(store));
  });
  after(async () => {
    await app.close();
  });

  const as = (personId: string) => signedInAs(app, personId, 'full', clock.now);

  /** Writes to the scheme as the signed-in person. */
  async function writeTo(schemeId: string, headers: Awaited<ReturnType<typeof as>>, email: string) {
    await resetThrottles(store);
    const form = await getPage(app, `/watch/schemes/${schemeId}/message`, headers);
    clock.advance(5);
    return postForm(app, `/watch/schemes/${schemeId}/message`, headers, { name: 'Mo Member', email, subject: 'Hedges', message: 'Please trim them.', stamp: hiddenValue(form.body, 'stamp')! });
  }

  it('shows a member what is held about them, and only to them', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member', 'Orchard Close');
    const page = await getPage(app, '/account/watch', mo.headers);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Orchard Close/);
    assert.ok(page.body.includes(s.scheme.name));
    assert.ok(!page.body.includes('Carol Coordinator') && !page.body.includes(s.coordinator.email), 'nothing about other members');
    const anonymous = await getPage(app, '/account/watch');
    assert.equal(anonymous.statusCode, 303);
  });

  it('downloads memberships, conversations started and messages written as a JSON attachment', async () => {
    const s = await seedScheme(store);
    const other = await memberOf(app, s.scheme.id, 'member', 'Olive Other', 'Hidden Row');
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member', 'Orchard Close');
    assert.equal((await writeTo(s.scheme.id, mo.headers, mo.person.email)).statusCode, 200);
    const response = await getPage(app, '/account/watch/download', mo.headers);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-disposition']), /^attachment; filename=".+\.json"$/);
    const data = JSON.parse(response.body);
    assert.equal(data.account.email, mo.person.email);
    assert.deepEqual(data.memberships.map((m: { street: string; role: string }) => [m.street, m.role]), [['Orchard Close', 'member']]);
    assert.equal(data.conversationsStarted.length, 1);
    assert.equal(data.conversationsStarted[0].messages[0].body, 'Please trim them.');
    assert.equal(data.messagesWritten.length, 1);
    assert.ok(!response.body.includes('Hidden Row') && !response.body.includes(other.person.email), 'nobody else’s data');
  });

  it('lets a member leave, but not the last coordinator', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    assert.equal((await postForm(app, `/account/watch/${s.scheme.id}/leave`, mo.headers, {})).statusCode, 303);
    assert.equal((await findMembership(store.db, s.scheme.id, mo.person.id))?.status, 'left');

    const coordinator = await as(s.coordinator.id);
    const refused = await postForm(app, `/account/watch/${s.scheme.id}/leave`, coordinator, {});
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /Hand it over to another member/);
    const kept = await findMembership(store.db, s.scheme.id, s.coordinator.id);
    assert.deepEqual([kept?.status, kept?.role], ['active', 'coordinator']);
  });

  it('turns updates off and on from the member’s page', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    await postForm(app, `/account/watch/${s.scheme.id}/updates`, mo.headers, { updates: 'off' });
    assert.ok((await findMembership(store.db, s.scheme.id, mo.person.id))?.updates_opted_out_at);
    await postForm(app, `/account/watch/${s.scheme.id}/updates`, mo.headers, { updates: 'on' });
    assert.equal((await findMembership(store.db, s.scheme.id, mo.person.id))?.updates_opted_out_at, null);
  });

  it('deletes an account: memberships removed, conversations anonymised, sessions ended, the address free to use again', async () => {
    const s = await seedScheme(store);
    const email = `delete-me-${Date.now()}@residents.example`;
    const person = await seedPerson(store, { email, displayName: 'Dee Leted', passwordHash: await hashPassword('correct horse battery') });
    await addMember(store, s.scheme.id, person, 'member', 'Dee Leted', 'Gone Street');
    const headers = await as(person.id);
    await writeTo(s.scheme.id, headers, email);

    const wrong = await postForm(app, '/account/watch/delete', headers, { password: 'not my password', confirm: 'yes' });
    assert.equal(wrong.statusCode, 400);
    assert.equal((await findPersonById(store.db, person.id))?.status, 'active');

    const deleted = await postForm(app, '/account/watch/delete', headers, { password: 'correct horse battery', confirm: 'yes' });
    assert.equal(deleted.statusCode, 200);
    assert.match(deleted.body, /Your account has been deleted/);
    const after = await findPersonById(store.db, person.id);
    assert.equal(after?.status, 'removed');
    assert.equal(after?.display_name, 'Deleted member');
    assert.ok(!after?.email.includes('@'), 'the email is replaced by something that is not an address');
    assert.equal(after?.password_hash, null);
    assert.equal(await findMembership(store.db, s.scheme.id, person.id), undefined);
    const thread = await store.db.selectFrom('watch_threads').select(['sender_name', 'sender_email', 'sender_person_id']).where('scheme_id', '=', s.scheme.id).executeTakeFirstOrThrow();
    assert.deepEqual(thread, { sender_name: 'Deleted member', sender_email: `removed:${person.id}`, sender_person_id: null });
    assert.equal((await store.db.selectFrom('sessions').select('id_hash').where('person_id', '=', person.id).execute()).length, 0);
    assert.equal((await getPage(app, '/account/watch', headers)).statusCode, 303, 'the old session no longer works');
    assert.ok((await listAudit(store, { subjectType: 'person', subjectId: person.id })).some((e) => e.action === 'account.remove'));

    await resetThrottles(store);
    const again = await postForm(app, `/watch/schemes/${s.scheme.id}/apply`, anonymousVisitor(app), { name: 'Dee', email, street: 'New Street', postcode: INSIDE_POSTCODE, consent: 'yes' });
    assert.equal(again.statusCode, 200);
    const fresh = await findPersonByEmail(store.db, email);
    assert.ok(fresh && fresh.id !== person.id, 'the address can make a new account');
  });

  it('does not delete the account of a scheme’s coordinator', async () => {
    const s = await seedScheme(store);
    const coordinator = await as(s.coordinator.id);
    const page = await getPage(app, '/account/watch/delete', coordinator);
    assert.match(page.body, /Hand it over to another member/);
    const refused = await postForm(app, '/account/watch/delete', coordinator, { confirm: 'yes' });
    assert.notEqual(refused.statusCode, 200);
    assert.equal((await findPersonById(store.db, s.coordinator.id))?.status, 'active');
  });
});
