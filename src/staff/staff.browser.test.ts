/**
 * The staff journey in a real browser: an officer of the demo's town centre
 * team (signed in by a session made in the store, as the sign-in pages have
 * tests of their own) adds a priority and an event and sees both on the public
 * neighbourhood page; the forms pass axe, errors included.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, browserSkipReason, launchBrowser, screenshotPath, startDemoServer, type DemoServer } from '../site/browser-test.helper.ts';
import { seedPerson, signedInAs, teamOrganisation } from '../sessions/session.test-helper.ts';

const skip = browserSkipReason();
const AREA = 'brackenford-town-centre';

describe('staff tools in Chromium', { skip }, () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchBrowser()]);
    const officer = await seedPerson(server.store, { displayName: 'PC Browser', roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation('demo', AREA) }] });
    const { cookie } = await signedInAs(server.app, officer.id);
    const [name, value] = cookie.split('=') as [string, string];
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    await context.addCookies([{ name, value, url: server.baseUrl }]);
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const submit = (label: string) => Promise.all([page.waitForNavigation(), page.click(`button:has-text("${label}")`)]);

  it('adds a priority and an event that then show on the public page', async () => {
    const year = String(new Date().getFullYear() + 1);
    await page.goto(`${server.baseUrl}/staff`);
    await Promise.all([page.waitForNavigation(), page.click('#editable-neighbourhoods a:has-text("Brackenford Town Centre")')]);
    assert.equal(await page.textContent('h1'), 'Brackenford Town Centre');
    assert.equal(await axeViolations(page), '');

    await Promise.all([page.waitForNavigation(), page.click('a[href$="/priorities"]')]);
    await Promise.all([page.waitForNavigation(), page.click('a:has-text("Add another priority")')]);
    await page.fill('#issue', 'Bikes ridden on the Market Street pavement');
    await page.fill('#issueDate-day', '31');
    await page.fill('#issueDate-month', '2');
    await page.fill('#issueDate-year', '2026');
    await submit('Add priority');
    assert.ok(await page.isVisible('.govuk-error-summary'), 'an impossible date is caught');
    assert.equal((await page.textContent('.govuk-error-summary__list'))?.trim(), 'Date raised must be a real date');
    assert.equal(await axeViolations(page), '', 'the form with its errors passes axe');
    await page.fill('#issueDate-day', '28');
    await submit('Add priority');
    assert.match((await page.textContent('.govuk-notification-banner--success'))!, /Priority added/);

    await page.goto(`${server.baseUrl}/staff/neighbourhoods/demo/${AREA}/events/add`);
    await page.fill('#title', 'Bike marking at the market');
    await page.fill('#type', 'community event');
    await page.fill('#startDate-day', '6');
    await page.fill('#startDate-month', '6');
    await page.fill('#startDate-year', year);
    await page.fill('#startTime', '10am');
    await page.fill('#endTime', '1pm');
    await page.fill('#address', 'Market Square, Brackenford');
    await submit('Add event');
    assert.match((await page.textContent('.govuk-notification-banner--success'))!, /Event added/);
    assert.match((await page.textContent('#events-table'))!, /Bike marking at the market/);
    await page.screenshot({ path: screenshotPath('staff-events'), fullPage: true });

    await page.goto(`${server.baseUrl}/neighbourhoods/demo/${AREA}`);
    assert.match((await page.textContent('#priority-list'))!, /Bikes ridden on the Market Street pavement/);
    assert.match((await page.textContent('#priority-list'))!, /28 February 2026/);
    const events = (await page.textContent('#event-list'))!;
    assert.match(events, /Bike marking at the market/);
    assert.match(events, new RegExp(`6 June ${year}, 10am to 1pm`));
  });
});
