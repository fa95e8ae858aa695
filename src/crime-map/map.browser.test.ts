/**
 * The crime map in a real browser: MapLibre loads and draws our clusters and
 * boundaries without a basemap, a point's outcome history can be read by mouse
 * and by keyboard, filters refilter in place, an area can be drawn, and the
 * list view and area form work with JavaScript off. axe checks every page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath, startDemoServer, type DemoServer } from '../site/browser-test.helper.ts';

/** Brackenford town centre at a zoom where every snap point is its own feature. */
const TOWN = { lat: 52.524, lng: 0.715 };
const skip = browserSkipReason();

describe('crime map in Chromium', { skip }, () => {
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

  async function openMap(path: string): Promise<Page> {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await page.goto(`${server.baseUrl}${path}`);
    await page.waitForSelector('#map[data-map-loaded="true"][data-loaded="true"]', { timeout: 30_000 });
    assert.deepEqual(failures, [], 'no script errors');
    return page;
  }

  /** Waits for the map to stop moving (polling: waitForFunction would need eval, which the page's policy forbids). */
  async function settled(page: Page): Promise<void> {
    for (let i = 0; i < 50 && (await page.evaluate('window.appMap.isMoving()')); i++) await page.waitForTimeout(100);
  }

  const features = (page: Page, source: string) => page.evaluate(`window.appMap.querySourceFeatures(${JSON.stringify(source)}).length`) as Promise<number>;

  it('loads MapLibre, draws clusters and boundaries, and says the background map is unavailable', async () => {
    const page = await openMap('/map');
    assert.equal(await page.evaluate(`Boolean(window.appMap.getLayer('clusters'))`), true);
    assert.ok((await features(page, 'crimes')) > 0, 'clusters drawn');
    assert.ok((await features(page, 'boundaries')) > 0, 'boundaries drawn');
    await page.waitForSelector('#basemap-unavailable:not([hidden])', { timeout: 15_000 });
    assert.match(await page.textContent('#basemap-unavailable') ?? '', /The background map is not available/);
    assert.match(await page.textContent('#publishing-gaps') ?? '', /published|publish/);
    assert.match(await page.textContent('main') ?? '', /on or near/);
    await page.screenshot({ path: screenshotPath('map'), fullPage: true });
    assert.equal(await axeViolations(page), '');
    await page.close();
  });

  it('selects a point with the mouse and reads its outcome history', async () => {
    const page = await openMap(`/map?lat=${TOWN.lat}&lng=${TOWN.lng}&zoom=15`);
    const point = (await page.evaluate(`(() => {
      const c = window.appMap.project(window.appMap.getCenter());
      const d = (f) => { const p = window.appMap.project(f.geometry.coordinates); return Math.hypot(p.x - c.x, p.y - c.y); };
      const f = window.appMap.queryRenderedFeatures({ layers: ['points'] }).sort((a, b) => d(a) - d(b))[0];
      const p = window.appMap.project(f.geometry.coordinates);
      return { x: p.x, y: p.y, street: f.properties.street };
    })()`)) as { x: number; y: number; street: string };
    await page.locator('#map').scrollIntoViewIfNeeded();
    const box = await page.locator('#map canvas').boundingBox(); // viewport coordinates, after the scroll
    assert.ok(box);
    await page.mouse.click(box.x + point.x, box.y + point.y);
    await page.waitForSelector('#selected-crimes li');
    assert.match(await page.textContent('#selected-place-name') ?? '', /^On or near /);
    const withHistory = page.locator('#selected-crimes details').first();
    await withHistory.locator('summary').click();
    const history = await withHistory.locator('.app-outcome-history').textContent();
    assert.match(history ?? '', /\d{4}-\d{2}: .+\./, 'history lists dated outcomes in words');
    assert.match(await page.textContent('#selected-crimes') ?? '', /Latest outcome: /);
    await page.screenshot({ path: screenshotPath('map-selected-point'), fullPage: true });
    assert.equal(await axeViolations(page), '');
    await page.close();
  });

  it('selects a point with the keyboard from the list of places', async () => {
    const page = await openMap(`/map?lat=${TOWN.lat}&lng=${TOWN.lng}&zoom=15`);
    await page.focus('#map-points button[data-location-id]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#selected-crimes li');
    assert.equal(await page.evaluate('document.activeElement.id'), 'map-panel-heading', 'focus moves to the panel');
    await page.close();
  });

  it('switches month and category in place and keeps them in the URL', async () => {
    const page = await openMap(`/map?lat=${TOWN.lat}&lng=${TOWN.lng}&zoom=13`);
    const months = await page.$$eval('#month option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    const month = months[1]!;
    await page.selectOption('#month', month);
    await page.selectOption('#category', 'burglary');
    const answer = page.waitForResponse((r) => r.url().includes('/map-data/clusters') && r.url().includes('category=burglary'));
    await page.click('#map-filters-submit');
    const data = (await (await answer).json()) as { meta: { month: string; category: { slug: string } } };
    assert.equal(data.meta.month, month);
    assert.equal(data.meta.category.slug, 'burglary');
    assert.match(page.url(), new RegExp(`month=${month}.*category=burglary`));
    assert.match(await page.textContent('#map-caption') ?? '', /^Burglary in /);
    await page.close();
  });

  it('draws an area by clicking and by keyboard, and shows its statistics', async () => {
    const page = await openMap(`/map?lat=${TOWN.lat}&lng=${TOWN.lng}&zoom=13`);
    await page.click('#draw-start');
    await page.locator('#map').scrollIntoViewIfNeeded();
    const box = (await page.locator('#map canvas').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [[-120, -100], [120, -100], [120, 100]] as const) await page.mouse.click(cx + dx, cy + dy);
    // The fourth corner by keyboard: pan the map, then add its centre.
    await page.focus('#map canvas');
    // Down and left move the view south-west, so the fourth corner closes the square.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowDown');
    await settled(page);
    await page.focus('#draw-add-centre');
    await page.keyboard.press('Enter');
    assert.match(await page.textContent('#draw-status') ?? '', /4 corners added/);
    await Promise.all([page.waitForURL(/\/area\?poly=/), page.click('#draw-finish')]);
    assert.equal(await page.locator('.govuk-error-summary').count(), 0, await page.textContent('main') ?? '');
    await page.waitForSelector('#category-table');
    assert.match(await page.textContent('#area-summary') ?? '', /\d+ crimes were recorded in the area you drew/);
    assert.ok(await page.isVisible('#outcome-table'));
    assert.equal(await axeViolations(page), '');
    await page.close();
  });

  it('shows the list view by street, paginated, with outcome histories', async () => {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/map/list?neighbourhood=demo/brackenford-town-centre`);
    assert.ok((await page.locator('h2.app-street').count()) > 1);
    assert.match(await page.textContent('#list-summary') ?? '', /page 1 of \d+/);
    assert.equal(await axeViolations(page), '');
    await page.click('.govuk-pagination__next a');
    assert.match(page.url(), /page=2/);
    assert.equal(await axeViolations(page), '');
    await page.close();
  });

  // axe needs JavaScript, so pages met with it off are checked here; their HTML is the same.
  for (const path of ['/area', '/area?place=DM1+9ZZ', '/area?poly=52.52,0.70:52.53,0.72:52.52,0.72:52.53,0.70', '/map/list', '/map/list?lat=52.524&lng=0.715&category=burglary']) {
    it(`axe finds nothing on ${path}`, async () => {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}${path}`);
      assert.equal(await axeViolations(page), '');
      await page.close();
    });
  }

  describe('with JavaScript off', () => {
    let noJs: BrowserContext;
    before(async () => {
      noJs = await browser.newContext({ javaScriptEnabled: false });
    });
    after(async () => noJs?.close());

    it('the map page offers the list, and its filters open the list view', async () => {
      const page = await noJs.newPage();
      await page.goto(`${server.baseUrl}/map?neighbourhood=demo/brackenford-town-centre`);
      assert.match(await page.textContent('#map') ?? '', /The map needs JavaScript/);
      await page.selectOption('#category', 'burglary');
      await Promise.all([page.waitForURL(/\/map\/list\?/), page.click('#map-filters-submit')]);
      assert.match(page.url(), /category=burglary/);
      assert.match(await page.textContent('#list-caption') ?? '', /^Burglary in /);
      await page.locator('h2.app-street').first().waitFor();
      await page.close();
    });

    it('the list view chooses a neighbourhood with a plain form', async () => {
      const page = await noJs.newPage();
      await page.goto(`${server.baseUrl}/map/list`);
      await page.selectOption('#neighbourhood', 'demo/brackenford-riverside');
      await Promise.all([page.waitForURL(/neighbourhood=demo/), page.click('#map-filters-submit')]);
      assert.match(await page.textContent('#list-caption') ?? '', /Brackenford Riverside/);
      await page.close();
    });

    it('the area form gives statistics for a distance around a postcode', async () => {
      const page = await noJs.newPage();
      await page.goto(`${server.baseUrl}/area`);
      await page.fill('#place', 'DM1 1WZ');
      await page.selectOption('#radius', '0.5');
      await Promise.all([page.waitForURL(/\/area\?lat=/), page.click('form[action="/area"] button')]);
      assert.match(await page.textContent('#area-summary') ?? '', /0\.5 miles around/);
      await page.fill('#place', 'DM1 9ZZ');
      await page.click('form[action="/area"] button');
      await page.waitForSelector('.govuk-error-summary');
      assert.match(await page.textContent('.govuk-error-summary') ?? '', /We do not have the postcode DM1 9ZZ/);
      await page.close();
    });
  });
});
