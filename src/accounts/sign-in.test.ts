import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findSession } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { safeNext } from './account.schema.ts';
import {
  auditActions,
  buildTestApp,
  comparable,
  csrfIn,
  mailsTo,
  MINUTE,
  PASSWORD,
  SECOND,
  seedResident,
  signIn,
  TestBrowser,
  TestClock,
  uniqueEmail,
} from './sign-in.test-helper.ts';

describe('safeNext', () => {
  it('allows only paths on this site', () => {
    for (const good of ['/', '/account', '/map?month=2025-01#x', '/neighbourhoods/demo/DM01']) assert.equal(safeNext(good), good);
    for (const bad of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example/', 'javascript:alert(1)', 'evil.example', '', ' /account', '/a\\b']) {
      assert.equal(safeNext(bad), null, JSON.stringify(bad));
    }
  });
});

describeEachStore('sign-in', (getStore) => {
  const clock = new TestClock();
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });

  it('signs a resident in with a new session, and sends them to a local next only', async () => {
    const person = await seedResident(getStore());
    const browser = new TestBrowser(app);
    browser.cookies.set('sc_session', 'planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaa');
    const res = await signIn(browser, person.email, PASSWORD, '/map?month=2025-01');
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/map?month=2025-01');
    const token = browser.sessionCookie();
    assert.ok(token && token !== 'planted-by-an-attacker-aaaaaaaaaaaaaaaaaaaaa', 'a planted session id is never adopted');
    assert.equal((await findSession(getStore().db, token))?.stage, 'full');
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(person.email.replace(/[.]/g, '\\.')));
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.sign_in'));

    // Signing in again from the same browser gives yet another id; the old one stops working.
    assert.equal((await browser.get('/sign-in')).headers.location, '/account', 'the sign-in page sends someone signed in on');
    await browser.post('/sign-in', { email: person.email, password: PASSWORD }, csrfIn(page.body));
    assert.notEqual(browser.sessionCookie(), token);
    assert.equal(await findSession(getStore().db, token), undefined);
  });

  it('refuses open redirects in next', async () => {
    const person = await seedResident(getStore());
    for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/\t/evil.example', 'javascript:alert(1)']) {
      const res = await signIn(new TestBrowser(app), person.email, PASSWORD, next);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/account', `next=${JSON.stringify(next)}`);
    }
    const form = await new TestBrowser(app).get(`/sign-in?next=${encodeURIComponent('//evil.example')}`);
    assert.doesNotMatch(form.body, /name="next"/);
  });

  it('sends a next holding non-ASCII characters on percent-encoded, never as raw bytes or a 500', async () => {
    // "/。" once made Node refuse the Location header (a 500 after the session row was
    // written, so no cookie); "/é" went out as a raw Latin-1 byte.
    // [next as typed in the form, the Location then, next as sent in a query string, the Location then]
    const cases: [string, string, string, string][] = [
      ['/\u3002', '/%E3%80%82', '/%E3%80%82', '/%E3%80%82'],
      ['/\u00e9', '/%C3%A9', '/%C3%A9', '/%C3%A9'],
      ['/map?q=caf\u00e9#\u00e9', '/map?q=caf%C3%A9#%C3%A9', '/map%3Fq%3Dcaf%C3%A9%23%C3%A9', '/map?q=caf%C3%A9#%C3%A9'],
      // A lone surrogate in the form; in a query string, bytes that are not UTF-8 stay escaped.
      ['/\ud800', '/%EF%BF%BD', '/%ED%A0%80', '/%ED%A0%80'],
    ];
    const person = await seedResident(getStore());
    for (const [next, location, query, queryLocation] of cases) {
      const browser = new TestBrowser(app);
      const res = await signIn(browser, person.email, PASSWORD, next);
      assert.equal(res.statusCode, 303, `POST next=${JSON.stringify(next)}`);
      assert.equal(res.headers.location, location);
      assert.ok(browser.sessionCookie(), 'the session cookie is sent');
      const again = await browser.get(`/sign-in?next=${query}`);
      assert.equal(again.statusCode, 303, `GET next=${JSON.stringify(next)} when signed in`);
      assert.equal(again.headers.location, queryLocation);
      assert.match(String(again.headers.location), /^[\x21-\x7e]+$/);
    }
    // Encoding cannot turn a path into another site: "/.//evil" resolves to "//evil".
    for (const next of ['/.//evil.example', '/a/..//evil.example', '/%2e//evil.example']) {
      const res = await signIn(new TestBrowser(app), person.email, PASSWORD, next);
      assert.equal(res.headers.location, '/account', `next=${JSON.stringify(next)}`);
    }
  });

  it('answers an unknown email, a wrong password, and suspended and removed accounts identically', async () => {
    const store = getStore();
    const active = await seedResident(store);
    const suspended = await seedResident(store, { status: 'suspended' });
    const removed = await seedResident(store, { status: 'removed' });
    const cases = [
      { email: uniqueEmail('nobody'), password: PASSWORD },
      { email: active.email, password: 'not the right password at all' },
      { email: suspended.email, password: PASSWORD },
      { email: removed.email, password: PASSWORD },
    ];
    const answers = [];
    for (const c of cases) {
      const browser = new TestBrowser(app);
      const res = await signIn(browser, c.email, c.password);
      assert.equal(browser.sessionCookie(), undefined);
      answers.push({ status: res.statusCode, cache: res.headers['cache-control'], body: comparable(res.body, { [c.email]: 'EMAIL' }) });
    }
    assert.equal(answers[0]!.status, 400);
    assert.match(answers[0]!.body, /Enter a correct email address and password/);
    for (const other of answers.slice(1)) assert.deepEqual(other, answers[0]);
    const failures = (await auditActions(store)).filter((e) => e.action === 'auth.sign_in_failed');
    assert.ok(failures.some((e) => e.actor_id === suspended.id));
    assert.ok(failures.every((e) => !(e.details ?? '').includes('not the right password')), 'the typed password is never logged');
  });

  it('tells someone with the right password for an unconfirmed address to confirm it, and resends the link', async () => {
    const person = await seedResident(getStore(), { status: 'unverified' });
    const browser = new TestBrowser(app);
    const res = await signIn(browser, person.email);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Confirm your email address/);
    assert.equal(browser.sessionCookie(), undefined);
    const resend = /name="resend" value="([^"]+)"/.exec(res.body)![1]!;
    const sent = await browser.post('/sign-up/resend', { resend }, /name="_csrf" value="([^"]+)"/.exec(res.body)![1]);
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Check your email/);
    assert.equal((await mailsTo(getStore(), person.email, 'verify-email')).length, 1);
  });

  it('ends a session on its next request once the person is suspended', async () => {
    const person = await seedResident(getStore());
    const browser = new TestBrowser(app);
    await signIn(browser, person.email);
    assert.equal((await browser.get('/account')).statusCode, 200);
    await getStore().db.updateTable('people').set({ status: 'suspended' }).where('id', '=', person.id).execute();
    const res = await browser.get('/account');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in\?next=/);
    assert.equal(browser.sessionCookie(), undefined);
  });

  it('ends a session after SESSION_IDLE_MINUTES without a request, and after SESSION_ABSOLUTE_HOURS whatever happens', async () => {
    const person = await seedResident(getStore());
    const idle = new TestBrowser(app);
    await signIn(idle, person.email);
    clock.advance(29 * MINUTE);
    assert.equal((await idle.get('/account')).statusCode, 200, 'active within 30 minutes');
    clock.advance(29 * MINUTE);
    assert.equal((await idle.get('/account')).statusCode, 200, 'each request restarts the idle time');
    clock.advance(31 * MINUTE);
    assert.equal((await idle.get('/account')).statusCode, 303, 'idle for 31 minutes');

    const busy = new TestBrowser(app);
    await signIn(busy, person.email);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      clock.advance(20 * MINUTE);
      assert.equal((await busy.get('/account')).statusCode, 200, `still signed in after ${minutes} minutes`);
    }
    clock.advance(20 * MINUTE);
    assert.equal((await busy.get('/account')).statusCode, 303, 'ended after 12 hours however busy');
  });

  it('slows down, then locks an account, emails its owner once, and keeps recovery open', async () => {
    const store = getStore();
    const person = await seedResident(store);
    // A new client address for every try: the lock is on the account, wherever the guesses come from.
    const attempt = (password: string) => signIn(new TestBrowser(app), person.email, password);
    for (let i = 1; i <= 5; i++) assert.equal((await attempt(`wrong guess ${i}`)).statusCode, 400, `free failure ${i}`);
    const slowed = await attempt(PASSWORD);
    assert.equal(slowed.statusCode, 429, 'after five failures even the right password must wait');
    assert.equal(slowed.headers['x-error-code'], 'SC_ERR_THROTTLED');
    assert.match(slowed.body, /Wait 1 second and try again/);
    for (let i = 6; i <= 9; i++) {
      clock.advance(MINUTE);
      assert.equal((await attempt(`wrong guess ${i}`)).statusCode, 400, `failure ${i} after waiting`);
    }
    clock.advance(MINUTE);
    const locked = await attempt('wrong guess 10');
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.headers['x-error-code'], 'SC_ERR_ACCOUNT_LOCKED');
    assert.match(locked.body, /too many failed attempts to sign in\. Wait 30 minutes/);
    assert.match(locked.body, /href="\/recover"/);
    clock.advance(MINUTE);
    const stillLocked = await attempt(PASSWORD);
    assert.equal(stillLocked.statusCode, 429);
    assert.match(stillLocked.body, /Wait 29 minutes/);
    assert.equal((await mailsTo(store, person.email, 'account-locked')).length, 1, 'the owner is emailed once per lock');
    assert.ok((await auditActions(store, person.id)).some((e) => e.action === 'auth.locked_out'));

    // Recovery works while locked, and a reset lifts the lock.
    const browser = new TestBrowser(app);
    assert.equal((await browser.submit('/recover', '/recover', { email: person.email })).statusCode, 200);
    const mail = (await mailsTo(store, person.email, 'recover-account')).at(-1)!;
    const link = /https?:\/\/[^/\s]+(\/recover\/reset\?token=[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    const reset = await browser.submit(link, '/recover/reset', { token: new URL(link, 'http://x').searchParams.get('token')!, password: 'a brand new passphrase' });
    assert.equal(reset.statusCode, 303);
    const after = await signIn(new TestBrowser(app), person.email, 'a brand new passphrase');
    assert.equal(after.statusCode, 303, 'the reset lifted the lock');
  });

  it('locks an unknown address exactly as it locks a real one, and emails nobody', async () => {
    const store = getStore();
    const nobody = uniqueEmail('nobody');
    const real = await seedResident(store);
    const lockPages: string[] = [];
    for (const email of [nobody, real.email]) {
      let last = '';
      for (let i = 1; i <= 10; i++) {
        clock.advance(MINUTE);
        const res = await signIn(new TestBrowser(app), email, `wrong ${i}`);
        assert.equal(res.statusCode, i < 10 ? 400 : 429);
        last = comparable(res.body, { [email]: 'EMAIL' });
      }
      lockPages.push(last);
    }
    assert.equal(lockPages[0], lockPages[1]);
    assert.equal((await mailsTo(store, nobody)).length, 0);
  });

  it('slows down one client address trying many accounts', async () => {
    const browser = new TestBrowser(app);
    for (let i = 1; i <= 20; i++) assert.equal((await signIn(browser, uniqueEmail('spray'), 'guess')).statusCode, 400);
    const res = await signIn(browser, uniqueEmail('spray'), 'guess');
    assert.equal(res.statusCode, 429);
    clock.advance(2 * SECOND);
    assert.equal((await signIn(browser, uniqueEmail('spray'), 'guess')).statusCode, 400);
  });
});

describe('session cookie flags', () => {
  for (const [publicUrl, secure] of [
    ['https://safe.example.org', true],
    ['http://localhost:3000', false],
  ] as const) {
    describeEachStore(`with PUBLIC_URL ${publicUrl}`, (getStore) => {
      let app: FastifyInstance;
      before(async () => {
        app = await buildTestApp(getStore(), new TestClock(), { PUBLIC_URL: publicUrl });
      });
      after(async () => {
        await app.close();
      });

      it(secure ? 'is __Host-, Secure, HttpOnly, SameSite=Lax, Path=/' : 'is HttpOnly, SameSite=Lax, Path=/ and not Secure over plain http', async () => {
        const person = await seedResident(getStore());
        const browser = new TestBrowser(app);
        const res = await signIn(browser, person.email);
        assert.equal(res.statusCode, 303);
        const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
        const session = setCookies.find((c) => /^(__Host-)?sc_session=/.test(c));
        assert.ok(session, setCookies.join(' | '));
        assert.equal(session.startsWith('__Host-sc_session='), secure);
        assert.match(session, /; HttpOnly/i);
        assert.match(session, /; SameSite=Lax/i);
        assert.match(session, /; Path=\/(;|$)/);
        assert.doesNotMatch(session, /; Domain=/i);
        assert.equal(/; Secure/i.test(session), secure);
      });
    });
  }
});
