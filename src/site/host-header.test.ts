/**
 * Absolute links come from PUBLIC_URL, never from the request: a hostile Host or
 * X-Forwarded-Host must not reach a calendar file, an email or a page.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { csrfIn, mailsTo, seedResident } from '../accounts/sign-in.test-helper.ts';
import { AREA, FORCE, seedAndBuild } from '../neighbourhood-page/neighbourhood-page.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';

const SITE = 'https://safe.example.org';
const EVIL = 'evil.example';
const hostile = { host: EVIL, 'x-forwarded-host': EVIL, 'x-forwarded-proto': 'http', forwarded: `host=${EVIL};proto=http` };

describeEachStore('absolute links under a hostile Host header', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await (await seedAndBuild(getStore())).close();
    // Trusting every proxy is the worst case: the request's own idea of its host is the attacker's.
    const config = loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0', PUBLIC_URL: SITE, TRUST_PROXY: 'true' });
    app = await buildApp(getStore(), config);
  });
  after(async () => app?.close());

  const clean = (res: LightMyRequestResponse, what: string) => {
    assert.ok(!res.body.includes(EVIL), `${what}: the body names the Host header`);
    assert.ok(!JSON.stringify(res.headers).includes(EVIL), `${what}: a header names the Host header`);
  };

  it('builds calendar files’ links from PUBLIC_URL', async () => {
    const page = `/neighbourhoods/${FORCE}/${AREA}`;
    const all = await app.inject({ url: `${page}/events.ics`, headers: hostile });
    assert.equal(all.statusCode, 200);
    clean(all, 'events.ics');
    const links = [...all.body.matchAll(/URL:(\S+)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0 && links.every((u) => u.startsWith(`${SITE}${page}`)), links.join(' '));
  });

  it('keeps the Host header out of pages', async () => {
    for (const url of ['/', `/neighbourhoods/${FORCE}/${AREA}`, '/map', '/watch', '/sign-in', '/sign-up', '/recover', '/about-the-data']) {
      const res = await app.inject({ url, headers: { ...hostile, accept: 'text/html' } });
      assert.ok(res.statusCode < 500, `${url} answered ${res.statusCode}`);
      clean(res, url);
    }
  });

  it('builds emailed links from PUBLIC_URL', async () => {
    const person = await seedResident(getStore());
    const form = await app.inject({ url: '/recover', headers: { ...hostile, accept: 'text/html' } });
    const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const sent = await app.inject({
      method: 'POST',
      url: '/recover',
      headers: { ...hostile, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ _csrf: csrfIn(form.body), email: person.email }).toString(),
    });
    assert.equal(sent.statusCode, 200, sent.body.slice(0, 300));
    const [mail] = await mailsTo(getStore(), person.email, 'recover-account');
    assert.ok(mail, 'a recovery email');
    assert.ok(!mail.text_body.includes(EVIL));
    assert.match(mail.text_body, new RegExp(`${SITE}/recover/reset\\?token=`));
  });
});
