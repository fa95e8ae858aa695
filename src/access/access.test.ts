import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { loadConfig } from '../config.ts';
import { bumpPrivilegeVersion } from '../accounts/people.repository.ts';
import { addMembership } from '../organisations/organisations.repository.ts';
import { createSession, findSession } from '../sessions/session.repository.ts';
import { anonymousVisitor, ensureOrganisation, seedPerson, signedInAs, teamOrganisation } from '../sessions/session.test-helper.ts';
import { FALLBACK_CSP, HSTS } from '../site/security-headers.ts';
import { openStore, type Store } from '../store/store.ts';
import { access } from './access.ts';

const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('route declarations', () => {
  it('refuses to start when a route declares no action, naming it', async () => {
    const store = await openStore('sqlite::memory:');
    const app = await buildApp(store, config);
    app.get('/undeclared', async () => 'oops');
    await assert.rejects(async () => {
      await app.ready();
    }, /Routes without a declared action[\s\S]*GET \/undeclared/);
    await store.close();
  });
});

describe('client addresses behind a proxy', () => {
  it('takes the address the trusted proxy saw, not what the client wrote in X-Forwarded-For', async () => {
    const store = await openStore('sqlite::memory:');
    const app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', TRUST_PROXY: 'true' }));
    app.get('/test/ip', { config: access('public.view') }, async (request) => request.ip);
    const response = await app.inject({ url: '/test/ip', headers: { 'x-forwarded-for': '6.6.6.6, 203.0.113.7' }, remoteAddress: '127.0.0.1' });
    assert.equal(response.body, '203.0.113.7', 'the forged left-most entry is ignored');
    await app.close();
    await store.close();
  });
});

describe('access control, CSRF and headers', () => {
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    store = await openStore('sqlite::memory:');
    app = await buildApp(store, config);
    app.post('/test/open-form', { config: access('account.authenticate') }, async () => ({ done: true }));
    app.post(
      '/test/team/:force/:id',
      {
        config: access('neighbourhood.edit', (r) => {
          const params = r.params as { force: string; id: string };
          return { forceId: params.force, neighbourhoodId: params.id };
        }),
      },
      async () => ({ edited: true }),
    );
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  it('accepts a form with the visitor’s own token and refuses one without, or with someone else’s', async () => {
    const me = anonymousVisitor(app);
    const other = anonymousVisitor(app);
    const post = (cookie: string, csrf?: string) =>
      app.inject({ method: 'POST', url: '/test/open-form', headers: { cookie, 'content-type': FORM }, payload: form(csrf ? { _csrf: csrf } : {}) });
    assert.equal((await post(me.cookie, me.csrf)).statusCode, 200);
    assert.equal((await post(me.cookie)).statusCode, 403);
    assert.equal((await post(me.cookie, other.csrf)).statusCode, 403);
    assert.equal((await post('', me.csrf)).statusCode, 403, 'a token without its cookie');
    const refused = await post(me.cookie);
    assert.equal(refused.headers['x-error-code'], 'SC_ERR_CSRF');
  });

  it('refuses a cross-site request even when it carries a valid token', async () => {
    const me = anonymousVisitor(app);
    const attempts = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site', origin: config.PUBLIC_URL },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of attempts) {
      const response = await app.inject({
        method: 'POST',
        url: '/test/open-form',
        headers: { cookie: me.cookie, 'content-type': FORM, ...headers },
        payload: form({ _csrf: me.csrf }),
      });
      assert.equal(response.statusCode, 403, JSON.stringify(headers));
    }
    const sameOrigin = await app.inject({
      method: 'POST',
      url: '/test/open-form',
      headers: { cookie: me.cookie, 'content-type': FORM, origin: config.PUBLIC_URL, 'sec-fetch-site': 'same-origin' },
      payload: form({ _csrf: me.csrf }),
    });
    assert.equal(sameOrigin.statusCode, 200);
    // A page sent with Referrer-Policy: no-referrer makes the browser send Origin: null on
    // its own form; Sec-Fetch-Site still says same-origin, and that is believed.
    const noReferrerPage = await app.inject({
      method: 'POST',
      url: '/test/open-form',
      headers: { cookie: me.cookie, 'content-type': FORM, origin: 'null', 'sec-fetch-site': 'same-origin' },
      payload: form({ _csrf: me.csrf }),
    });
    assert.equal(noReferrerPage.statusCode, 200);
  });

  it('ties a signed-in person’s token to their session', async () => {
    const officer = await seedPerson(store, { roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation('demo', 'DM01') }] });
    const one = await signedInAs(app, officer.id);
    const two = await signedInAs(app, officer.id);
    const post = (cookie: string, csrf: string) =>
      app.inject({ method: 'POST', url: '/test/team/demo/DM01', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: csrf }) });
    assert.equal((await post(one.cookie, one.csrf)).statusCode, 200);
    assert.equal((await post(one.cookie, two.csrf)).statusCode, 403, 'another session’s token');
  });

  it('denies another neighbourhood’s page, logs the denial, and sends anonymous visitors to sign in', async () => {
    const officer = await seedPerson(store, { roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation('demo', 'DM01') }] });
    const me = await signedInAs(app, officer.id);
    const denied = await app.inject({
      method: 'POST',
      url: '/test/team/demo/DM02',
      headers: { cookie: me.cookie, 'content-type': FORM },
      payload: form({ _csrf: me.csrf }),
    });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.headers['x-error-code'], 'SC_ERR_FORBIDDEN');
    const [entry] = await listAudit(store, { actorId: officer.id });
    assert.equal(entry?.action, 'access.denied');
    assert.deepEqual(JSON.parse(entry?.details ?? '{}').target, { forceId: 'demo', neighbourhoodId: 'DM02' });

    const visitor = anonymousVisitor(app);
    const anonymous = await app.inject({
      method: 'POST',
      url: '/test/team/demo/DM01',
      headers: { cookie: visitor.cookie, 'content-type': FORM },
      payload: form({ _csrf: visitor.csrf }),
    });
    assert.equal(anonymous.statusCode, 401);
  });

  it('refuses a half-signed-in session (second factor not yet given) as if signed out', async () => {
    const officer = await seedPerson(store, { roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation('demo', 'DM01') }] });
    const half = await signedInAs(app, officer.id, 'mfa');
    const response = await app.inject({
      method: 'POST',
      url: '/test/team/demo/DM01',
      headers: { cookie: half.cookie, 'content-type': FORM },
      payload: form({ _csrf: half.csrf }),
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.headers['x-error-code'], 'SC_ERR_SECOND_FACTOR_REQUIRED');
  });

  it('sends a session that never gave a second factor to give one when its person is granted a role', async () => {
    const resident = await seedPerson(store);
    const session = await createSession(store.db, { personId: resident.id, stage: 'full', privilegeVersion: 0, absoluteHours: 12 });
    const cookie = `sc_session=${session.token}`;
    // Granted a team role while signed in as a resident (password only).
    await addMembership(store.db, resident.id, teamOrganisation('demo', 'DM01').id, 'neighbourhood_officer', null);
    await ensureOrganisation(store, teamOrganisation('demo', 'DM01'));
    await bumpPrivilegeVersion(store.db, resident.id);
    const response = await app.inject({ url: '/staff', headers: { cookie, accept: 'text/html' } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/account/two-factor/set-up');
    assert.equal(await findSession(store.db, session.token), undefined, 'the old session is gone');
    const next = String(response.headers['set-cookie']).match(/sc_session=([^;]+)/)?.[1];
    assert.equal((await findSession(store.db, next!))?.stage, 'enrol');
  });

  it('puts security headers on API answers as well as pages, and HSTS only over https', async () => {
    const api = await app.inject({ url: '/api/forces' });
    assert.equal(api.headers['content-security-policy'], FALLBACK_CSP);
    assert.equal(api.headers['x-content-type-options'], 'nosniff');
    assert.equal(api.headers['strict-transport-security'], undefined);
    const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe-inline/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);

    const secureStore = await openStore('sqlite::memory:');
    const secure = await buildApp(secureStore, loadConfig({}, { LOG_LEVEL: 'silent', PUBLIC_URL: 'https://safe.example.org' }));
    const answer = await secure.inject({ url: '/api/forces' });
    assert.equal(answer.headers['strict-transport-security'], HSTS);
    await secure.close();
    await secureStore.close();
  });
});
