import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openStore } from '../store/store.ts';

describe('the site shell', () => {
  let app: FastifyInstance;
  before(async () => {
    const store = await openStore('sqlite::memory:');
    app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', SITE_NAME: 'Test Safety', SITE_BRAND_COLOUR: '#123456' }));
  });
  const html = { accept: 'text/html' };

  it('serves the home page with the brand, a search form and strict security headers', async () => {
    const res = await app.inject({ url: '/', headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>Find your neighbourhood – Test Safety<\/title>/);
    assert.match(res.body, /<form action="\/find" method="get"/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    // No inline script anywhere: every <script> loads a file.
    assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('never uses GOV.UK\'s own brand: no crown, no GDS Transport', async () => {
    const page = await app.inject({ url: '/', headers: html });
    assert.doesNotMatch(page.body, /govuk-logo|crown/i);
    const cssUrl = /href="(\/assets\/app\.css\?v=[0-9a-f]+)"/.exec(page.body)?.[1];
    assert.ok(cssUrl);
    const css = await app.inject({ url: cssUrl });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['cache-control']), /immutable/);
    assert.doesNotMatch(css.body, /GDS Transport|@font-face/);
    assert.match(css.body, /#123456/i, 'the configured brand colour is compiled in');
  });

  it('answers an unknown page with the not-found page, and an unknown API path as upstream does', async () => {
    const page = await app.inject({ url: '/no-such-page', headers: html });
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Page not found/);
    const api = await app.inject({ url: '/api/no/such/thing/here' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.body, 'Not Found');
  });

  it('asks for a search term when the search is empty', async () => {
    const res = await app.inject({ url: '/find?q=', headers: html });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /govuk-error-summary/);
    assert.match(res.body, /Enter a postcode, place or neighbourhood name/);
  });

  it('serves the accessibility statement and the notes about the data', async () => {
    for (const url of ['/accessibility', '/about-the-data']) {
      const res = await app.inject({ url, headers: html });
      assert.equal(res.statusCode, 200, url);
    }
  });
});
