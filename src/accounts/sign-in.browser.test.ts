/**
 * The account journeys in a real browser: a resident signs up, confirms their
 * address from the emailed link and signs out; a member of staff signs in, sets up
 * an authentication app from the page and sees their recovery codes. axe checks
 * each page on the way.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath } from '../site/browser-test.helper.ts';
import { openStore, type Store } from '../store/store.ts';
import { linkInMail, PASSWORD, seedStaff, uniqueEmail } from './sign-in.test-helper.ts';
import { totpCodeFor } from './totp.ts';

const skip = browserSkipReason();

describe('account journeys in Chromium', { skip }, () => {
  let store: Store;
  let app: FastifyInstance;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    store = await openStore('sqlite::memory:');
    const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test', MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
    app = await buildApp(store, config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function newPage(): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => assert.fail(`script error: ${error.message}`));
    return page;
  }

  async function noAxeViolations(page: Page, where: string): Promise<void> {
    assert.equal(await axeViolations(page), '', where);
  }

  it('signs a resident up, confirms the address from the email, and signs out', async () => {
    const page = await newPage();
    const email = uniqueEmail('browser');
    await page.goto(`${baseUrl}/sign-up`);
    await noAxeViolations(page, 'sign-up page');
    await page.fill('#name', 'Robin Resident');
    await page.fill('#email', email);
    await page.fill('#password', 'hedgehogs under the shed');
    await Promise.all([page.waitForURL(`${baseUrl}/sign-up`), page.click('form[action="/sign-up"] button[type="submit"]')]);
    assert.equal((await page.textContent('h1'))?.trim(), 'Check your email');

    const link = await linkInMail(store, email, 'verify-email', '/verify-email');
    await page.goto(`${baseUrl}${link}`);
    assert.equal((await page.textContent('h1'))?.trim(), 'Confirm your email address');
    await noAxeViolations(page, 'confirm page');
    await page.fill('#password', 'hedgehogs under the shed');
    await Promise.all([page.waitForURL(/\/account\?confirmed=email$/), page.click('button:has-text("Confirm")')]);
    assert.equal((await page.textContent('h1'))?.trim(), 'Your account');
    assert.match((await page.textContent('.govuk-notification-banner')) ?? '', /Your email address is confirmed/);
    await page.screenshot({ path: screenshotPath('account-resident'), fullPage: true });
    await noAxeViolations(page, 'account page');

    await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('.app-sign-out button')]);
    assert.equal(await page.isVisible('a.govuk-service-navigation__link[href="/sign-in"]'), true, 'signed out');
    await page.goto(`${baseUrl}/account`);
    assert.match(page.url(), /\/sign-in\?next=%2Faccount$/);
    await context.close();
  });

  it('signs staff in, sets up an authentication app and shows the recovery codes once', async () => {
    const { person } = await seedStaff(store, app.ctx.config.SECRET_KEY);
    const page = await newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await noAxeViolations(page, 'sign-in page');
    await page.fill('#email', person.email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL(`${baseUrl}/account/two-factor/set-up`), page.click('form[action="/sign-in"] button[type="submit"]')]);
    assert.equal(await page.isVisible('.app-qr-code svg'), true, 'the QR code is drawn');
    await page.screenshot({ path: screenshotPath('two-factor-set-up'), fullPage: true });
    await noAxeViolations(page, 'set-up page');
    await page.click('summary:has-text("I cannot scan the QR code")');
    const secret = (await page.getAttribute('#totp-secret', 'data-secret'))!;
    const shown = (await page.textContent('#totp-secret'))!.replace(/\s+/g, '');
    assert.equal(shown, secret, 'the key can be typed from what the page shows');
    await page.fill('#code', totpCodeFor(secret, new Date()));
    await Promise.all([page.waitForURL(`${baseUrl}/account/two-factor/confirm`), page.click('form[action="/account/two-factor/confirm"] button[type="submit"]')]);
    assert.equal((await page.textContent('h1'))?.trim(), 'Save your recovery codes');
    assert.equal((await page.$$('#recovery-codes code')).length, 10);
    await page.screenshot({ path: screenshotPath('recovery-codes'), fullPage: true });
    await noAxeViolations(page, 'recovery codes page');

    await Promise.all([page.waitForURL(`${baseUrl}/account`), page.click('a:has-text("I have saved these codes")')]);
    assert.equal((await page.textContent('h1'))?.trim(), 'Your account');
    assert.match((await page.textContent('#main-content')) ?? '', /DM01 neighbourhood team/);
    assert.match((await page.textContent('#main-content')) ?? '', /10 unused recovery codes/);
    await context.close();
  });
});
