/**
 * Every state-changing route outside the open data API refuses a request without a
 * valid CSRF token, whoever sends it, before it changes anything. Generated from the
 * routes the app declares, so a new form is covered the moment it exists.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { anonymousVisitor, signedInAs } from '../sessions/session.test-helper.ts';
import { openStore, type Store } from '../store/store.ts';
import { seedMatrix, type MatrixFixture } from './matrix.fixtures.ts';

let store: Store;
let app: FastifyInstance;
let fx: MatrixFixture;
before(async () => {
  store = await openStore('sqlite::memory:');
  fx = await seedMatrix(store);
  app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

const concrete = (url: string) => url.replace(/:([A-Za-z]+)/g, 'x');

it('refuses every POST without a token, or with another session’s, as CSRF', async () => {
  const posts = app.declaredRoutes.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/'));
  assert.ok(posts.length > 50, `only ${posts.length} POST routes found`);
  const admin = await signedInAs(app, fx.personIds.platform_admin!);
  const coordinator = await signedInAs(app, fx.personIds.scheme_coordinator!);
  const visitor = anonymousVisitor(app);
  const wrong: string[] = [];
  for (const route of posts) {
    const attempts = [
      { who: 'anonymous without a token', cookie: visitor.cookie, token: undefined },
      { who: 'administrator without a token', cookie: admin.cookie, token: undefined },
      { who: 'administrator with another session’s token', cookie: admin.cookie, token: coordinator.csrf },
      { who: 'administrator with a visitor’s token', cookie: admin.cookie, token: visitor.csrf },
    ];
    for (const attempt of attempts) {
      const response = await app.inject({
        method: 'POST',
        url: concrete(route.url),
        headers: { cookie: attempt.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        payload: attempt.token === undefined ? 'name=x' : `_csrf=${encodeURIComponent(attempt.token)}&name=x`,
      });
      if (response.statusCode !== 403 || response.headers['x-error-code'] !== 'SC_ERR_CSRF') {
        wrong.push(`${route.url} (${attempt.who}): ${response.statusCode} ${String(response.headers['x-error-code'] ?? '')}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});
