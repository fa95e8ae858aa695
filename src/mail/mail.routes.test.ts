/**
 * The outbox pages through app.inject: who may see and retry, CSRF on retry, filters
 * and paging, links hidden from administrators in production, and /dev/mail existing
 * only in development and tests without SMTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { loadConfig } from '../config.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { queueMail } from './mail.service.ts';
import { MAX_ATTEMPTS } from './outbox.repository.ts';
import { PAGE_SIZE } from './outbox.routes.ts';

const html = { accept: 'text/html' };
const FORM = 'application/x-www-form-urlencoded';
const t0 = new Date('2026-05-01T08:00:00Z');
const text = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

async function queueRecovery(store: Store, app: FastifyInstance, to: string, token = 'TOKEN-SECRET-1') {
  return queueMail(store.db, app.ctx.config, { to, template: 'recover-account', data: { name: 'Sam', link: `/recover/${token}` } }, t0);
}

async function kill(store: Store, id: number) {
  await store.db.updateTable('outbox').set({ status: 'dead', attempts: MAX_ATTEMPTS, last_error: '550 Mailbox unavailable' }).where('id', '=', id).execute();
}

describeEachStore('outbox pages', (getStore) => {
  let app: FastifyInstance;
  let admin: BrowserHeaders;
  let member: BrowserHeaders;
  before(async () => {
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
    await app.ready();
    const adminPerson = await seedPerson(getStore(), { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    admin = await signedInAs(app, adminPerson.id);
    member = await signedInAs(app, (await seedPerson(getStore())).id);
  });
  after(async () => {
    await app.close();
  });
  beforeEach(async () => {
    await getStore().db.deleteFrom('outbox').execute();
  });

  it('sends anonymous visitors to sign in and refuses people without platform_admin', async () => {
    const anonymous = await app.inject({ url: '/admin/outbox', headers: html });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/sign-in?next=%2Fadmin%2Foutbox');
    const { id } = await queueRecovery(getStore(), app, 'sam@example.org');
    for (const url of ['/admin/outbox', `/admin/outbox/${id}`]) {
      const refused = await app.inject({ url, headers: { ...html, cookie: member.cookie } });
      assert.equal(refused.statusCode, 403, url);
      assert.ok(!refused.body.includes('sam@example.org'));
    }
    const refusedRetry = await app.inject({ method: 'POST', url: `/admin/outbox/${id}/retry`, headers: { ...html, cookie: member.cookie, 'content-type': FORM }, payload: `_csrf=${encodeURIComponent(member.csrf)}` });
    assert.equal(refusedRetry.statusCode, 403);
  });

  it('lists messages newest first with status, attempts, next attempt and last error, filtered by status and recipient', async () => {
    const store = getStore();
    const first = await queueRecovery(store, app, 'ann@example.org');
    const second = await queueRecovery(store, app, 'bob@other.org');
    await kill(store, first.id);
    const page = await app.inject({ url: '/admin/outbox', headers: { ...html, cookie: admin.cookie } });
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    assert.ok(body.indexOf('bob@other.org') < body.indexOf('ann@example.org') && body.indexOf('bob@other.org') > 0);
    assert.match(body, /ann@example\.org Reset your SAFE Communities password Gave up 7\s+550 Mailbox unavailable/);
    assert.match(body, /bob@other\.org Reset your SAFE Communities password Queued 0 1 May 2026, 09:00:00/);
    assert.ok(page.body.includes(`href="/admin/outbox/${second.id}"`));
    assert.ok(!page.body.includes('TOKEN-SECRET-1'), 'bodies are not in the list');

    const dead = await app.inject({ url: '/admin/outbox?status=dead', headers: { ...html, cookie: admin.cookie } });
    assert.ok(dead.body.includes('ann@example.org') && !dead.body.includes('bob@other.org'));
    const byRecipient = await app.inject({ url: '/admin/outbox?to=OTHER.org', headers: { ...html, cookie: admin.cookie } });
    assert.ok(!byRecipient.body.includes('ann@example.org') && byRecipient.body.includes('bob@other.org'));
    const none = await app.inject({ url: '/admin/outbox?status=sent', headers: { ...html, cookie: admin.cookie } });
    assert.ok(none.body.includes('No messages match the filter'));
    // A nonsense filter is ignored, not an error.
    assert.equal((await app.inject({ url: '/admin/outbox?status=bogus&before=x', headers: { ...html, cookie: admin.cookie } })).statusCode, 200);
  });

  it('pages through older messages, keeping the filter', async () => {
    const store = getStore();
    for (let i = 0; i <= PAGE_SIZE; i += 1) await queueRecovery(store, app, `p${i}@example.org`);
    const first = await app.inject({ url: '/admin/outbox?to=example', headers: { ...html, cookie: admin.cookie } });
    assert.ok(first.body.includes(`p${PAGE_SIZE}@example.org`) && !first.body.includes('>p0@example.org<'));
    const older = /href="(\/admin\/outbox\?to=example&amp;before=\d+)"/.exec(first.body);
    assert.ok(older, 'a link to older messages');
    const second = await app.inject({ url: older[1]!.replace(/&amp;/g, '&'), headers: { ...html, cookie: admin.cookie } });
    assert.ok(second.body.includes('>p0@example.org<') && !second.body.includes(`>p1@example.org<`));
    assert.ok(second.body.includes('href="/admin/outbox?to=example"'), 'a link back to the newest');
  });

  it('shows one message with its text body, and records that an administrator read it', async () => {
    const { id } = await queueRecovery(getStore(), app, 'sam@example.org');
    const page = await app.inject({ url: `/admin/outbox/${id}`, headers: { ...html, cookie: admin.cookie } });
    assert.equal(page.statusCode, 200);
    const body = text(page.body);
    assert.match(body, /To sam@example\.org/);
    assert.match(body, /Template recover-account/);
    assert.match(body, /Status Queued/);
    assert.match(body, /We received a request to reset the password/);
    // Outside production the link is shown (there are no real accounts to take over).
    assert.ok(page.body.includes('http://localhost:3000/recover/TOKEN-SECRET-1'));
    assert.ok(!page.body.includes('retry-form'), 'only a dead message can be retried');
    const audit = await listAudit(getStore(), { subjectType: 'outbox_message', subjectId: String(id) });
    assert.deepEqual(audit.map((a) => a.action), ['record.view']);
    for (const url of ['/admin/outbox/999999', '/admin/outbox/abc', '/admin/outbox/0']) {
      assert.equal((await app.inject({ url, headers: { ...html, cookie: admin.cookie } })).statusCode, 404, url);
    }
  });

  it('retries a dead message only with the form’s CSRF token', async () => {
    const store = getStore();
    const { id } = await queueRecovery(store, app, 'dead@example.org');
    await kill(store, id);
    const detail = await app.inject({ url: `/admin/outbox/${id}`, headers: { ...html, cookie: admin.cookie } });
    assert.ok(detail.body.includes(`action="/admin/outbox/${id}/retry"`));
    assert.ok(detail.body.includes(`name="_csrf" value="${admin.csrf}"`));

    const retry = (payload: string) => app.inject({ method: 'POST', url: `/admin/outbox/${id}/retry`, headers: { ...html, cookie: admin.cookie, 'content-type': FORM }, payload });
    const forged = await retry('');
    assert.equal(forged.statusCode, 403);
    assert.equal((await retry('_csrf=not-the-token')).statusCode, 403);
    let row = await store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'dead');

    const accepted = await retry(`_csrf=${encodeURIComponent(admin.csrf)}`);
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, `/admin/outbox/${id}?retried=1`);
    row = await store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.attempts], ['queued', 0]);
    const audit = await listAudit(store, { subjectType: 'outbox_message', subjectId: String(id) });
    assert.ok(audit.some((a) => a.action === 'record.update' && a.details?.includes('requeued')));
    const banner = await app.inject({ url: accepted.headers.location, headers: { ...html, cookie: admin.cookie } });
    assert.ok(banner.body.includes('retried-banner'));

    // Not dead any more: a second retry is refused.
    assert.equal((await retry(`_csrf=${encodeURIComponent(admin.csrf)}`)).statusCode, 400);
  });

  it('shows the outbox as an inbox at /dev/mail in tests, with working links and the HTML sandboxed', async () => {
    const { id } = await queueRecovery(getStore(), app, 'dev@example.org', 'DEV-TOKEN');
    const list = await app.inject({ url: '/dev/mail', headers: html });
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(`href="/dev/mail/${id}"`) && list.body.includes('dev@example.org'));
    const message = await app.inject({ url: `/dev/mail/${id}`, headers: html });
    assert.equal(message.statusCode, 200);
    assert.ok(message.body.includes('<a class="govuk-link" href="http://localhost:3000/recover/DEV-TOKEN">'));
    assert.match(message.body, new RegExp(`<iframe src="/dev/mail/${id}/html" sandbox `));
    const framed = await app.inject({ url: `/dev/mail/${id}/html` });
    assert.equal(framed.statusCode, 200);
    assert.match(String(framed.headers['content-type']), /^text\/html/);
    const csp = String(framed.headers['content-security-policy']);
    assert.match(csp, /^sandbox; default-src 'none'; style-src 'unsafe-inline'/);
    assert.ok(!csp.includes("frame-ancestors 'none'") && csp.includes("frame-ancestors 'self'"));
    assert.equal(framed.headers['x-frame-options'], 'SAMEORIGIN');
    assert.ok(framed.body.includes('href="http://localhost:3000/recover/DEV-TOKEN"'));
    // Shown, not delivered.
    const row = await getStore().db.selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'queued');
    assert.equal((await app.inject({ url: '/dev/mail/424242', headers: html })).statusCode, 404);
  });
});

describeEachStore('outbox pages in production', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'production', SECRET_KEY: 'a-test-secret-key-that-is-long-enough-0123', PUBLIC_URL: 'https://safe.example.org' });
    app = await buildApp(getStore(), config);
    await app.ready();
  });
  after(async () => {
    await app.close();
  });

  it('has no /dev/mail', async () => {
    const { id } = await queueRecovery(getStore(), app, 'prod@example.org');
    for (const url of ['/dev/mail', `/dev/mail/${id}`, `/dev/mail/${id}/html`]) {
      const response = await app.inject({ url, headers: html });
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes('prod@example.org'));
    }
  });

  it('hides one-time links from administrators', async () => {
    const { id } = await queueRecovery(getStore(), app, 'prod2@example.org', 'PROD-TOKEN');
    const person = await seedPerson(getStore(), { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    const admin = await signedInAs(app, person.id);
    const page = await app.inject({ url: `/admin/outbox/${id}`, headers: { ...html, cookie: admin.cookie } });
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('PROD-TOKEN'));
    assert.ok(page.body.includes('[link hidden]') && page.body.includes('id="links-hidden"'));
    assert.match(text(page.body), /We received a request to reset the password/);
  });
});

describeEachStore('/dev/mail with SMTP configured', (getStore) => {
  it('does not exist in development when mail is really sent', async () => {
    // An address nothing listens on: the sender would only fail, and is never started (no ready()).
    const app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'development', SMTP_URL: 'smtp://127.0.0.1:9' }));
    assert.equal((await app.inject({ url: '/dev/mail', headers: html })).statusCode, 404);
    await app.close();
  });
});
