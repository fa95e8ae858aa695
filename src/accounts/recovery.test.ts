import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { listSessionsOf } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { findPersonById } from './people.repository.ts';
import {
  auditActions,
  buildTestApp,
  comparable,
  linkInMail,
  mailsTo,
  MINUTE,
  PASSWORD,
  seedResident,
  seedStaff,
  signIn,
  TestBrowser,
  TestClock,
  uniqueEmail,
} from './sign-in.test-helper.ts';

const NEW_PASSWORD = 'lanterns along the canal';

describeEachStore('account recovery', (getStore) => {
  const clock = new TestClock();
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });
  const ask = (email: string, browser = new TestBrowser(app)) => browser.submit('/recover', '/recover', { email });
  const tokenOf = (link: string) => new URL(link, 'http://x').searchParams.get('token')!;
  const reset = (browser: TestBrowser, link: string, password: string) => browser.submit(link, '/recover/reset', { token: tokenOf(link), password });

  it('answers the same for an account, no account and a suspended account, and sends the right email', async () => {
    const known = await seedResident(getStore());
    const suspended = await seedResident(getStore(), { status: 'suspended' });
    const unknown = uniqueEmail('unknown');
    const answers = [];
    for (const email of [known.email, unknown, suspended.email]) {
      const res = await ask(email);
      answers.push({ status: res.statusCode, body: comparable(res.body, { [email]: 'EMAIL' }) });
    }
    assert.equal(answers[0]!.status, 200);
    assert.match(answers[0]!.body, /If there is an account for/);
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[2], answers[0]);
    assert.equal((await mailsTo(getStore(), known.email, 'recover-account')).length, 1);
    assert.equal((await mailsTo(getStore(), unknown, 'recover-no-account')).length, 1);
    assert.equal((await mailsTo(getStore(), suspended.email)).length, 0);
    assert.ok((await auditActions(getStore(), known.id)).some((e) => e.action === 'auth.recovery_requested'));
  });

  it('resets the password once, ends every session, and does not sign anyone in', async () => {
    const person = await seedResident(getStore());
    const elsewhere = [new TestBrowser(app), new TestBrowser(app)];
    for (const b of elsewhere) await signIn(b, person.email);
    assert.equal((await listSessionsOf(getStore().db, person.id)).length, 2);

    const browser = new TestBrowser(app);
    await ask(person.email, browser);
    const link = await linkInMail(getStore(), person.email, 'recover-account', '/recover/reset');
    const form = await browser.get(link);
    assert.equal(form.statusCode, 200);
    assert.equal(form.headers['referrer-policy'], 'strict-origin', 'the token never leaves in a Referer');
    assert.equal(form.headers['cache-control'], 'no-store');
    assert.match(form.body, /autocomplete="new-password"/);

    const weak = await reset(browser, link, 'password1');
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /Password is too common/);
    const done = await reset(browser, link, NEW_PASSWORD);
    assert.equal(done.statusCode, 303, 'a refused password did not use up the link');
    assert.equal(done.headers.location, '/sign-in?notice=password-changed');
    assert.equal(browser.sessionCookie(), undefined, 'not signed in');
    assert.equal((await listSessionsOf(getStore().db, person.id)).length, 0);
    for (const b of elsewhere) assert.equal((await b.get('/account')).statusCode, 303);
    assert.match((await browser.get('/sign-in?notice=password-changed')).body, /Your password has been changed/);

    const later = new TestBrowser(app);
    assert.equal((await later.get(link)).statusCode, 400, 'single use');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await later.get('/recover')).body)![1]!;
    assert.equal((await later.post('/recover/reset', { token: tokenOf(link), password: 'another new passphrase' }, csrf)).statusCode, 400);
    assert.equal((await signIn(new TestBrowser(app), person.email, PASSWORD)).statusCode, 400);
    assert.equal((await signIn(new TestBrowser(app), person.email, NEW_PASSWORD)).statusCode, 303);
    assert.equal((await mailsTo(getStore(), person.email, 'password-changed')).length, 1);
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.password_changed'));
  });

  it('refuses a link after an hour, and any but the newest', async () => {
    const person = await seedResident(getStore());
    await ask(person.email);
    const first = await linkInMail(getStore(), person.email, 'recover-account', '/recover/reset');
    await ask(person.email);
    const second = await linkInMail(getStore(), person.email, 'recover-account', '/recover/reset');
    const stale = await new TestBrowser(app).get(first);
    assert.equal(stale.statusCode, 400);
    assert.match(stale.body, /href="\/recover">Ask for a new link/);
    clock.advance(61 * MINUTE);
    assert.equal((await new TestBrowser(app).get(second)).statusCode, 400, 'expired');
    const browser = new TestBrowser(app);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/recover')).body)![1]!;
    assert.equal((await browser.post('/recover/reset', { token: tokenOf(second), password: NEW_PASSWORD }, csrf)).statusCode, 400);
    assert.equal((await findPersonById(getStore().db, person.id))!.password_hash, person.password_hash);
  });

  it('never lets a reset skip the second factor', async () => {
    const { person } = await seedStaff(getStore(), app.ctx.config.SECRET_KEY, { totp: true });
    await ask(person.email);
    await reset(new TestBrowser(app), await linkInMail(getStore(), person.email, 'recover-account', '/recover/reset'), NEW_PASSWORD);
    const res = await signIn(new TestBrowser(app), person.email, NEW_PASSWORD);
    assert.equal(res.headers.location, '/sign-in/two-factor');
  });

  it('confirms an unconfirmed address, since the link proves it', async () => {
    const person = await seedResident(getStore(), { status: 'unverified' });
    await ask(person.email);
    await reset(new TestBrowser(app), await linkInMail(getStore(), person.email, 'recover-account', '/recover/reset'), NEW_PASSWORD);
    const stored = (await findPersonById(getStore().db, person.id))!;
    assert.equal(stored.status, 'active');
    assert.ok(stored.email_verified_at);
  });

  it('limits requests per address, whether or not it has an account', async () => {
    for (const email of [uniqueEmail('flood'), (await seedResident(getStore())).email]) {
      for (let i = 1; i <= 5; i++) assert.equal((await ask(email)).statusCode, 200);
      const res = await ask(email);
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers['x-error-code'], 'SC_ERR_THROTTLED');
    }
  });
});
