/**
 * A NUL character (%00) in a path parameter, a query or a form is refused at the edge
 * with 400 on both stores. Before the guard PostgreSQL refused it inside SQL (a 500)
 * while SQLite answered 404, and a refused staff request carrying one failed while
 * being audited. Each URL below is one the route fuzz test found.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { anonymousVisitor, seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { holdsNul } from './nul-guard.ts';

it('finds a NUL in strings, keys and nested values, and nowhere else', () => {
  assert.equal(holdsNul('a\u0000b'), true);
  assert.equal(holdsNul({ q: ['x', 'y\u0000'] }), true);
  assert.equal(holdsNul({ 'k\u0000': 'v' }), true);
  assert.equal(holdsNul({ a: { b: { c: '\u0000' } } }), true);
  assert.equal(holdsNul({ q: 'a%00b', n: 0, ok: true, none: null }), false);
  assert.equal(holdsNul(Buffer.from([0, 0, 0])), false);
});

describeEachStore('NUL in a request', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  });
  after(async () => {
    await app.close();
  });

  it('refuses it in a path or query with 400, on pages and the API, with the headers', async () => {
    for (const [url, accept] of [
      ['/find?q=a%00b', 'text/html'],
      ['/neighbourhoods/%00/SO1/trends', 'text/html'],
      ['/api/%00/SO1/people', 'application/json'],
      ['/api/crimes-street/all-crime?lat=52.6%00&lng=-1.1', 'application/json'],
    ] as const) {
      const res = await app.inject({ url, headers: { accept } });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.headers['x-error-code'], 'SC_ERR_NUL_IN_INPUT', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      if (accept === 'text/html') assert.match(res.body, /NUL character/, url);
    }
  });

  it('refuses it in a form field before the handler or access control runs, auditing nothing', async () => {
    const person = await seedPerson(getStore());
    const browser = await signedInAs(app, person.id);
    const auditRows = async () => (await getStore().db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const before = Number(await auditRows());
    const refused = await app.inject({ url: '/staff/neighbourhoods/hampshire/%00/events', headers: { accept: 'text/html', cookie: browser.cookie } });
    assert.equal(refused.statusCode, 400);
    const visitor = anonymousVisitor(app);
    const form = await app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { accept: 'text/html', cookie: visitor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(visitor.csrf)}&email=a%00%40example.org&password=x`,
    });
    assert.equal(form.statusCode, 400);
    assert.equal(form.headers['x-error-code'], 'SC_ERR_NUL_IN_INPUT');
    assert.equal(Number(await auditRows()), before);
  });

  it('lets the same requests through without the NUL', async () => {
    const res = await app.inject({ url: '/find?q=a%2500b', headers: { accept: 'text/html' } });
    assert.notEqual(res.statusCode, 400);
    assert.ok(res.statusCode < 500);
  });
});
