import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { findSession, listSessionsOf } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { accountRoutes } from './account.routes.ts';
import { auditActions, buildTestApp, csrfIn, mailsTo, PASSWORD, seedResident, seedStaff, signIn, TestBrowser, TestClock } from './sign-in.test-helper.ts';
import { totpCodeFor } from './totp.ts';

/** Every POST route the account features add. */
const ACCOUNT_POSTS = [
  '/sign-in',
  '/sign-in/two-factor',
  '/sign-up',
  '/sign-up/resend',
  '/verify-email',
  '/recover',
  '/recover/reset',
  '/invitation',
  '/sign-out',
  '/account/password',
  '/account/sessions/sign-out',
  '/account/sessions/sign-out-others',
  '/account/two-factor/set-up',
  '/account/two-factor/confirm',
  '/account/recovery-codes',
];

describeEachStore('the account page', (getStore) => {
  const clock = new TestClock();
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });

  async function signedIn(email: string, userAgent?: string): Promise<TestBrowser> {
    const browser = new TestBrowser(app, userAgent ? { userAgent } : {});
    assert.equal((await signIn(browser, email)).statusCode, 303);
    return browser;
  }
  const handles = (body: string) => [...body.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]!);

  it('shows details, roles, the second factor and every session, never cached', async () => {
    const { person, secret } = await seedStaff(getStore(), app.ctx.config.SECRET_KEY, { totp: true });
    const browser = new TestBrowser(app);
    await signIn(browser, person.email);
    const form = await browser.get('/sign-in/two-factor');
    await browser.post('/sign-in/two-factor', { code: totpCodeFor(secret!, clock.now()) }, csrfIn(form.body));
    await signedIn(person.email, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1');
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.body, new RegExp(person.display_name));
    assert.match(page.body, /DM01 neighbourhood team<\/strong>: Neighbourhood officer/);
    assert.match(page.body, /govuk-tag--green">\s*On/);
    assert.match(page.body, /Chrome on Linux/);
    assert.match(page.body, /Safari on iPhone or iPad/);
    assert.match(page.body, /Signing in/, 'the unfinished sign-in shows too');
    assert.match(page.body, /This session/);
    assert.match(page.body, /autocomplete="current-password"/);
    assert.equal(handles(page.body).length, 2);
  });

  it('changes the password only with the current one, and signs out other sessions when asked', async () => {
    const person = await seedResident(getStore());
    const other = await signedIn(person.email);
    const browser = await signedIn(person.email);
    const page = await browser.get('/account');
    const csrf = csrfIn(page.body);
    const change = (fields: Record<string, string>) => browser.post('/account/password', fields, csrf);

    const wrong = await change({ currentPassword: 'not it at all', newPassword: 'swallows over the river', signOutOthers: 'yes' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /href="#currentPassword">Your current password is not correct/);
    const weak = await change({ currentPassword: PASSWORD, newPassword: 'qwerty123' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /href="#newPassword">Password is too common/);
    assert.equal((await other.get('/account')).statusCode, 200, 'failed changes end nothing');

    const done = await change({ currentPassword: PASSWORD, newPassword: 'swallows over the river', signOutOthers: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/account?changed=password-others');
    assert.equal((await other.get('/account')).statusCode, 303, 'the other session was signed out');
    assert.equal((await browser.get('/account')).statusCode, 200, 'this one was kept');
    assert.equal((await mailsTo(getStore(), person.email, 'password-changed')).length, 1);
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.password_changed'));
    assert.equal((await signIn(new TestBrowser(app), person.email, 'swallows over the river')).statusCode, 303);
  });

  it('signs out one chosen session, or every other one', async () => {
    const person = await seedResident(getStore());
    const [a, b, c] = [await signedIn(person.email), await signedIn(person.email), await signedIn(person.email)];
    const page = await a.get('/account');
    const mine = handles(page.body)[0]!; // the current session is listed first
    const others = handles(page.body).slice(1);
    assert.equal(others.length, 2);
    await a.post('/account/sessions/sign-out', { session: others[0]! }, csrfIn(page.body));
    assert.equal((await listSessionsOf(getStore().db, person.id)).length, 2);
    await a.post('/account/sessions/sign-out-others', {}, csrfIn(page.body));
    assert.equal((await b.get('/account')).statusCode, 303);
    assert.equal((await c.get('/account')).statusCode, 303);
    assert.equal((await a.get('/account')).statusCode, 200);
    const last = await a.post('/account/sessions/sign-out', { session: mine }, csrfIn(page.body));
    assert.equal(last.headers.location, '/');
    assert.equal((await listSessionsOf(getStore().db, person.id)).length, 0);
  });

  it('signs out with Clear-Site-Data and an audit entry', async () => {
    const person = await seedResident(getStore());
    const browser = await signedIn(person.email);
    const token = browser.sessionCookie()!;
    const page = await browser.get('/account');
    const res = await browser.post('/sign-out', {}, csrfIn(page.body));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/');
    assert.equal(res.headers['clear-site-data'], '"cookies"');
    assert.equal(await findSession(getStore().db, token), undefined);
    assert.equal(browser.sessionCookie(), undefined);
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.sign_out'));
  });

  it('refuses every account POST without a CSRF token, or with another session’s', async () => {
    // The routes accountRoutes registers, read from a bare instance so other features' routes do not mix in.
    const probe = Fastify();
    probe.decorate('ctx', app.ctx);
    const declared: string[] = [];
    probe.addHook('onRoute', (route) => {
      if (([] as string[]).concat(route.method).includes('POST')) declared.push(route.url);
    });
    await probe.register(accountRoutes);
    await probe.close();
    assert.deepEqual([...declared].sort(), [...ACCOUNT_POSTS].sort(), 'the list covers every account POST route');
    const person = await seedResident(getStore());
    const victim = await signedIn(person.email);
    const attacker = await signedIn((await seedResident(getStore())).email);
    const attackerToken = csrfIn((await attacker.get('/account')).body);
    const anonymous = new TestBrowser(app);
    await anonymous.get('/sign-in');
    const otherAnonymousToken = csrfIn((await new TestBrowser(app).get('/sign-in')).body);
    for (const url of ACCOUNT_POSTS) {
      for (const [label, browser, token] of [
        ['no token', victim, undefined],
        ['another session’s token', victim, attackerToken],
        ['anonymous, no token', anonymous, undefined],
        ['anonymous, another visitor’s token', anonymous, otherAnonymousToken],
      ] as const) {
        if (label.startsWith('anonymous') && url.startsWith('/account/') && url !== '/account/two-factor/confirm') continue; // refused as signed out first
        const res = await browser.post(url, { email: person.email, password: PASSWORD, session: 'x', token: 'x' }, token);
        assert.equal(res.statusCode, 403, `${url}: ${label}`);
        assert.equal(res.headers['x-error-code'], 'SC_ERR_CSRF', `${url}: ${label}`);
      }
    }
    assert.equal((await victim.get('/account')).statusCode, 200, 'nothing signed the victim out');
  });
});
