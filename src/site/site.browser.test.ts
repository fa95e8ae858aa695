/**
 * The site's own journeys in a real browser: finding a neighbourhood by a demo
 * postcode (with the mouse, by keyboard alone, and with JavaScript off), and
 * axe on every page that is not the map's (the map's are checked beside it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_POSTCODES } from '../demo/postcodes.ts';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath, startDemoServer, type DemoServer } from './browser-test.helper.ts';

const skip = browserSkipReason();
const TOWN_POSTCODE = DEMO_POSTCODES.find((p) => p.neighbourhoodId === 'brackenford-town-centre')!.postcode;

describe('public site in Chromium', { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function assertNeighbourhoodPage(page: Page): Promise<void> {
    assert.match(page.url(), /\/neighbourhoods\/demo\/brackenford-town-centre$/);
    assert.equal(await page.textContent('h1'), 'Brackenford Town Centre');
    const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent?.trim() ?? ''));
    assert.ok(headings.some((h) => /team/i.test(h)), `a team heading among ${headings.join(' | ')}`);
    assert.ok(headings.some((h) => /contact/i.test(h)), `a contact heading among ${headings.join(' | ')}`);
  }

  it('finds a neighbourhood by a demo postcode', async () => {
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    await page.fill('#q', TOWN_POSTCODE);
    await Promise.all([page.waitForURL(/\/neighbourhoods\//), page.click('form[action="/find"] button')]);
    await assertNeighbourhoodPage(page);
    await page.screenshot({ path: screenshotPath('neighbourhood'), fullPage: true });
    assert.equal(await axeViolations(page), '');
    await page.close();
  });

  it('finds a neighbourhood using only the keyboard', async () => {
    const page = await context.newPage();
    await page.goto(server.baseUrl);
    let focused = '';
    for (let i = 0; i < 30 && focused !== 'q'; i++) {
      await page.keyboard.press('Tab');
      focused = (await page.evaluate('document.activeElement && document.activeElement.id')) as string;
    }
    assert.equal(focused, 'q', 'the search box is reachable with Tab');
    await page.keyboard.type(TOWN_POSTCODE);
    await Promise.all([page.waitForURL(/\/neighbourhoods\//), page.keyboard.press('Enter')]);
    await assertNeighbourhoodPage(page);
    await page.close();
  });

  it('finds a neighbourhood with JavaScript off', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(server.baseUrl);
    await page.fill('#q', TOWN_POSTCODE.toLowerCase().replace(' ', ''));
    await Promise.all([page.waitForURL(/\/neighbourhoods\//), page.click('form[action="/find"] button')]);
    await assertNeighbourhoodPage(page);
    await page.goto(`${server.baseUrl}/find?q=ZZ99+9ZZ`);
    assert.ok(await page.isVisible('.govuk-error-summary'), 'an unknown postcode gets a message, not an error page');
    await noJs.close();
  });

  const pages: Array<[string, string, number]> = [
    ['home', '/', 200],
    ['find choices', '/find?q=Brackenford', 200],
    ['find, unknown postcode', '/find?q=ZZ99+9ZZ', 404],
    ['find, nothing typed', '/find?q=', 400],
    ['neighbourhood page', '/neighbourhoods/demo/brackenford-town-centre', 200],
    ['accessibility statement', '/accessibility', 200],
    ['about the data', '/about-the-data', 200],
    ['404', '/no-such-page', 404],
  ];
  for (const [name, path, status] of pages) {
    it(`axe finds no violations on the ${name} (${path})`, async () => {
      const page = await context.newPage();
      const response = await page.goto(`${server.baseUrl}${path}`);
      assert.equal(response?.status(), status);
      assert.equal(await axeViolations(page), '');
      await page.close();
    });
  }
});
