/**
 * Issue 5's "Done when" as a newcomer meets it after `npm start` on a fresh clone: a
 * SQLite file, the demo built into the empty store, no SMTP_URL, NODE_ENV development
 * (email is read at /dev/mail) and nobody seeded. After `safe-communities create-admin`
 * it is all headless Chromium, each person in their own browser context: the first
 * administrator accepts the printed link (password, authentication app, recovery
 * codes) and accepts an invitation of their own address as watch_admin of the demo
 * Watch association; resident A signs up and draws a scheme around DM1 1WZ; the
 * administrator signs in afresh and approves it; resident B finds it by postcode,
 * applies and confirms, A approves; B messages the coordinator, A replies, B reads it.
 * Neither A nor B ever receives a page or an email holding the other's address (the
 * /dev/mail list, the developer's view of everyone's mail, aside); axe checks the pages.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator, Page } from 'playwright-core';
import { totpCodeFor, totpStep } from '../accounts/totp.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildDemo } from '../demo/demo.service.ts';
import { axeViolations, browserSkipReason, launchBrowser } from '../site/browser-test.helper.ts';
import { openStore, type Store } from '../store/store.ts';

const skip = browserSkipReason();
const DM1_1WZ = { lat: 52.524469, lng: 0.710391 };
/** axe's best-practice 'region' rule flags a back link before <main>, where GOV.UK Frontend says to put it (alphagov/govuk-frontend#1604, #6460). */
const BACK_LINK_BEFORE_MAIN = 'region (moderate): All page content should be contained by landmarks at .govuk-back-link';

/** `seen`: every HTML document the person's browser received, pages and the framed HTML of emails. */
type Person = { email: string; name: string; password: string; page: Page; seen: Promise<{ url: string; html: string }>[] };

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('a fresh start: a scheme started, approved, found, joined and messaged (issue 5)', { skip }, () => {
  let dir: string;
  let env: Record<string, string>;
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let adminSecret = '';
  let lastTotpStep = -1;
  const scriptErrors: string[] = [];

  before(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'fresh-start-'));
    // The development defaults; only where the store is, the address (links in emails) and an unreachable tile server differ.
    env = { NODE_ENV: 'development', DATABASE_URL: `sqlite:${join(dir, 'safe-communities.db')}`, PUBLIC_URL: baseUrl, MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' };
    store = await openStore(env.DATABASE_URL!);
    await buildDemo(store); // what `npm start` does with an empty store
    app = await buildApp(store, loadConfig({}, { ...env, LOG_LEVEL: 'silent' }));
    await app.listen({ port, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function person(email: string, name: string, password: string): Promise<Person> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => scriptErrors.push(`${name}: ${error.message}`));
    const seen: Person['seen'] = [];
    context.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.status() === 200) seen.push(response.text().then((html) => ({ url: response.url(), html })));
    });
    return { email, name, password, page, seen };
  }

  const url = (path: string) => `${baseUrl}${path}`;
  const text = async (page: Page, selector = 'main') => (await page.textContent(selector)) ?? '';
  async function noAxe(page: Page, where: string, allowBackLinkBeforeMain = false): Promise<void> {
    const violations = (await axeViolations(page)).split('\n').filter((line) => line !== '' && !(allowBackLinkBeforeMain && line === BACK_LINK_BEFORE_MAIN));
    assert.deepEqual(violations, [], where);
  }
  /** Clicks and waits for the page it leads to. */
  async function go(page: Page, target: string | Locator, to: string | RegExp | ((u: URL) => boolean)): Promise<void> {
    await Promise.all([page.waitForURL(to), typeof target === 'string' ? page.click(target) : target.click()]);
  }
  async function fillIn(page: Page, fields: Record<string, string>): Promise<void> {
    for (const [selector, value] of Object.entries(fields)) await page.fill(selector, value);
  }

  /** The code the app shows, waiting for a new 30-second step when this step's code was used (each code works once). */
  async function totpCode(): Promise<string> {
    while (totpStep(new Date()) <= lastTotpStep) await new Promise((resolve) => setTimeout(resolve, 250));
    lastTotpStep = totpStep(new Date());
    return totpCodeFor(adminSecret, new Date());
  }

  /** Opens the newest email to the person whose subject matches, at /dev/mail; with `link`, follows its link to that path. */
  async function readMail(p: Person, subject: RegExp, link?: string): Promise<void> {
    await p.page.goto(url('/dev/mail'));
    const rows = p.page.locator('#dev-mail-table tbody tr', { hasText: p.email }).filter({ has: p.page.locator('a', { hasText: subject }) });
    await go(p.page, rows.first().locator('a'), /\/dev\/mail\/\d+$/); // newest first
    assert.equal((await text(p.page, '#message-details .govuk-summary-list__value')).trim(), p.email);
    if (link) await go(p.page, `#text-body a[href^="${url(link)}"]`, (u) => u.pathname.startsWith(link));
  }

  async function firstAdministrator(admin: Person): Promise<void> {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/safe-communities.js', 'create-admin', admin.email], { env: { PATH: process.env.PATH ?? '', ...env } });
    const link = /^\s+(http\S+\/invitation\?token=\S+)$/m.exec(stdout)?.[1];
    assert.ok(link, `create-admin prints an invitation link:\n${stdout}`);
    const page = admin.page;
    await page.goto(link);
    await noAxe(page, 'invitation');
    await fillIn(page, { '#name': admin.name, '#password': admin.password });
    await go(page, 'button:has-text("Accept and continue")', url('/account/two-factor/set-up'));
    await noAxe(page, 'authentication app set-up');
    await page.click('summary:has-text("I cannot scan the QR code")');
    adminSecret = (await text(page, '#totp-secret')).replace(/\s+/g, ''); // typed into the app by hand
    await page.fill('#code', await totpCode());
    await go(page, 'form[action="/account/two-factor/confirm"] button', url('/account/two-factor/confirm'));
    assert.equal((await page.$$('#recovery-codes code')).length, 10);
    await noAxe(page, 'recovery codes');
    await go(page, 'a:has-text("I have saved these codes")', url('/account'));
    assert.match(await text(page), /Platform administrator/);
  }

  async function inviteSelfAsWatchAdmin(admin: Person): Promise<void> {
    const page = admin.page;
    await go(page, 'a.govuk-service-navigation__link:has-text("Administration")', url('/admin'));
    await go(page, '#organisations a:has-text("Demoshire Neighbourhood Watch Association")', url('/admin/organisations/watch-demo/people'));
    await go(page, 'a:has-text("Invite someone")', /\/people\/invite$/);
    await noAxe(page, 'invite', true);
    await fillIn(page, { '#email': admin.email, '#name': admin.name });
    await page.check('input[name="role"][value="watch_admin"]');
    await go(page, 'button:has-text("Send invitation")', url('/admin/organisations/watch-demo/people?done=invited'));
    // An existing account gains the role by accepting the emailed invitation.
    await readMail(admin, /You have been invited to join Demoshire Neighbourhood Watch Association/, '/invitation');
    assert.match(await text(page), /Watch area administrator/i);
    await go(page, 'button:has-text("Accept the invitation")', url('/account'));
    assert.match(await text(page), /Demoshire Neighbourhood Watch Association/);
  }

  async function residentSignsUp(p: Person): Promise<void> {
    const page = p.page;
    await page.goto(url('/'));
    await go(page, 'a.govuk-service-navigation__link:has-text("Sign in")', /\/sign-in/);
    await go(page, 'a:has-text("Create an account")', url('/sign-up'));
    await noAxe(page, 'sign-up');
    await fillIn(page, { '#name': p.name, '#email': p.email, '#password': p.password });
    await go(page, 'form[action="/sign-up"] button[type="submit"]', url('/sign-up'));
    assert.match(await text(page, 'h1'), /Check your email/);
    await readMail(p, /Confirm your email address/, '/verify-email');
    await page.fill('#password', p.password); // the link proves the address; the password, that this is who signed up
    await go(page, 'main button:has-text("Confirm")', /\/account\?confirmed=email$/);
  }

  async function startScheme(a: Person): Promise<string> {
    const page = a.page;
    await go(page, 'a.govuk-service-navigation__link:has-text("Neighbourhood Watch")', url('/watch'));
    await page.fill('#q', 'DM1 1WZ');
    await go(page, 'button:has-text("Find schemes")', /q=DM1/);
    assert.match(await text(page, '#no-schemes'), /no Watch schemes near DM1 1WZ/);
    // The start map opens on the place searched.
    await go(page, '#start-scheme-link', (u) => u.pathname === '/watch/start' && u.searchParams.get('zoom') === '15');
    await page.waitForSelector('#watch-start-map[data-map-loaded="true"]', { timeout: 30_000 });
    await page.locator('#watch-start-map').scrollIntoViewIfNeeded();
    // Where DM1 1WZ is on the screen; double-click there to zoom in on it, as a person would.
    const spot = async () => (await page.evaluate(`(() => { const p = appMap.project([${DM1_1WZ.lng}, ${DM1_1WZ.lat}]);
      const r = appMap.getCanvas().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y, zoom: appMap.getZoom() }; })()`)) as { x: number; y: number; zoom: number };
    for (let at = await spot(); at.zoom < 14; at = await spot()) {
      await page.mouse.dblclick(at.x, at.y);
      // A function, not a string: the page's Content-Security-Policy forbids evaluating strings.
      await page.waitForFunction((zoom) => {
        const map = (window as unknown as { appMap: { getZoom(): number; isMoving(): boolean } }).appMap;
        return map.getZoom() >= zoom && !map.isMoving();
      }, Math.floor(at.zoom) + 0.99);
    }
    await page.click('#watch-draw-start');
    const { x, y } = await spot();
    for (const [dx, dy] of [[-90, -70], [90, -70], [90, 70], [-90, 70]] as const) await page.mouse.click(x + dx, y + dy);
    assert.match(await text(page, '#watch-draw-status'), /4 corners drawn/);
    await noAxe(page, 'start a scheme');
    await fillIn(page, { '#name': 'Fresh Start Close', '#street': 'Market Street' });
    await page.check('#join_policy'); // "I approve each new member"
    assert.equal(await page.inputValue('#coordinator_name'), a.name);
    await page.check('#conduct');
    await go(page, '#start-submit', /\/watch\/schemes\/[a-z2-9]{10}$/);
    assert.match(await text(page, '#scheme-notice'), /waiting for an area administrator/);
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  async function adminApproves(admin: Person, a: Person, schemeId: string): Promise<void> {
    const page = admin.page;
    await page.goto(url('/'));
    await go(page, 'a.govuk-service-navigation__link:has-text("Sign in")', /\/sign-in/);
    await fillIn(page, { '#email': admin.email, '#password': admin.password });
    await go(page, 'form[action="/sign-in"] button[type="submit"]', /\/sign-in\/two-factor/);
    await noAxe(page, 'second factor');
    await page.fill('#code', await totpCode());
    await go(page, 'form[action="/sign-in/two-factor"] button[type="submit"]', (u) => !u.pathname.startsWith('/sign-in'));
    await go(page, 'a.govuk-service-navigation__link:has-text("Watch schemes to approve")', url('/watch/admin'));
    await go(page, `#pending-schemes tr[data-scheme-id="${schemeId}"] a`, /\/watch\/admin\/schemes\//);
    await noAxe(page, 'scheme to approve');
    await go(page, '#decision-approve', /done=1/);
    assert.match(await text(page, '#scheme-status'), /active/);
    await readMail(a, /Your Neighbourhood Watch scheme has been approved/, `/watch/schemes/${schemeId}`);
    assert.equal(await a.page.isVisible('#apply-link'), true, 'open to the public');
  }

  async function neighbourJoins(a: Person, b: Person, schemeId: string): Promise<void> {
    const page = b.page;
    await page.goto(url('/'));
    await go(page, 'a.govuk-service-navigation__link:has-text("Neighbourhood Watch")', url('/watch'));
    await page.fill('#q', 'DM1 1WZ');
    await go(page, 'button:has-text("Find schemes")', /q=DM1/);
    await noAxe(page, 'schemes near DM1 1WZ');
    await go(page, `#scheme-list li[data-scheme-id="${schemeId}"] a`, url(`/watch/schemes/${schemeId}`));
    assert.match(await text(page, '#scheme-facts'), new RegExp(a.name.split(' ')[0]!));
    await page.waitForSelector('#watch-map[data-map-loaded="true"]', { timeout: 30_000 });
    await noAxe(page, 'the scheme’s page');
    await go(page, '#apply-link', /\/apply$/);
    await noAxe(page, 'apply');
    await fillIn(page, { '#name': b.name, '#email': b.email, '#street': 'Mill Lane', '#postcode': 'DM1 1WZ' });
    await page.check('#consent');
    await go(page, 'button:has-text("Apply to join")', /\/apply$/);
    assert.match(await text(page, 'h1'), /Check your email/);
    await readMail(b, /Confirm your application/, '/watch/join/confirm');
    await noAxe(page, 'confirm the application');
    await page.fill('#password', b.password);
    await go(page, 'button:has-text("Confirm my application")', /\/watch\/join\/confirm/);
    assert.match(await text(page), /Application sent/);

    // The coordinator approves, from the link in the email saying someone applied.
    await readMail(a, /New application/, `/watch/coordinate/${schemeId}/applications`);
    assert.match(await text(a.page), new RegExp(`${b.name}[\\s\\S]*Mill Lane`));
    await noAxe(a.page, 'applications');
    await go(a.page, 'button[name="decision"][value="approve"]', /done=approved/);
    await readMail(b, /You have joined/);
  }

  async function messagesAndReply(a: Person, b: Person, schemeId: string): Promise<void> {
    await b.page.goto(url(`/watch/schemes/${schemeId}`));
    await go(b.page, '#message-link', /\/message$/);
    await noAxe(b.page, 'message the coordinator');
    // Name and address are filled in already now that B has an account; typed all the same. The honeypot is left alone.
    await fillIn(b.page, { '#name': b.name, '#email': b.email, '#subject': 'Street party', '#message': 'Shall we hold a street party in June?' });
    await b.page.waitForTimeout(3200); // the form refuses what is sent faster than a person could write it
    await go(b.page, 'button:has-text("Send message")', /\/message$/);
    assert.match(await text(b.page), /Message sent/);

    await readMail(a, /New message/, `/watch/coordinate/${schemeId}/messages/`);
    assert.match(await text(a.page), /street party in June/);
    await noAxe(a.page, 'conversation, coordinator side');
    await a.page.fill('#message', 'Yes! I will ask the council about closing the road.');
    await go(a.page, 'button:has-text("Send reply")', /done=replied/);

    await readMail(b, /A reply from/, '/watch/threads/');
    assert.match(await text(b.page), /ask the council about closing the road/);
    await noAxe(b.page, 'conversation, member side');
  }

  /** Opens every email sent to the person at /dev/mail, so that its text and its HTML are among what they have seen. */
  async function readAllMail(p: Person): Promise<number> {
    await p.page.goto(url('/dev/mail'));
    const hrefs = await p.page.locator('#dev-mail-table tbody tr', { hasText: p.email }).locator('a').evaluateAll((links) => links.map((l) => l.getAttribute('href')!));
    for (const href of hrefs) {
      await p.page.goto(url(href));
      await p.page.frameLocator('#html-body').locator('body').waitFor();
    }
    return hrefs.length;
  }

  async function neverSaw(p: Person, other: Person): Promise<void> {
    const documents = await Promise.all(p.seen);
    assert.ok(documents.some((d) => d.html.includes(p.email)), 'the check finds an address where there is one');
    for (const { url: at, html } of documents) {
      if (new URL(at).pathname === '/dev/mail') continue; // the developer's list of everyone's mail
      assert.ok(!html.toLowerCase().includes(other.email.toLowerCase()), `${p.name} saw ${other.name}'s address at ${at}`);
    }
  }

  it('one resident starts a scheme and has it approved; another finds it by postcode, joins and exchanges messages with its coordinator', async () => {
    const started = Date.now();
    const admin = await person('sam.admin@fresh-start.example', 'Sam Administrator', 'keys to the parish hall');
    const a = await person('alex.founder@fresh-start.example', 'Alex Founder', 'lavender by the garden gate');
    const b = await person('bea.neighbour@fresh-start.example', 'Bea Neighbour', 'swifts nesting under the eaves');

    await firstAdministrator(admin);
    await inviteSelfAsWatchAdmin(admin);
    await residentSignsUp(a);
    const schemeId = await startScheme(a);
    await adminApproves(await person(admin.email, admin.name, admin.password), a, schemeId); // another browser: signs in afresh
    await neighbourJoins(a, b, schemeId);
    await messagesAndReply(a, b, schemeId);

    assert.ok((await readAllMail(a)) >= 4, 'A: confirm address, scheme approved, new application, new message');
    assert.ok((await readAllMail(b)) >= 3, 'B: confirm application, joined, reply');
    await neverSaw(a, b);
    await neverSaw(b, a);
    assert.deepEqual(scriptErrors, [], 'no script errors on any page');
    console.log(`fresh start journey took ${Math.round((Date.now() - started) / 1000)} s`);
  });
});
