import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { addMonths } from '../api/data-release.ts';
import { londonNow, londonWallClockToEpoch } from '../neighbourhoods/london-time.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { eventId } from './events-ics.ts';
import { categoryName } from './crime-summary.presenter.ts';
import { AREA, FORCE, HOSTILE, independentCounts, seedAndBuild, tableRows } from './neighbourhood-page.test-helper.ts';

const PAGE = `/neighbourhoods/${FORCE}/${AREA}`;
const html = { accept: 'text/html' };

describeEachStore('neighbourhood page', (getStore) => {
  let app: FastifyInstance;
  let latest: string;
  before(async () => {
    app = await seedAndBuild(getStore());
    latest = (await app.ctx.release.latestMonth())!;
  });
  after(async () => app?.close());
  const page = async (path = PAGE) => {
    const res = await app.inject({ url: path, headers: html });
    assert.equal(res.statusCode, 200, `${path} answered ${res.statusCode}`);
    return res.body;
  };

  it('shows the team with rank and bio, and how to contact them', async () => {
    const body = await page();
    const people = await getStore().db.selectFrom('neighbourhood_people').selectAll().where('force_id', '=', FORCE).where('neighbourhood_id', '=', AREA).execute();
    assert.ok(people.length > 0);
    for (const p of people) {
      assert.ok(body.includes(`>${p.name}</h3>`), p.name);
      assert.ok(body.includes(p.rank));
      if (p.bio) assert.ok(body.includes(p.bio), p.bio);
    }
    assert.match(body, /id="team-contacts"[\s\S]*href="mailto:brackenford-town-centre\.snt@demoshire-police\.example"/);
    assert.match(body, /href="tel:101"/);
    assert.match(body, /id="force-page-link" href="https:\/\/[^"]+\/neighbourhoods\/brackenford-town-centre"/);
    assert.match(body, /id="stations"[\s\S]*Brackenford Police Station[\s\S]*1 Castle Street, Brackenford<br>DM\d+ \d[A-Z]{2}[\s\S]*Front counter open Monday to Saturday/);
    assert.match(body, /<title>Brackenford Town Centre – Demoshire Constabulary – /);
    assert.match(body, /govuk-notification-banner/, 'demo banner shows');
  });

  it('shows every priority with what was done and when', async () => {
    const body = await page();
    const priorities = await getStore().db.selectFrom('neighbourhood_priorities').selectAll().where('force_id', '=', FORCE).where('neighbourhood_id', '=', AREA).execute();
    assert.ok(priorities.length > 0);
    const section = /<section id="priorities"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';
    assert.equal((section.match(/<li class="govuk-summary-card">/g) ?? []).length, priorities.length);
    for (const p of priorities) {
      assert.ok(section.includes(p.issue), p.issue);
      if (p.action) assert.ok(section.includes(p.action), p.action);
    }
    assert.match(section, /We did<br><span class="govuk-body-s">\d{1,2} [A-Z][a-z]+ \d{4}<\/span>/);
    assert.match(section, /You said<br><span class="govuk-body-s">\d{1,2} [A-Z][a-z]+ \d{4}<\/span>/);
  });

  it('lists upcoming events only, each with its own calendar file', async () => {
    const body = await page();
    const now = londonNow(new Date());
    const all = await getStore().db.selectFrom('neighbourhood_events').selectAll().where('force_id', '=', FORCE).where('neighbourhood_id', '=', AREA).execute();
    const upcoming = all.filter((e) => (e.end_date ?? e.start_date) >= now);
    const past = all.filter((e) => (e.end_date ?? e.start_date) < now);
    assert.ok(upcoming.length > 0 && past.length > 0, 'the demo has both');
    for (const e of upcoming) assert.ok(body.includes(`id="event-${eventId(e)}"`), e.title);
    for (const e of past) assert.ok(!body.includes(`id="event-${eventId(e)}"`), e.title);
    assert.ok(body.includes(`href="${PAGE}/events.ics"`));

    const one = upcoming[0]!;
    const res = await app.inject(`${PAGE}/events/${eventId(one)}.ics`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.equal((res.body.match(/BEGIN:VEVENT/g) ?? []).length, 1);
    assert.equal((await app.inject(`${PAGE}/events/${eventId(past[0]!)}.ics`)).statusCode, 404, 'a past event has no calendar file');
  });

  it('gives all upcoming events as one calendar with correct start times', async () => {
    const res = await app.inject(`${PAGE}/events.ics`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="demo-brackenford-town-centre-events\.ics"$/);
    assert.ok(res.body.startsWith('BEGIN:VCALENDAR\r\n'));
    assert.ok(res.body.trimEnd().endsWith('END:VCALENDAR'));
    const now = londonNow(new Date());
    const upcoming = (await getStore().db.selectFrom('neighbourhood_events').selectAll().where('force_id', '=', FORCE).where('neighbourhood_id', '=', AREA).execute())
      .filter((e) => (e.end_date ?? e.start_date) >= now);
    assert.equal((res.body.match(/BEGIN:VEVENT/g) ?? []).length, upcoming.length);
    const starts = [...res.body.matchAll(/DTSTART:(\d{8}T\d{6}Z)/g)].map((m) => m[1]).sort();
    const expected = upcoming
      .map((e) => new Date(londonWallClockToEpoch(e.start_date)!).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''))
      .sort();
    assert.deepEqual(starts, expected);
  });

  it('counts crimes by category for the latest month exactly as the store holds them inside the boundary', async () => {
    const body = await page();
    const expected = await independentCounts(getStore(), FORCE, AREA, latest);
    const previous = await independentCounts(getStore(), FORCE, AREA, addMonths(latest, -1));
    const rows = tableRows(body, 'crime-summary-table');
    const total = rows.pop()!;
    assert.equal(rows.length, new Set([...expected.keys(), ...previous.keys()]).size);
    for (const [name, count, change] of rows) {
      const slug = [...expected.keys(), ...previous.keys()].find((s) => categoryName(s) === name)!;
      assert.ok(slug, name);
      assert.equal(Number(count), expected.get(slug) ?? 0, name);
      const before = previous.get(slug) ?? 0;
      const diff = (expected.get(slug) ?? 0) - before;
      assert.equal(change, diff === 0 ? `No change from ${before}` : `${diff > 0 ? 'Up' : 'Down'} ${Math.abs(diff)} from ${before}`);
    }
    const sum = [...expected.values()].reduce((a, b) => a + b, 0);
    assert.equal(total[0], 'All crime');
    assert.equal(total[1], String(sum));
    assert.ok(body.includes(`href="/map?month=${latest}&amp;category=burglary&amp;neighbourhood=demo%2Fbrackenford-town-centre"`));
    assert.ok(body.includes(`href="${PAGE}/trends"`));
    assert.ok(body.includes('href="/map?neighbourhood=demo%2Fbrackenford-town-centre"'));
  });

  it('never renders upstream HTML as markup', async () => {
    const body = await page(`/neighbourhoods/${FORCE}/${HOSTILE}`);
    const main = /<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '';
    assert.doesNotMatch(main, /<script|<b |<img|<em>|onclick|onerror|javascript:/i);
    assert.match(main, /<p class="govuk-body">Line one bold<\/p>/);
    assert.match(main, /<p class="govuk-body">Two &lt;i&gt;escaped&lt;\/i&gt;<\/p>/);
    assert.match(main, /id="neighbourhood-name">Hostile &amp; Co</);
    assert.match(main, />PC Ada<\/h3>/);
    assert.ok(main.includes('href="https://facebook.example/team"'));
    assert.ok(!main.includes('id="force-page-link"'), 'a javascript: force page is not linked');
    assert.match(main, /id="no-events"/);
  });

  it('answers the not-found page for an unknown force or neighbourhood', async () => {
    for (const path of [`/neighbourhoods/${FORCE}/no-such-place`, `/neighbourhoods/nowhere/${AREA}`, `/neighbourhoods/${FORCE}/no-such-place/trends`, '/forces/nowhere/trends']) {
      const res = await app.inject({ url: path, headers: html });
      assert.equal(res.statusCode, 404, path);
      assert.match(res.body, /<h1 class="govuk-heading-l">Page not found<\/h1>/, path);
    }
    assert.equal((await app.inject(`/neighbourhoods/${FORCE}/no-such-place/events.ics`)).statusCode, 404);
    assert.equal((await app.inject(`${PAGE}/events/not-an-id.ics`)).statusCode, 404);
  });

  it('says "No data" for a month the force did not publish, never 0', async () => {
    const previous = addMonths(latest, -1);
    await getStore().db.deleteFrom('publications').where('force_id', '=', FORCE).where('month', '=', previous).execute();
    const body = await page();
    const rows = tableRows(body, 'crime-summary-table');
    assert.ok(rows.length > 1);
    for (const row of rows) assert.equal(row[2], 'No data');
    assert.match(body, /did not publish crime data for that month/);
  });
});
