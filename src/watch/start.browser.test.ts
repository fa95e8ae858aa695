/**
 * Neighbourhood Watch in a real browser: a signed-in resident draws a scheme's
 * area by clicking on the map and starts it, a Watch administrator approves it,
 * and an anonymous visitor finds it by the demo postcode. A second resident
 * starts one with JavaScript off, typing the corners. axe checks the pages.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedPerson, signedInAs } from '../sessions/session.test-helper.ts';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath, startDemoServer, type DemoServer } from '../site/browser-test.helper.ts';
import { watchAssociation } from './schemes.test-helper.ts';

const skip = browserSkipReason();

describe('Neighbourhood Watch in Chromium', { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  /** A browser context, signed in as the person when one is given. */
  async function contextFor(personId?: string, options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
    contexts.push(context);
    if (personId) {
      const { cookie } = await signedInAs(server.app, personId);
      const [name, value] = cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: server.baseUrl }]);
    }
    return context;
  }

  async function open(context: BrowserContext, path: string): Promise<{ page: Page; failures: string[] }> {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    return { page, failures };
  }

  it('a resident starts a scheme by drawing it, an administrator approves it, a visitor finds it by postcode', async () => {
    const resident = await seedPerson(server.store, { displayName: 'Robin Resident' });
    const admin = await seedPerson(server.store, { roles: [{ role: 'watch_admin', organisation: watchAssociation('demo') }] });

    // 1. Draw the area: four clicks around DM1 1WZ, about 500 by 400 metres.
    const { page: start, failures } = await open(await contextFor(resident.id), '/watch/start?lat=52.5245&lng=0.7104&zoom=14');
    await start.waitForSelector('#watch-start-map[data-map-loaded="true"]', { timeout: 30_000 });
    await start.click('#watch-draw-start');
    await start.locator('#watch-start-map').scrollIntoViewIfNeeded();
    const box = await start.locator('#watch-start-map canvas').boundingBox();
    assert.ok(box);
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    for (const [dx, dy] of [[-90, -70], [90, -70], [90, 70], [-90, 70]] as const) await start.mouse.click(cx + dx, cy + dy);
    assert.match((await start.textContent('#watch-draw-status')) ?? '', /4 corners drawn/);
    assert.equal(((await start.inputValue('#poly')).match(/\n/g) ?? []).length, 3, 'four corners in the box');
    assert.equal(await axeViolations(start), '');
    await start.screenshot({ path: screenshotPath('watch-start'), fullPage: true });
    await start.fill('#name', 'Market Square Watch');
    await start.check('#join_policy-2');
    await start.fill('#coordinator_name', 'Robin Resident');
    await start.fill('#street', 'Market Street');
    await start.check('#conduct');
    await Promise.all([start.waitForURL(/\/watch\/schemes\/[a-z2-9]{10}$/), start.click('#start-submit')]);
    const schemePath = new URL(start.url()).pathname;
    assert.match((await start.textContent('#scheme-notice')) ?? '', /waiting for an area administrator/);
    assert.deepEqual(failures, [], 'no script errors');

    // 2. The area administrator approves it.
    const { page: review } = await open(await contextFor(admin.id), '/watch/admin');
    await review.click('text=Market Square Watch');
    await review.waitForSelector('#decision-approve');
    assert.equal(await axeViolations(review), '');
    await Promise.all([review.waitForURL(/done=1/), review.click('#decision-approve')]);
    assert.match((await review.textContent('#scheme-status')) ?? '', /active[\s\S]*Verified by the Neighbourhood Watch association/);

    // 3. Anyone finds it by the demo postcode, on the list and the map.
    const { page: find, failures: findFailures } = await open(await contextFor(), '/watch');
    await find.fill('#q', 'DM1 1WZ');
    await Promise.all([find.waitForURL(/q=DM1/), find.click('button:has-text("Find schemes")')]);
    const listed = find.locator('#scheme-list li', { hasText: 'Market Square Watch' });
    assert.equal(await listed.count(), 1);
    assert.match((await listed.textContent()) ?? '', /Verified by the Neighbourhood Watch association/);
    await find.waitForSelector('#watch-map[data-map-loaded="true"]', { timeout: 30_000 });
    assert.ok(((await find.evaluate(`window.appMap.querySourceFeatures('schemes').length`)) as number) > 0, 'circles drawn');
    await find.screenshot({ path: screenshotPath('watch-find'), fullPage: true });
    assert.equal(await axeViolations(find), '');
    await Promise.all([find.waitForURL(new RegExp(`${schemePath}$`)), listed.locator('a').click()]);
    assert.match((await find.textContent('#scheme-facts')) ?? '', /Robin\s/);
    assert.doesNotMatch((await find.textContent('main')) ?? '', /Resident|@/);
    await find.waitForSelector('#watch-map[data-map-loaded="true"]', { timeout: 30_000 });
    assert.equal(await axeViolations(find), '');
    assert.deepEqual(findFailures, []);
  });

  it('starts a scheme with JavaScript off by typing the corners', async () => {
    const resident = await seedPerson(server.store, { displayName: 'Sam Typist' });
    const { page } = await open(await contextFor(resident.id, { javaScriptEnabled: false }), '/watch/start');
    assert.equal(await page.isVisible('#watch-draw-start'), false, 'drawing needs the script');
    await page.fill('#name', 'Typed Close');
    await page.fill('#poly', '52.5100,0.7300\n52.5100,0.7360\n52.5060,0.7360');
    await page.check('#join_policy');
    await page.fill('#coordinator_name', 'Sam Typist');
    await page.fill('#street', 'Typed Close');
    await page.click('#start-submit');
    await page.waitForSelector('.govuk-error-summary');
    assert.match((await page.textContent('.govuk-error-summary')) ?? '', /Agree to the code of conduct/);
    assert.equal(await page.inputValue('#poly'), '52.5100,0.7300\n52.5100,0.7360\n52.5060,0.7360', 'corners kept');
    await page.check('#conduct');
    await Promise.all([page.waitForURL(/\/watch\/schemes\/[a-z2-9]{10}$/), page.click('#start-submit')]);
    assert.match((await page.textContent('#scheme-name')) ?? '', /Typed Close/);
  });
});
