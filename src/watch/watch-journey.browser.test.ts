/**
 * The whole Neighbourhood Watch membership journey in headless Chromium, with email
 * delivered over SMTP to a real server started here (smtp-server, read with
 * mailparser): find a scheme by postcode → apply → confirm through the link in the
 * email → the coordinator approves → the member gets an update by email → the member
 * messages the coordinator → the coordinator replies → the member reads the reply.
 * Neither side's pages nor the emails they get ever contain the other's address.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildDemo } from '../demo/demo.service.ts';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath } from '../site/browser-test.helper.ts';
import { openStore, type Store } from '../store/store.ts';
import { DM1_1WZ, insertMembership, insertScheme } from './schemes.test-helper.ts';

const skip = browserSkipReason();

interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('Neighbourhood Watch membership journey in Chromium', { skip }, () => {
  const inbox: Received[] = [];
  let smtp: SMTPServer;
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            for (const rcpt of session.envelope.rcptTo) inbox.push({ to: rcpt.address, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' });
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    store = await openStore('sqlite::memory:');
    await buildDemo(store, { months: 1 });
    const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test', PUBLIC_URL: baseUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
    app = await buildApp(store, config);
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  /** The first email to `to` with a subject matching, once the mail sender has delivered it. */
  async function mailFor(to: string, subject: RegExp): Promise<Received> {
    for (let waited = 0; waited < 20_000; waited += 100) {
      const found = inbox.find((m) => m.to === to && subject.test(m.subject));
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No email to ${to} matching ${subject}; received: ${inbox.map((m) => `${m.to}: ${m.subject}`).join(' | ')}`);
  }

  const linkIn = (mail: Received, path: string): string => {
    const url = mail.text.match(/https?:\/\/\S+/g)?.find((u) => new URL(u).pathname.startsWith(path));
    assert.ok(url, `a link to ${path} in “${mail.subject}”`);
    return url;
  };

  it('find → apply → confirm by email → approved → update → message → reply, with no address crossing over', async () => {
    const coordinatorEmail = 'carol.coordinator@watch-journey.example';
    const applicantEmail = 'ann.applicant@watch-journey.example';
    const coordinator = await seedPerson(store, { email: coordinatorEmail, displayName: 'Carol Coordinator' });
    const schemeId = await insertScheme(store, { name: 'Journey Close Watch', centre: DM1_1WZ, halfMetres: 300, createdBy: coordinator.id });
    await insertMembership(store, schemeId, coordinator.id, 'coordinator', 'Carol Coordinator');

    const applicant = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const lead = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const { cookie } = await signedInAs(app, coordinator.id);
    const [name, value] = cookie.split('=') as [string, string];
    await lead.addCookies([{ name, value, url: baseUrl }]);
    const applicantPages: string[] = [];
    const leadPages: string[] = [];
    const seen = async (page: Page, into: string[]) => into.push(await page.content());

    // 1. Find the scheme by postcode and apply.
    const a = await applicant.newPage();
    await a.goto(`${baseUrl}/watch`);
    await a.fill('#q', 'DM1 1WZ');
    await Promise.all([a.waitForURL(/q=DM1/), a.click('button:has-text("Find schemes")')]);
    await Promise.all([a.waitForURL(new RegExp(`/watch/schemes/${schemeId}$`)), a.locator('#scheme-list a', { hasText: 'Journey Close Watch' }).click()]);
    await Promise.all([a.waitForURL(/\/apply$/), a.click('#apply-link')]);
    assert.equal(await axeViolations(a), '');
    await a.fill('#name', 'Ann Applicant');
    await a.fill('#email', applicantEmail);
    await a.fill('#street', 'Mill Lane');
    await a.fill('#postcode', 'DM1 1WZ');
    await a.check('#consent');
    await Promise.all([a.waitForLoadState(), a.click('button:has-text("Apply to join")')]);
    assert.match((await a.textContent('h1')) ?? '', /Check your email/);
    await seen(a, applicantPages);

    // 2. Confirm through the emailed link, choosing a password.
    const confirmMail = await mailFor(applicantEmail, /Confirm your application/);
    await a.goto(linkIn(confirmMail, '/watch/join/confirm'));
    await a.fill('#password', 'a walk along the mill stream');
    await Promise.all([a.waitForLoadState(), a.click('button:has-text("Confirm my application")')]);
    assert.match((await a.textContent('main')) ?? '', /Application sent/);
    await seen(a, applicantPages);

    // 3. The coordinator is told (without the address) and approves.
    const applicationMail = await mailFor(coordinatorEmail, /New application/);
    const c = await lead.newPage();
    await c.goto(linkIn(applicationMail, `/watch/coordinate/${schemeId}/applications`));
    assert.match((await c.textContent('main')) ?? '', /Ann Applicant[\s\S]*Mill Lane/);
    assert.equal(await axeViolations(c), '');
    await seen(c, leadPages);
    await Promise.all([c.waitForURL(/done=approved/), c.click('button[name="decision"][value="approve"]')]);
    await mailFor(applicantEmail, /You have joined/);

    // 4. The coordinator sends an update; the member gets it with an unsubscribe link.
    await c.goto(`${baseUrl}/watch/coordinate/${schemeId}/updates`);
    await c.fill('#title', 'Bin day moves to Tuesday');
    await c.fill('#body', 'From next week bins go out on Tuesday.');
    await c.check('#audience');
    await Promise.all([c.waitForURL(/done=sent/), c.click('button:has-text("Send update")')]);
    const update = await mailFor(applicantEmail, /Bin day moves to Tuesday/);
    assert.match(update.text, /bins go out on Tuesday/);
    assert.ok(linkIn(update, '/watch/unsubscribe'));

    // 5. The member messages the coordinator through the site.
    await a.goto(`${baseUrl}/watch/schemes/${schemeId}`);
    await Promise.all([a.waitForURL(/\/message$/), a.click('#message-link')]);
    assert.equal(await axeViolations(a), '');
    await a.fill('#subject', 'Street party');
    await a.fill('#message', 'Shall we hold a street party in June?');
    await a.waitForTimeout(3200); // the form refuses what is sent faster than a person could
    await Promise.all([a.waitForLoadState(), a.click('button:has-text("Send message")')]);
    assert.match((await a.textContent('main')) ?? '', /Message sent/);
    await seen(a, applicantPages);

    // 6. The coordinator reads it in the tools and replies.
    const messageMail = await mailFor(coordinatorEmail, /New message/);
    await c.goto(linkIn(messageMail, `/watch/coordinate/${schemeId}/messages/`));
    assert.match((await c.textContent('main')) ?? '', /street party in June/);
    await seen(c, leadPages);
    await c.fill('#message', 'Yes! I will ask the council about closing the road.');
    await Promise.all([c.waitForURL(/done=replied/), c.click('button:has-text("Send reply")')]);
    await seen(c, leadPages);

    // 7. The member reads the reply through the link in the email.
    const replyMail = await mailFor(applicantEmail, /A reply from/);
    await a.goto(linkIn(replyMail, '/watch/threads/'));
    assert.match((await a.textContent('main')) ?? '', /ask the council about closing the road/);
    await a.screenshot({ path: screenshotPath('watch-conversation'), fullPage: true });
    assert.equal(await axeViolations(a), '');
    await seen(a, applicantPages);

    // Neither side ever sees the other's address, on a page or in an email.
    for (const html of applicantPages) assert.ok(!html.includes(coordinatorEmail), 'no coordinator address on the member’s pages');
    for (const html of leadPages) assert.ok(!html.includes(applicantEmail), 'no member address on the coordinator’s pages');
    for (const m of inbox.filter((x) => x.to === applicantEmail)) assert.ok(!m.text.includes(coordinatorEmail) && !m.html.includes(coordinatorEmail), m.subject);
    for (const m of inbox.filter((x) => x.to === coordinatorEmail)) assert.ok(!m.text.includes(applicantEmail) && !m.html.includes(applicantEmail), m.subject);
    await applicant.close();
    await lead.close();
  });

  it('the coordinator tools and a member’s own pages pass axe', async () => {
    const coordinator = await seedPerson(store, { displayName: 'Axel Coordinator' });
    const member = await seedPerson(store, { displayName: 'Mia Member' });
    const schemeId = await insertScheme(store, { name: 'Axe Row Watch', centre: DM1_1WZ, createdBy: coordinator.id });
    await insertMembership(store, schemeId, coordinator.id, 'coordinator', 'Axel Coordinator');
    await insertMembership(store, schemeId, member.id, 'member', 'Mia Member');
    const pages: [string, string[]][] = [
      [coordinator.id, ['', '/members', '/messages', '/updates', '/hand-over', '/close'].map((p) => `/watch/coordinate/${schemeId}${p}`)],
      [member.id, ['/account/watch', '/account/watch/delete']],
    ];
    for (const [personId, paths] of pages) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      const [name, value] = (await signedInAs(app, personId)).cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: baseUrl }]);
      const page = await context.newPage();
      for (const path of paths) {
        const response = await page.goto(`${baseUrl}${path}`);
        assert.equal(response?.status(), 200, path);
        assert.equal(await axeViolations(page), '', path);
      }
      await context.close();
    }
  });
});
