import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { anonymousVisitor, seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { addMember, getPage, hiddenValue, linkIn, mailTo, memberOf, postForm, seedScheme, TEST_CONFIG, testApp, type TestClock } from './membership.test-helper.ts';
import { readUnsubscribeToken, unsubscribeToken } from './news.service.ts';
import { WATCH_NEWS_FAN_OUT } from '../throttle/throttle.policies.ts';

describeEachStore('Watch scheme updates', (getStore) => {
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

  const send = async (schemeId: string, coordinatorId: string, fields: Record<string, string>) =>
    postForm(app, `/watch/coordinate/${schemeId}/updates`, await signedInAs(app, coordinatorId, 'full', app.ctx.now()), { title: 'Bin day moved', body: 'Bins go out on Tuesday.\n\nThanks all.', audience: 'members', ...fields });

  it('emails every active member, each with an unsubscribe link that works without signing in and stops later updates', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    const pat = await memberOf(app, s.scheme.id, 'member', 'Pat Member');
    const waiting = await seedPerson(store);
    await addMember(store, s.scheme.id, waiting, 'member', 'Wait Ing', 'Mill Lane', 'pending');

    assert.equal((await send(s.scheme.id, s.coordinator.id, {})).statusCode, 303);
    const toMo = (await mailTo(store, mo.person.email)).at(-1)!;
    assert.match(toMo.subject, /Bin day moved/);
    assert.match(toMo.text, /Bins go out on Tuesday/);
    assert.equal((await mailTo(store, pat.person.email)).length, 1);
    assert.equal((await mailTo(store, waiting.email)).length, 0, 'not to someone still waiting');
    assert.ok(!toMo.text.includes(pat.person.email) && !toMo.text.includes(s.coordinator.email), 'no other address in an update');

    const link = linkIn(toMo.text, '/watch/unsubscribe')!;
    const visitor = anonymousVisitor(app);
    const page = await getPage(app, link, visitor);
    assert.equal(page.statusCode, 200);
    const stopped = await postForm(app, '/watch/unsubscribe', visitor, { token: hiddenValue(page.body, 'token')! });
    assert.equal(stopped.statusCode, 200);
    assert.match(stopped.body, /not get any more updates/);

    clock.advance(WATCH_NEWS_FAN_OUT.minIntervalSeconds);
    assert.equal((await send(s.scheme.id, s.coordinator.id, { title: 'Second update' })).statusCode, 303);
    assert.equal((await mailTo(store, mo.person.email)).length, 1, 'no more updates after unsubscribing');
    assert.equal((await mailTo(store, pat.person.email)).length, 2);
    const news = await store.db.selectFrom('watch_news').select(['title', 'public', 'emailed_to']).where('scheme_id', '=', s.scheme.id).orderBy('id').execute();
    assert.deepEqual(news, [
      { title: 'Bin day moved', public: 0, emailed_to: 3 },
      { title: 'Second update', public: 0, emailed_to: 2 },
    ]);
  });

  it('marks a public update for the scheme page', async () => {
    const s = await seedScheme(store);
    await send(s.scheme.id, s.coordinator.id, { title: 'Open meeting', audience: 'public' });
    const row = await store.db.selectFrom('watch_news').select('public').where('scheme_id', '=', s.scheme.id).executeTakeFirst();
    assert.equal(row?.public, 1);
  });

  it('validates an update and does not let a member send one', async () => {
    const s = await seedScheme(store);
    const bad = await send(s.scheme.id, s.coordinator.id, { title: '', body: '', audience: 'everyone-and-their-dog' });
    assert.equal(bad.statusCode, 400);
    for (const text of ['Enter a title', 'Enter the update', 'Select who can see the update']) assert.ok(bad.body.includes(text), text);
    const member = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    assert.equal((await send(s.scheme.id, member.person.id, {})).statusCode, 403);
    assert.equal((await store.db.selectFrom('watch_news').select('id').where('scheme_id', '=', s.scheme.id).execute()).length, 0);
  });

  it('accepts only unsubscribe tokens it made', async () => {
    const token = unsubscribeToken(TEST_CONFIG.SECRET_KEY, 'scheme-1', 'person-1');
    assert.deepEqual(readUnsubscribeToken(TEST_CONFIG.SECRET_KEY, token), { schemeId: 'scheme-1', personId: 'person-1' });
    const [payload, mac] = token.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify(['scheme-1', 'person-2'])).toString('base64url')}.${mac}`;
    assert.equal(readUnsubscribeToken(TEST_CONFIG.SECRET_KEY, forged), null);
    assert.equal(readUnsubscribeToken('another-secret-key-of-at-least-32-chars', token), null);
    assert.equal(readUnsubscribeToken(TEST_CONFIG.SECRET_KEY, payload), null);
    assert.equal((await getPage(app, `/watch/unsubscribe?token=${forged}`)).statusCode, 400);
  });

  it('refuses a second update sent straight after the first: nothing queued, the form kept, and when to try again', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    assert.equal((await send(s.scheme.id, s.coordinator.id, { title: 'First' })).statusCode, 303);
    clock.advance(2);
    const again = await send(s.scheme.id, s.coordinator.id, { title: 'Second thoughts', body: 'Please ignore the last one.' });
    assert.equal(again.statusCode, 429);
    assert.equal(again.headers['x-error-code'], 'SC_ERR_FAN_OUT_LIMITED');
    assert.ok(Number(again.headers['retry-after']) > 0 && Number(again.headers['retry-after']) <= WATCH_NEWS_FAN_OUT.minIntervalSeconds);
    assert.match(again.body, /govuk-error-summary/);
    assert.match(again.body, /You can send another update (at|on) /);
    assert.ok(again.body.includes('Second thoughts') && again.body.includes('Please ignore the last one.'), 'what was written is kept');
    assert.equal((await mailTo(store, mo.person.email)).length, 1, 'one set of emails only');
    assert.deepEqual((await store.db.selectFrom('watch_news').select('title').where('scheme_id', '=', s.scheme.id).execute()).map((r) => r.title), ['First']);

    clock.advance(WATCH_NEWS_FAN_OUT.minIntervalSeconds);
    assert.equal((await send(s.scheme.id, s.coordinator.id, { title: 'Second thoughts' })).statusCode, 303, 'allowed once the interval has passed');
    assert.equal((await mailTo(store, mo.person.email)).length, 2);
  });

  it('allows a coordinator a handful of updates a day, then none until the day has passed', async () => {
    const s = await seedScheme(store);
    const mo = await memberOf(app, s.scheme.id, 'member', 'Mo Member');
    for (let i = 1; i <= WATCH_NEWS_FAN_OUT.perDay; i++) {
      assert.equal((await send(s.scheme.id, s.coordinator.id, { title: `Update ${i}` })).statusCode, 303, `update ${i}`);
      clock.advance(WATCH_NEWS_FAN_OUT.minIntervalSeconds);
    }
    const over = await send(s.scheme.id, s.coordinator.id, { title: 'One too many' });
    assert.equal(over.statusCode, 429);
    assert.match(over.body, new RegExp(`up to ${WATCH_NEWS_FAN_OUT.perDay} a day`));
    assert.equal((await mailTo(store, mo.person.email)).length, WATCH_NEWS_FAN_OUT.perDay);
    clock.advance(24 * 60 * 60);
    assert.equal((await send(s.scheme.id, s.coordinator.id, { title: 'Next day' })).statusCode, 303);
    assert.equal((await mailTo(store, mo.person.email)).length, WATCH_NEWS_FAN_OUT.perDay + 1);
  });
});
