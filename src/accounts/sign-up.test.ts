import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findSession } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { findPersonByEmail } from './people.repository.ts';
import { auditActions, buildTestApp, comparable, csrfIn, linkInMail, mailsTo, MINUTE, seedResident, TestBrowser, TestClock, uniqueEmail } from './sign-in.test-helper.ts';

describeEachStore('sign-up and email verification', (getStore) => {
  const clock = new TestClock();
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });
  const signUp = (browser: TestBrowser, fields: Record<string, string>) => browser.submit('/sign-up', '/sign-up', fields);

  it('shows the password rules, allows paste and sets autocomplete', async () => {
    const page = await new TestBrowser(app).get('/sign-up');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /8 characters or more/);
    assert.match(page.body, /autocomplete="new-password"/);
    assert.match(page.body, /autocomplete="email"/);
    assert.doesNotMatch(page.body, /onpaste|pattern=/i);
  });

  it('signs up, emails a link, confirms it with a button and signs the person in', async () => {
    const email = uniqueEmail('new');
    const browser = new TestBrowser(app);
    const res = await signUp(browser, { name: 'Sam Resident', email, password: 'tea on the allotment' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Check your email/);
    const person = (await findPersonByEmail(getStore().db, email))!;
    assert.equal(person.status, 'unverified');
    assert.equal(person.email_verified_at, null);

    const link = await linkInMail(getStore(), email, 'verify-email', '/verify-email');
    const page = await browser.get(link);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['referrer-policy'], 'strict-origin', 'the token never leaves in a Referer');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, />\s*Confirm\s*</);
    // Fetching the link (as a mail scanner would) changed nothing.
    assert.equal((await findPersonByEmail(getStore().db, email))!.status, 'unverified');
    assert.equal((await browser.get(link)).statusCode, 200, 'the link still works after being fetched');

    const token = new URL(link, 'http://x').searchParams.get('token')!;
    // The link alone is not enough: the password chosen at sign-up proves it is the same person.
    const withoutPassword = await browser.post('/verify-email', { token }, csrfIn(page.body));
    assert.equal(withoutPassword.statusCode, 400);
    assert.match(withoutPassword.body, /href="#password">Enter the password you chose/);
    const wrongPassword = await browser.post('/verify-email', { token, password: 'somebody else’s guess' }, csrfIn(page.body));
    assert.equal(wrongPassword.statusCode, 400);
    assert.equal((await findPersonByEmail(getStore().db, email))!.status, 'unverified');
    const confirmed = await browser.post('/verify-email', { token, password: 'tea on the allotment' }, csrfIn(page.body));
    assert.equal(confirmed.statusCode, 303);
    assert.equal(confirmed.headers.location, '/account?confirmed=email');
    assert.equal((await findSession(getStore().db, browser.sessionCookie()!))?.stage, 'full');
    const account = await browser.get(String(confirmed.headers.location));
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Your email address is confirmed/);
    const stored = (await findPersonByEmail(getStore().db, email))!;
    assert.equal(stored.status, 'active');
    assert.ok(stored.email_verified_at);
    const actions = (await auditActions(getStore(), person.id)).map((e) => e.action);
    assert.deepEqual(actions, ['account.create', 'auth.sign_in_failed', 'auth.sign_in_failed', 'auth.email_verified', 'auth.sign_in']);

    const again = new TestBrowser(app);
    const form = await again.get(link);
    assert.equal(form.statusCode, 400, 'a used link is refused');
    assert.match(form.body, /expired or has already been used/);
    assert.equal((await again.post('/verify-email', { token, password: 'tea on the allotment' }, csrfIn((await again.get('/sign-in')).body))).statusCode, 400);
  });

  it('does not let someone who signed up with another person’s address take the account when its owner confirms', async () => {
    const email = uniqueEmail('victim');
    const attacker = new TestBrowser(app);
    await signUp(attacker, { name: 'Not The Owner', email, password: 'attacker knows this one' });
    // The owner gets the link, opens it and confirms without the attacker's password: refused.
    const link = await linkInMail(getStore(), email, 'verify-email', '/verify-email');
    const owner = new TestBrowser(app);
    const page = await owner.get(link);
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    assert.equal((await owner.post('/verify-email', { token }, csrfIn(page.body))).statusCode, 400);
    assert.equal((await findPersonByEmail(getStore().db, email))!.status, 'unverified', 'the account stays unconfirmed, so the attacker cannot sign in');
  });

  it('answers a sign-up for an existing address exactly as for a new one, and emails the owner instead', async () => {
    const existing = await seedResident(getStore());
    const fresh = uniqueEmail('fresh');
    const answers = [];
    for (const email of [fresh, existing.email]) {
      const res = await signUp(new TestBrowser(app), { name: 'Alex', email, password: 'a quiet street at dusk' });
      answers.push({ status: res.statusCode, body: comparable(res.body, { [email]: 'EMAIL' }) });
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.equal((await mailsTo(getStore(), existing.email, 'sign-up-existing-account')).length, 1);
    assert.equal((await mailsTo(getStore(), existing.email, 'verify-email')).length, 0);
    assert.equal((await mailsTo(getStore(), fresh, 'verify-email')).length, 1);
    assert.equal((await findPersonByEmail(getStore().db, existing.email))!.display_name, existing.display_name, 'the existing account is untouched');
  });

  it('explains what is wrong with the form', async () => {
    const res = await signUp(new TestBrowser(app), { name: '', email: 'not-an-address', password: 'password' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /href="#name">Enter your name/);
    assert.match(res.body, /href="#email">Enter an email address in the correct format/);
    assert.match(res.body, /href="#password">Password is too common/);
    assert.match(res.body, /<title>Error: /);
  });

  it('expires a verification link after 24 hours', async () => {
    const email = uniqueEmail('slow');
    await signUp(new TestBrowser(app), { name: 'Slow Reader', email, password: 'kettle on the hob' });
    const link = await linkInMail(getStore(), email, 'verify-email', '/verify-email');
    clock.advance(24 * 60 * MINUTE + MINUTE);
    assert.equal((await new TestBrowser(app).get(link)).statusCode, 400);
  });

  it('sends at most three sign-up emails an hour to one address, answering the same after that', async () => {
    const email = uniqueEmail('flooded');
    const answers = new Set<number>();
    for (let i = 0; i < 5; i++) answers.add((await signUp(new TestBrowser(app), { name: 'Flood', email, password: 'flooding the inbox now' })).statusCode);
    assert.deepEqual([...answers], [200]);
    const mails = (await mailsTo(getStore(), email, 'verify-email')).length + (await mailsTo(getStore(), email, 'sign-up-existing-account')).length;
    assert.equal(mails, 3);
  });

  it('limits sign-ups from one client address', async () => {
    const browser = new TestBrowser(app);
    for (let i = 1; i <= 10; i++) assert.equal((await signUp(browser, { name: 'Bot', email: uniqueEmail('bot'), password: 'automated sign up number' })).statusCode, 200);
    const res = await signUp(browser, { name: 'Bot', email: uniqueEmail('bot'), password: 'automated sign up number' });
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers['x-error-code'], 'SC_ERR_THROTTLED');
  });
});
