import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listAudit } from '../audit/audit.repository.ts';
import { anonymousVisitor, forceOrganisation, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { getPage, hiddenValue, linkIn, mailTo, memberOf, postForm, resetThrottles, seedScheme, testApp, type SeededScheme, type TestClock } from './membership.test-helper.ts';
import { HONEYPOT_FIELD } from './relay.service.ts';

describeEachStore('messaging a Watch coordinator', (getStore) => {
  let store: Store;
  let app: FastifyInstance;
  let clock: TestClock;
  let n = 0;
  const senderEmail = () => `writer${++n}-${Date.now()}@senders.example`;

  before(async () => {
    store = getStore();
    ({ app, clock } = await testApp(store));
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await resetThrottles(store);
  });

  /** Loads the form, waits `seconds` as a person would, and sends it. */
  async function send(s: SeededScheme, fields: Record<string, string>, seconds = 10, visitor: BrowserHeaders = anonymousVisitor(app)) {
    const form = await getPage(app, `/watch/schemes/${s.scheme.id}/message`, visitor);
    assert.equal(form.statusCode, 200);
    const stamp = hiddenValue(form.body, 'stamp')!;
    clock.advance(seconds);
    return postForm(app, `/watch/schemes/${s.scheme.id}/message`, visitor, { name: 'Wendy Writer', email: senderEmail(), subject: 'Parking on the verge', message: 'Hello,\nthe verge is churned up.', stamp, [HONEYPOT_FIELD]: '', ...fields });
  }
  const threadCount = async (schemeId: string) => (await store.db.selectFrom('watch_threads').select('id').where('scheme_id', '=', schemeId).execute()).length;

  it('relays both ways without either side seeing the other’s address', async () => {
    const s = await seedScheme(store);
    const address = senderEmail();
    const sent = await send(s, { email: address });
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Message sent/);
    const secretLink = /href="(\/watch\/threads\/[^"]+)"/.exec(sent.body)![1]!.replace(/&amp;/g, '&');

    const notice = (await mailTo(store, s.coordinator.email)).at(-1)!;
    assert.match(notice.subject, /New message/);
    assert.ok(!notice.text.includes(address) && !notice.html.includes(address));
    const toolsLink = linkIn(notice.text, '/watch/coordinate/')!;
    const coordinator = await signedInAs(app, s.coordinator.id, 'full', clock.now);
    const threadPage = await getPage(app, toolsLink, coordinator);
    assert.equal(threadPage.statusCode, 200);
    assert.match(threadPage.body, /the verge is churned up/);
    assert.ok(!threadPage.body.includes(address), 'the coordinator’s page never shows the sender’s address');

    const replied = await postForm(app, `${toolsLink}/reply`, coordinator, { message: 'Thanks, I will raise it at the meeting.' });
    assert.equal(replied.statusCode, 303);
    const toSender = (await mailTo(store, address)).at(-1)!;
    assert.match(toSender.subject, /A reply from/);
    assert.ok(!toSender.text.includes(s.coordinator.email) && !toSender.html.includes(s.coordinator.email), 'the sender never gets the coordinator’s address');
    const readLink = linkIn(toSender.text, '/watch/threads/')!;
    assert.equal(readLink, secretLink, 'the reply notice carries the same secret link');
    const senderPage = await getPage(app, readLink);
    assert.equal(senderPage.statusCode, 200);
    assert.match(senderPage.body, /raise it at the meeting/);
    assert.match(senderPage.body, /Carol \(/, 'a reply is signed with the coordinator’s first name');
    assert.ok(!senderPage.body.includes(s.coordinator.email) && !senderPage.body.includes('Coordinator ('));
    assert.equal(senderPage.headers['referrer-policy'], 'strict-origin', 'the key never leaves in a Referer');

    const key = new URL(readLink, 'http://x').searchParams.get('key')!;
    const answered = await postForm(app, readLink.replace(/\?.*/, '/reply'), anonymousVisitor(app), { key, message: 'Thank you!' });
    assert.equal(answered.statusCode, 303);
    assert.match((await mailTo(store, s.coordinator.email)).at(-1)!.subject, /has answered/);
  });

  it('opens a conversation only with its own key', async () => {
    const s = await seedScheme(store);
    const sent = await send(s, {});
    const link = /href="(\/watch\/threads\/[^"]+)"/.exec(sent.body)![1]!.replace(/&amp;/g, '&');
    const wrong = link.replace(/key=.{5}/, 'key=AAAAA');
    assert.equal((await getPage(app, wrong)).statusCode, 404);
    assert.equal((await getPage(app, link.replace(/\?.*/, ''))).statusCode, 404);
  });

  it('drops a message whose honeypot was filled in, while looking as if it was sent', async () => {
    const s = await seedScheme(store);
    const response = await send(s, { [HONEYPOT_FIELD]: 'https://spam.example' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Message sent/);
    assert.equal(await threadCount(s.scheme.id), 0);
    assert.equal((await mailTo(store, s.coordinator.email)).length, 0);
  });

  it('hides the honeypot from people, screen readers and the keyboard', async () => {
    const s = await seedScheme(store);
    const form = await getPage(app, `/watch/schemes/${s.scheme.id}/message`);
    const m = new RegExp(`<div class="govuk-visually-hidden" aria-hidden="true">\\s*<label for="${HONEYPOT_FIELD}">[^<]*</label>\\s*<input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off">`).exec(form.body);
    assert.ok(m, 'hidden container, aria-hidden, out of the tab order, no autofill');
  });

  it('refuses a form sent faster than a person could, then accepts it later', async () => {
    const s = await seedScheme(store);
    const fast = await send(s, {}, 1);
    assert.equal(fast.statusCode, 400);
    assert.match(fast.body, /quicker than we expect a person to be/);
    assert.equal(await threadCount(s.scheme.id), 0);
    const stamp = hiddenValue(fast.body, 'stamp')!;
    clock.advance(4);
    const visitor = anonymousVisitor(app);
    const later = await postForm(app, `/watch/schemes/${s.scheme.id}/message`, visitor, { name: 'Wendy', email: senderEmail(), subject: 'Hello', message: 'Hi', stamp });
    assert.equal(later.statusCode, 200);
    assert.equal(await threadCount(s.scheme.id), 1);
  });

  it('refuses a stamp that was altered or made for another scheme', async () => {
    const s = await seedScheme(store);
    const other = await seedScheme(store);
    const form = await getPage(app, `/watch/schemes/${other.scheme.id}/message`);
    clock.advance(10);
    const stamp = hiddenValue(form.body, 'stamp')!;
    const visitor = anonymousVisitor(app);
    for (const bad of [stamp, `${Number(stamp.split('.')[0]) - 60_000}.${stamp.split('.')[1]}`, '']) {
      const response = await postForm(app, `/watch/schemes/${s.scheme.id}/message`, visitor, { name: 'W', email: senderEmail(), subject: 'S', message: 'M', stamp: bad });
      assert.equal(response.statusCode, 400, bad);
    }
    assert.equal(await threadCount(s.scheme.id), 0);
  });

  it('throttles a flood from one sender address, and from one client', async () => {
    const s = await seedScheme(store);
    const address = senderEmail();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await send(s, { email: address })).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 200, 429]);
    await resetThrottles(store);
    const visitor = anonymousVisitor(app);
    const fromClient: number[] = [];
    for (let i = 0; i < 11; i++) fromClient.push((await send(s, {}, 10, visitor)).statusCode);
    assert.equal(fromClient.at(-1), 429);
    assert.equal(fromClient.filter((c) => c === 200).length, 10);
  });

  it('stops relaying a reported conversation, audits it and tells the area’s Watch administrators', async () => {
    const s = await seedScheme(store, { forceId: 'demo' });
    const admin = await seedPerson(store, { displayName: 'Ada Admin', roles: [{ role: 'watch_admin', organisation: forceOrganisation('demo') }] });
    const address = senderEmail();
    const sent = await send(s, { email: address });
    const link = /href="(\/watch\/threads\/[^"]+)"/.exec(sent.body)![1]!.replace(/&amp;/g, '&');
    const threadId = link.split('/')[3]!.split('?')[0]!;
    const key = new URL(link, 'http://x').searchParams.get('key')!;

    const reported = await postForm(app, `/watch/threads/${threadId}/report`, anonymousVisitor(app), { key });
    assert.equal(reported.statusCode, 303);
    const thread = await store.db.selectFrom('watch_threads').select('status').where('id', '=', threadId).executeTakeFirst();
    assert.equal(thread?.status, 'reported');
    const adminMail = (await mailTo(store, admin.email)).at(-1)!;
    assert.match(adminMail.subject, /Abuse reported/);
    assert.ok(!adminMail.text.includes(address));
    assert.ok((await listAudit(store, { subjectType: 'watch_thread', subjectId: threadId })).some((e) => e.details?.includes('reported')));

    const coordinator = await signedInAs(app, s.coordinator.id, 'full', clock.now);
    const before = (await mailTo(store, address)).length;
    const reply = await postForm(app, `/watch/coordinate/${s.scheme.id}/messages/${threadId}/reply`, coordinator, { message: 'Still there?' });
    assert.equal(reply.statusCode, 400);
    assert.match(reply.body, /conversation is closed/);
    const answer = await postForm(app, `/watch/threads/${threadId}/reply`, anonymousVisitor(app), { key, message: 'More abuse' });
    assert.equal(answer.statusCode, 400);
    const messages = await store.db.selectFrom('watch_messages').select('id').where('thread_id', '=', threadId).execute();
    assert.equal(messages.length, 1, 'nothing more was stored');
    assert.equal((await mailTo(store, address)).length, before, 'nothing more was relayed');

    const adminHeaders = await signedInAs(app, admin.id, 'full', clock.now);
    const adminView = await getPage(app, `/watch/reported/${threadId}`, adminHeaders);
    assert.equal(adminView.statusCode, 200, 'the area’s administrator can read it');
    assert.ok(!adminView.body.includes(address));
    const adminList = await getPage(app, '/watch/admin', adminHeaders);
    assert.match(adminList.body, new RegExp(`href="/watch/reported/${threadId}"`), 'the administrators’ page lists it');
    const { headers: memberHeaders } = await memberOf(app, s.scheme.id, 'member', 'Nosy Neighbour');
    assert.equal((await getPage(app, `/watch/reported/${threadId}`, memberHeaders)).statusCode, 403);
  });

  it('validates the form on the server with an error summary', async () => {
    const s = await seedScheme(store);
    const response = await send(s, { name: '', email: 'nope', subject: '', message: '' });
    assert.equal(response.statusCode, 400);
    for (const text of ['Enter your name', 'Enter an email address in the correct format', 'Enter a subject', 'Enter your message']) assert.ok(response.body.includes(text), text);
  });
});
