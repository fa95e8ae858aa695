import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { findSession } from '../sessions/session.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { findPersonById } from './people.repository.ts';
import { issueRecoveryCodes } from './recovery-codes.ts';
import { auditActions, buildTestApp, csrfIn, mailsTo, MINUTE, PASSWORD, SECOND, seedStaff, signIn, TestBrowser, TestClock } from './sign-in.test-helper.ts';
import { totpCodeFor } from './totp.ts';

describeEachStore('second factor at sign-in', (getStore) => {
  const clock = new TestClock('2025-03-03T09:00:10.000Z');
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });
  const key = () => app.ctx.config.SECRET_KEY;
  const at = (offsetSeconds: number) => new Date(clock.at + offsetSeconds * 1000);

  /** Signs in with the password; the browser is then at the code page. */
  async function passwordStep(email: string): Promise<{ browser: TestBrowser; csrf: string }> {
    const browser = new TestBrowser(app);
    const res = await signIn(browser, email);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/sign-in/two-factor');
    const page = await browser.get('/sign-in/two-factor');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /autocomplete="one-time-code"/);
    assert.match(page.body, /inputmode="numeric"/);
    return { browser, csrf: csrfIn(page.body) };
  }
  const sendCode = (b: { browser: TestBrowser; csrf: string }, code: string, method = 'app') => b.browser.post('/sign-in/two-factor', { code, method }, b.csrf);

  it('gives a password-only session nothing but the code page, then a new session id for the code', async () => {
    const { person, secret } = await seedStaff(getStore(), key(), { totp: true });
    const step = await passwordStep(person.email);
    const partial = step.browser.sessionCookie()!;
    assert.equal((await findSession(getStore().db, partial))?.stage, 'mfa');
    const staffPages = app.declaredRoutes.filter((r) => r.method === 'GET' && /^\/(staff|admin)(\/[a-z-]*)?$/.test(r.url)).map((r) => r.url);
    assert.ok(staffPages.includes('/staff') && staffPages.includes('/admin'), staffPages.join(' '));
    for (const url of ['/account', '/account/recovery-codes', '/staff/neighbourhoods/demo/DM01', ...staffPages]) {
      const res = await step.browser.get(url);
      assert.equal(res.statusCode, 303, url);
      assert.equal(res.headers.location, '/sign-in/two-factor', url);
    }
    const res = await sendCode(step, totpCodeFor(secret!, at(0)));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account');
    const full = step.browser.sessionCookie()!;
    assert.notEqual(full, partial);
    assert.equal(await findSession(getStore().db, partial), undefined, 'the password-only id no longer works');
    assert.equal((await step.browser.get('/account')).statusCode, 200);
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.sign_in'));
  });

  it('accepts a code once, refuses it again, refuses codes two steps away and accepts one step either side', async () => {
    const { person, secret } = await seedStaff(getStore(), key(), { totp: true });
    const step = await passwordStep(person.email);
    assert.equal((await sendCode(step, totpCodeFor(secret!, at(-60)))).statusCode, 400, 'two steps old');
    assert.equal((await sendCode(step, totpCodeFor(secret!, at(60)))).statusCode, 400, 'two steps ahead');
    assert.equal((await sendCode(step, totpCodeFor(secret!, at(-30)))).statusCode, 303, 'one step old');

    const again = await passwordStep(person.email);
    const reused = await sendCode(again, totpCodeFor(secret!, at(-30)));
    assert.equal(reused.statusCode, 400, 'the same code again');
    assert.match(reused.body, /has already been used/);
    assert.equal((await sendCode(again, totpCodeFor(secret!, at(30)))).statusCode, 303, 'one step ahead');

    const third = await passwordStep(person.email);
    assert.equal((await sendCode(third, totpCodeFor(secret!, at(0)))).statusCode, 400, 'a step before the last one accepted');
    const failures = (await auditActions(getStore(), person.id)).filter((e) => e.action === 'auth.mfa_failed');
    assert.equal(failures.length, 4);
  });

  it('lets only one of two simultaneous requests use a code', async () => {
    const { person, secret } = await seedStaff(getStore(), key(), { totp: true });
    const [a, b] = [await passwordStep(person.email), await passwordStep(person.email)];
    const code = totpCodeFor(secret!, at(0));
    const results = await Promise.all([sendCode(a, code), sendCode(b, code)]);
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [303, 400]);
  });

  it('accepts a recovery code once', async () => {
    const { person } = await seedStaff(getStore(), key(), { totp: true });
    const [code] = await issueRecoveryCodes(getStore().db, person.id, clock.now());
    const step = await passwordStep(person.email);
    const form = await step.browser.get('/sign-in/two-factor?method=recovery');
    assert.match(form.body, /Enter a recovery code/);
    assert.equal((await sendCode(step, code!.toLowerCase(), 'recovery')).statusCode, 303);
    const again = await passwordStep(person.email);
    assert.equal((await sendCode(again, code!, 'recovery')).statusCode, 400);
  });

  it('gives a password-only session five minutes', async () => {
    const { person, secret } = await seedStaff(getStore(), key(), { totp: true });
    const step = await passwordStep(person.email);
    clock.advance(5 * MINUTE + SECOND);
    const page = await step.browser.get('/sign-in/two-factor');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/sign-in');
    // The form's token belonged to the session that ended, so the form is refused as out of date.
    const res = await sendCode(step, totpCodeFor(secret!, clock.now()));
    assert.equal(res.statusCode, 403);
    assert.equal(step.browser.sessionCookie(), undefined);
  });

  it('throttles wrong codes, logs each, emails the owner and then locks', async () => {
    const { person, secret } = await seedStaff(getStore(), key(), { totp: true });
    const step = await passwordStep(person.email);
    const wrong = () => String((Number(totpCodeFor(secret!, clock.now())) + 500_000) % 1_000_000).padStart(6, '0');
    for (let i = 1; i <= 9; i++) {
      const res = await sendCode(step, wrong());
      assert.equal(res.statusCode, 400, `wrong code ${i}`);
      // Past each slow-down (1, 2, 4 … 60 seconds after the third failure).
      clock.advance(61 * SECOND);
      if (i === 3) assert.equal((await mailsTo(getStore(), person.email, 'new-sign-in-code-failures')).length, 1);
      // The password-only session lasts five minutes: start again when it runs out.
      if (i % 4 === 0) Object.assign(step, await passwordStep(person.email));
    }
    const locked = await sendCode(step, wrong());
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.headers['x-error-code'], 'SC_ERR_ACCOUNT_LOCKED');
    clock.advance(SECOND);
    const right = await sendCode(step, totpCodeFor(secret!, clock.now()));
    assert.equal(right.statusCode, 429, 'even the right code waits out the lock');
    assert.equal((await mailsTo(getStore(), person.email, 'new-sign-in-code-failures')).length, 2);
    const actions = (await auditActions(getStore(), person.id)).map((e) => e.action);
    assert.equal(actions.filter((a) => a === 'auth.mfa_failed').length, 10);
    assert.ok(actions.includes('auth.locked_out'));
    clock.advance(31 * MINUTE);
  });
});

describeEachStore('setting up an authentication app', (getStore) => {
  const clock = new TestClock('2025-03-04T09:00:10.000Z');
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp(getStore(), clock);
  });
  after(async () => {
    await app.close();
  });
  const secretOn = (body: string) => /data-secret="([A-Z2-7]+)"/.exec(body)![1]!;
  const pendingOn = (body: string) => /name="pending" value="([^"]+)"/.exec(body)![1]!;

  it('takes staff without an app from the password to set-up, then to a full session with recovery codes', async () => {
    const { person } = await seedStaff(getStore(), app.ctx.config.SECRET_KEY);
    const browser = new TestBrowser(app);
    const res = await signIn(browser, person.email);
    assert.equal(res.headers.location, '/account/two-factor/set-up');
    const enrolling = browser.sessionCookie()!;
    assert.equal((await findSession(getStore().db, enrolling))?.stage, 'enrol');
    for (const url of ['/account', '/staff', '/admin', '/staff/neighbourhoods/demo/DM01']) {
      assert.equal((await browser.get(url)).headers.location, '/account/two-factor/set-up', url);
    }
    assert.equal((await browser.get('/sign-in/two-factor')).headers.location, '/account/two-factor/set-up');

    const page = await browser.get('/account/two-factor/set-up');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg /, 'the QR code is inline SVG');
    const secret = secretOn(page.body);
    const csrf = csrfIn(page.body);
    const wrong = await browser.post('/account/two-factor/confirm', { pending: pendingOn(page.body), code: '000000' }, csrf);
    assert.equal(wrong.statusCode, 400);
    assert.equal(secretOn(wrong.body), secret, 'the same secret is offered again');
    const done = await browser.post('/account/two-factor/confirm', { pending: pendingOn(page.body), code: totpCodeFor(secret, clock.now()) }, csrf);
    assert.equal(done.statusCode, 200);
    assert.equal([...done.body.matchAll(/<code[^>]*>[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}<\/code>/g)].length, 10);
    assert.match(done.body, /I have saved these codes/);
    assert.notEqual(browser.sessionCookie(), enrolling);
    assert.equal(await findSession(getStore().db, enrolling), undefined);
    assert.equal((await browser.get('/account')).statusCode, 200);

    const stored = (await findPersonById(getStore().db, person.id))!;
    assert.ok(stored.totp_secret?.startsWith('v1.') && !stored.totp_secret.includes(secret), 'the secret is stored sealed');
    assert.ok((await auditActions(getStore(), person.id)).some((e) => e.action === 'auth.mfa_enrolled'));
    assert.equal((await mailsTo(getStore(), person.email, 'two-factor-changed')).length, 1);

    // The code typed at set-up cannot be used again to sign in.
    const again = new TestBrowser(app);
    await signIn(again, person.email);
    const form = await again.get('/sign-in/two-factor');
    assert.equal((await again.post('/sign-in/two-factor', { code: totpCodeFor(secret, clock.now()) }, csrfIn(form.body))).statusCode, 400);
  });

  it('makes someone signed in re-enter their password to replace their app, and ends their other sessions', async () => {
    const { person, secret: oldSecret } = await seedStaff(getStore(), app.ctx.config.SECRET_KEY, { totp: true });
    const signInFully = async () => {
      const b = new TestBrowser(app);
      await signIn(b, person.email);
      const form = await b.get('/sign-in/two-factor');
      clock.advance(30 * SECOND);
      assert.equal((await b.post('/sign-in/two-factor', { code: totpCodeFor(oldSecret!, clock.now()) }, csrfIn(form.body))).statusCode, 303);
      return b;
    };
    const other = await signInFully();
    const browser = await signInFully();
    const ask = await browser.get('/account/two-factor/set-up');
    assert.match(ask.body, /enter your password first/);
    assert.doesNotMatch(ask.body, /data-secret/);
    const forged = await browser.post('/account/two-factor/confirm', { pending: 'v1.forged.value.here', code: '123456' }, csrfIn(ask.body));
    assert.equal(forged.statusCode, 303, 'a made-up form value gets nowhere');
    const refused = await browser.post('/account/two-factor/set-up', { password: 'not my password' }, csrfIn(ask.body));
    assert.equal(refused.statusCode, 400);
    const page = await browser.post('/account/two-factor/set-up', { password: PASSWORD }, csrfIn(ask.body));
    assert.equal(page.statusCode, 200);
    const secret = secretOn(page.body);
    const done = await browser.post('/account/two-factor/confirm', { pending: pendingOn(page.body), code: totpCodeFor(secret, clock.now()) }, csrfIn(page.body));
    assert.equal(done.statusCode, 200);
    assert.equal((await browser.get('/account')).statusCode, 200);
    assert.equal((await other.get('/account')).statusCode, 303, 'the other session was ended');
  });

  it('gives new recovery codes only after the password, replacing the old ones', async () => {
    const { person, secret } = await seedStaff(getStore(), app.ctx.config.SECRET_KEY, { totp: true });
    const [old] = await issueRecoveryCodes(getStore().db, person.id, clock.now());
    const browser = new TestBrowser(app);
    await signIn(browser, person.email);
    const form = await browser.get('/sign-in/two-factor');
    clock.advance(30 * SECOND);
    await browser.post('/sign-in/two-factor', { code: totpCodeFor(secret!, clock.now()) }, csrfIn(form.body));
    const ask = await browser.get('/account/recovery-codes');
    assert.equal(ask.statusCode, 200);
    assert.equal((await browser.post('/account/recovery-codes', { password: 'wrong password here' }, csrfIn(ask.body))).statusCode, 400);
    const codes = await browser.post('/account/recovery-codes', { password: PASSWORD }, csrfIn(ask.body));
    assert.equal(codes.statusCode, 200);
    assert.doesNotMatch(codes.body, new RegExp(old!));
    const count = await getStore().db.selectFrom('recovery_codes').select(({ fn }) => fn.countAll<number>().as('n')).where('person_id', '=', person.id).where('used_at', 'is', null).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 10);
  });
});
