import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../accounts/password.ts';
import { createPerson, findPersonByEmail } from '../accounts/people.repository.ts';
import { anonymousVisitor, seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { findMembership } from './membership.repository.ts';
import { addMember, getPage, INSIDE_POSTCODE, linkIn, mailTo, OUTSIDE_POSTCODE, outbox, postForm, resetThrottles, seedScheme, testApp, type SeededScheme } from './membership.test-helper.ts';

describeEachStore('applying to join a Watch scheme', (getStore) => {
  let store: Store;
  let app: FastifyInstance;
  let n = 0;
  const email = () => `applicant${++n}-${Date.now()}@residents.example`;

  before(async () => {
    store = getStore();
    ({ app } = await testApp(store));
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await resetThrottles(store);
  });

  const apply = (s: SeededScheme, fields: Record<string, string>, visitor = anonymousVisitor(app)) =>
    postForm(app, `/watch/schemes/${s.scheme.id}/apply`, visitor, { name: 'Ann Applicant', street: 'Mill Lane', postcode: INSIDE_POSTCODE, consent: 'yes', ...fields });

  /** Follows the confirmation link in the applicant's email: the page, then its button. */
  async function confirm(to: string, password = '') {
    const mail = (await mailTo(store, to)).at(-1)!;
    const link = linkIn(mail.text, '/watch/join/confirm');
    assert.ok(link, 'the email has a confirmation link');
    const visitor = anonymousVisitor(app);
    const page = await getPage(app, link, visitor);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Confirm your application/);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    return postForm(app, '/watch/join/confirm', visitor, { token, password });
  }

  it('never keeps a password someone set on an unconfirmed account before its owner confirmed a Watch application', async () => {
    const s = await seedScheme(store, { joinPolicy: 'automatic' });
    const address = email();
    // Someone else signed up with this address and a password of their own, and never confirmed it.
    await createPerson(store.db, { email: address, displayName: 'Not The Owner', passwordHash: await hashPassword('the squatter’s password'), status: 'unverified' });
    await apply(s, { email: address });
    const confirmed = await confirm(address);
    assert.equal(confirmed.statusCode, 200);
    const owner = await findPersonByEmail(store.db, address);
    assert.equal(owner?.status, 'active');
    assert.equal(owner?.password_hash, null, 'the squatter’s password no longer opens the account');
  });

  it('joins at once after confirming the email when the scheme is automatic, and tells the coordinator without the applicant’s address', async () => {
    const s = await seedScheme(store, { joinPolicy: 'automatic' });
    const address = email();
    const response = await apply(s, { email: address });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Check your email/);
    const person = await findPersonByEmail(store.db, address);
    assert.equal(person?.status, 'unverified');
    assert.equal((await findMembership(store.db, s.scheme.id, person!.id))?.status, 'unconfirmed');
    assert.equal((await mailTo(store, s.coordinator.email)).length, 0, 'nobody is told before the address is confirmed');

    const confirmed = await confirm(address, 'a long walk by the river');
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /You have joined/);
    assert.ok(String(confirmed.headers['set-cookie']).includes('sc_session='), 'a new account is signed in');
    assert.equal((await findMembership(store.db, s.scheme.id, person!.id))?.status, 'active');
    const after = await findPersonByEmail(store.db, address);
    assert.equal(after?.status, 'active');
    assert.ok(after?.email_verified_at);
    assert.ok(after?.password_hash);

    const toCoordinator = await mailTo(store, s.coordinator.email);
    assert.equal(toCoordinator.length, 1);
    assert.match(toCoordinator[0]!.subject, /New member/);
    assert.ok(!toCoordinator[0]!.text.includes(address) && !toCoordinator[0]!.html.includes(address), 'the coordinator never gets the applicant’s address');
    assert.ok((await mailTo(store, address)).some((m) => /You have joined/.test(m.subject)));
  });

  it('waits for the coordinator when the scheme approves applications, without a password', async () => {
    const s = await seedScheme(store, { joinPolicy: 'approval' });
    const address = email();
    await apply(s, { email: address });
    const confirmed = await confirm(address);
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /Application sent/);
    const person = await findPersonByEmail(store.db, address);
    assert.equal((await findMembership(store.db, s.scheme.id, person!.id))?.status, 'pending');
    assert.equal(person?.password_hash, null);
    const toCoordinator = await mailTo(store, s.coordinator.email);
    assert.match(toCoordinator[0]!.subject, /New application/);
    assert.ok(!(await mailTo(store, address)).some((m) => /You have joined/.test(m.subject)), 'not told of joining before a decision');
  });

  it('uses a confirmation link once only', async () => {
    const s = await seedScheme(store, { joinPolicy: 'automatic' });
    const address = email();
    await apply(s, { email: address });
    const mail = (await mailTo(store, address)).at(-1)!;
    const token = new URL(linkIn(mail.text, '/watch/join/confirm')!, 'http://x').searchParams.get('token')!;
    assert.equal((await postForm(app, '/watch/join/confirm', anonymousVisitor(app), { token })).statusCode, 200);
    const again = await postForm(app, '/watch/join/confirm', anonymousVisitor(app), { token });
    assert.equal(again.statusCode, 400);
    assert.match(again.body, /expired or has already been used/);
  });

  it('warns someone outside the area, and lets them go on', async () => {
    const s = await seedScheme(store);
    const address = email();
    const warned = await apply(s, { email: address, postcode: OUTSIDE_POSTCODE });
    assert.equal(warned.statusCode, 200);
    assert.match(warned.body, /outside the area/);
    assert.equal(await findPersonByEmail(store.db, address), undefined, 'nothing is stored before they choose to go on');
    const going = await apply(s, { email: address, postcode: OUTSIDE_POSTCODE, outsideConfirmed: 'yes' });
    assert.equal(going.statusCode, 200);
    assert.match(going.body, /Check your email/);
    const person = await findPersonByEmail(store.db, address);
    assert.equal((await findMembership(store.db, s.scheme.id, person!.id))?.outside_area, 1);
  });

  it('answers an application from an existing member exactly as any other, and changes nothing', async () => {
    const s = await seedScheme(store, { joinPolicy: 'automatic' });
    const member = await seedPerson(store, { displayName: 'Molly Member' });
    await addMember(store, s.scheme.id, member, 'member', 'Molly Member', 'Orchard Close');
    const tokensBefore = (await store.db.selectFrom('account_tokens').select('token_hash').execute()).length;
    const existing = await apply(s, { email: member.email, name: 'Someone Else', street: 'Other Street' });
    const fresh = await apply(s, { email: email() });
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>')).replace(/<strong>[^<]*<\/strong>/, '');
    assert.equal(existing.statusCode, fresh.statusCode);
    assert.equal(main(existing.body), main(fresh.body), 'the page does not say which address is a member');
    const kept = await findMembership(store.db, s.scheme.id, member.id);
    assert.equal(kept?.status, 'active');
    assert.equal(kept?.street, 'Orchard Close', 'a stranger cannot overwrite a member’s details');
    const tokensAfter = (await store.db.selectFrom('account_tokens').select('token_hash').execute()).length;
    assert.equal(tokensAfter, tokensBefore + 1, 'only the new address got a link');
    assert.ok((await mailTo(store, member.email)).some((m) => /already a member/.test(m.text)));
  });

  it('lets a signed-in person with a verified address join straight away', async () => {
    const s = await seedScheme(store, { joinPolicy: 'automatic' });
    const person = await seedPerson(store, { displayName: 'Sam Signed-in' });
    const headers = await signedInAs(app, person.id, 'full', app.ctx.now());
    const response = await apply(s, { name: 'Sam', street: 'Church Road' }, headers);
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /You have joined/);
    assert.equal((await findMembership(store.db, s.scheme.id, person.id))?.status, 'active');
    const again = await apply(s, { name: 'Sam', street: 'Church Road' }, headers);
    assert.match(again.body, /already a member/);
  });

  it('validates every field on the server, and never renders what was typed as HTML', async () => {
    const s = await seedScheme(store);
    const response = await postForm(app, `/watch/schemes/${s.scheme.id}/apply`, anonymousVisitor(app), { name: '<script>alert(1)</script>', email: 'not-an-address', street: '', postcode: 'nowhere' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /There is a problem/);
    for (const message of ['Enter an email address in the correct format', 'Enter your street', 'Enter a real postcode', 'Select that you agree']) {
      assert.ok(response.body.includes(message), message);
    }
    assert.ok(!response.body.includes('<script>alert(1)</script>'));
    assert.ok(response.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });

  it('throttles applications from one client', async () => {
    const s = await seedScheme(store);
    const visitor = anonymousVisitor(app);
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await postForm(app, `/watch/schemes/${s.scheme.id}/apply`, visitor, { name: 'Flood' })).statusCode;
    assert.equal(last, 429);
  });

  it('throttles applications made with one address', async () => {
    const s = await seedScheme(store);
    const address = email();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await apply(s, { email: address })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
    assert.ok((await outbox(store)).filter((m) => m.to === address).length <= 5);
  });

  it('does not take applications for a scheme that is not active', async () => {
    const s = await seedScheme(store);
    await store.db.updateTable('watch_schemes').set({ status: 'pending' }).where('id', '=', s.scheme.id).execute();
    assert.equal((await getPage(app, `/watch/schemes/${s.scheme.id}/apply`)).statusCode, 404);
  });
});
