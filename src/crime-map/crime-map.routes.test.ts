/**
 * The map pages through app.inject on both stores: the list view's grouping and
 * pagination, area statistics against an independent count, the messages for
 * bad polygons, the boundaries GeoJSON and MapLibre's files.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { addMonths } from '../api/data-release.ts';
import { loadConfig } from '../config.ts';
import { buildDemo } from '../demo/demo.service.ts';
import { distanceMetres, MILE_METRES, pointInPolygon } from '../geo/geo.ts';
import { findNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';

const TOWN = { latitude: 52.524, longitude: 0.715 };
const END = '2026-09';
const html = { accept: 'text/html' };

/** Every placed crime from `from` to `to` with its snap point: the independent side of each comparison. */
async function placedCrimes(store: Store, from: string, to: string) {
  return store.db
    .selectFrom('crimes as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.id', 'c.category', 'c.month', 'c.force_id', 'l.id as location', 'l.latitude', 'l.longitude', 'l.street_name'])
    .where('c.month', '>=', from)
    .where('c.month', '<=', to)
    .execute();
}

const text = (body: string) => body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describeEachStore('crime map pages', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await buildDemo(getStore(), { endMonth: END, months: 13 });
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  });

  it('lists a neighbourhood\'s crimes grouped by snap point, 20 places a page, in street order', async () => {
    const n = (await findNeighbourhood(getStore().db, 'demo', 'brackenford-town-centre'))!;
    const inside = (await placedCrimes(getStore(), END, END)).filter((c) => pointInPolygon(c, n.boundary));
    const places = new Set(inside.map((c) => c.location));
    const pages = Math.ceil(places.size / 20);
    assert.ok(pages > 1, 'the demo town centre needs more than one page');

    const first = await app.inject({ url: '/map/list?neighbourhood=demo/brackenford-town-centre', headers: html });
    assert.equal(first.statusCode, 200);
    assert.match(text(first.body), new RegExp(`${inside.length} crimes at ${places.size} places, page 1 of ${pages}\\.`));
    const streets = [...first.body.matchAll(/<h2 class="govuk-heading-m app-street">([^<]+)</g)].map((m) => m[1]!.trim());
    assert.equal(streets.length, 20);
    assert.deepEqual(streets, [...streets].sort((a, b) => a.localeCompare(b, 'en')));
    assert.match(first.body, /class="govuk-pagination__next"/);
    assert.match(first.body, /href="\/map\/list\?neighbourhood=demo%2Fbrackenford-town-centre&amp;page=2"/);

    const last = await app.inject({ url: `/map/list?neighbourhood=demo/brackenford-town-centre&page=${pages}`, headers: html });
    const onLast = [...last.body.matchAll(/app-street/g)].length;
    assert.equal(onLast, places.size - 20 * (pages - 1));
    assert.doesNotMatch(last.body, /govuk-pagination__next/);
    // A page past the end shows the last page rather than nothing.
    const beyond = await app.inject({ url: '/map/list?neighbourhood=demo/brackenford-town-centre&page=999', headers: html });
    assert.match(text(beyond.body), new RegExp(`page ${pages} of ${pages}`));
  });

  it('filters the list by month and category and shows each crime\'s outcome history', async () => {
    const month = addMonths(END, -2);
    const all = (await placedCrimes(getStore(), month, month)).filter((c) => c.category === 'burglary' && distanceMetres(TOWN, c) <= MILE_METRES);
    const res = await app.inject({ url: `/map/list?lat=${TOWN.latitude}&lng=${TOWN.longitude}&month=${month}&category=burglary`, headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(text(res.body), new RegExp(`${all.length} crimes at`));
    assert.doesNotMatch(text(res.body), /Anti-social behaviour, \d{4}/);
    assert.match(res.body, /Outcome history \(\d+ updates?\)/);
    assert.match(res.body, /Latest outcome: /);
  });

  it('explains a bad list request on the page', async () => {
    const res = await app.inject({ url: '/map/list?neighbourhood=demo/nowhere&month=1999-01&category=arson', headers: html });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /There is no crime data for 1999-01/);
    assert.match(res.body, /Choose a type of crime from the list/);
    assert.match(res.body, /Choose a neighbourhood from the list/);
  });

  it('counts an area\'s crimes by category and outcome as an independent count does', async () => {
    const from = addMonths(END, -11);
    const crimes = await placedCrimes(getStore(), from, END);
    const inArea = crimes.filter((c) => distanceMetres(TOWN, c) <= MILE_METRES);
    const burglaries = inArea.filter((c) => c.category === 'burglary').length;
    const force = await getStore().db.selectFrom('crimes').select((eb) => eb.fn.countAll<number>().as('n')).where('month', '>=', from).where('month', '<=', END).executeTakeFirstOrThrow();

    const res = await app.inject({ url: `/area?lat=${TOWN.latitude}&lng=${TOWN.longitude}&radius=1`, headers: html });
    assert.equal(res.statusCode, 200);
    const body = text(res.body);
    assert.match(body, new RegExp(`${inArea.length} crimes were recorded in 1 mile around`));
    assert.match(body, new RegExp(`of the ${Number(force.n)} crimes recorded across Demoshire Constabulary`));
    const row = /data-key="burglary">([\s\S]*?)<\/tr>/.exec(res.body)?.[1] ?? '';
    assert.match(text(row), new RegExp(`Burglary ${burglaries} ${((100 * burglaries) / inArea.length).toFixed(1)}%`));
    const outcomeRows = [...res.body.matchAll(/<tr class="govuk-table__row" data-key="([^"]+)">([\s\S]*?)<\/tr>/g)];
    const outcomeTable = res.body.slice(res.body.indexOf('id="outcome-table"'));
    const outcomeSum = [...outcomeTable.matchAll(/data-key="[^"]+">[\s\S]*?govuk-table__cell--numeric">(\d+)</g)].reduce((s, m) => s + Number(m[1]), 0);
    assert.ok(outcomeRows.length > 0);
    assert.equal(outcomeSum, inArea.filter((c) => c.category !== 'anti-social-behaviour').length, 'every crime but ASB has one latest-outcome row');
  });

  it('counts a drawn polygon as the independent point-in-polygon count does', async () => {
    const ring = [
      { latitude: 52.51, longitude: 0.69 },
      { latitude: 52.54, longitude: 0.69 },
      { latitude: 52.54, longitude: 0.74 },
      { latitude: 52.51, longitude: 0.74 },
    ];
    const from = addMonths(END, -11);
    const expected = (await placedCrimes(getStore(), from, END)).filter((c) => pointInPolygon(c, ring)).length;
    const poly = ring.map((p) => `${p.latitude},${p.longitude}`).join(':');
    const res = await app.inject({ url: `/area?poly=${poly}`, headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(text(res.body), new RegExp(`${expected} crimes were recorded in the area you drew \\(4 corners`));
  });

  for (const [name, poly, message] of [
    ['crossing edges', '52.52,0.70:52.53,0.72:52.52,0.72:52.53,0.70', 'The edges of the area cross each other'],
    ['a tiny area', '52.52,0.70:52.5201,0.7001:52.52,0.7002', 'The area is too small'],
    ['an enormous area', '50,-3:55,-3:55,2:50,2', 'The area is too large'],
    ['two corners', '52.52,0.70:52.53,0.72', 'The area needs at least 3 corners'],
    ['malformed corners', '52.52;0.70:abc', 'Enter the area as corners in the form latitude,longitude'],
    ['a latitude out of range', '95,0.70:52.53,0.72:52.52,0.73', 'Each corner must have a latitude from -90 to 90'],
  ] as const) {
    it(`rejects ${name} with a GOV.UK error message`, async () => {
      const res = await app.inject({ url: `/area?poly=${encodeURIComponent(poly)}`, headers: html });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /govuk-error-summary/);
      assert.ok(res.body.includes(message), `expected "${message}"`);
      assert.match(res.body, /<title>Error: /);
    });
  }

  it('rejects a radius out of range and an unknown postcode', async () => {
    const far = await app.inject({ url: `/area?lat=${TOWN.latitude}&lng=${TOWN.longitude}&radius=50`, headers: html });
    assert.equal(far.statusCode, 400);
    assert.match(far.body, /Enter a distance from 0.1 to 10 miles/);
    const unknown = await app.inject({ url: '/area?place=DM1+9ZZ&radius=1', headers: html });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.body, /We do not have the postcode DM1 9ZZ/);
  });

  it('turns coordinates typed in the area form into a shareable address', async () => {
    const res = await app.inject({ url: '/area?place=52.524%2C+0.715&radius=0.5', headers: html });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/area?lat=52.524000&lng=0.715000&radius=0.5');
  });

  it('serves the map page with its state, notes and the list link', async () => {
    const res = await app.inject({ url: '/map?neighbourhood=demo/brackenford-town-centre&category=burglary', headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Burglary in September 2026/);
    assert.match(res.body, /href="\/map\/list\?neighbourhood=demo%2Fbrackenford-town-centre&amp;category=burglary"/);
    assert.match(res.body, /on or near/);
    assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/);
  });

  it('serves neighbourhood boundaries as GeoJSON, optionally within a box', async () => {
    const all = await app.inject({ url: '/map-data/neighbourhoods.geojson' });
    assert.equal(all.statusCode, 200);
    const body = all.json<{ features: { geometry: { type: string; coordinates: number[][][] }; properties: { name: string } }[] }>();
    assert.equal(body.features.length, 12);
    assert.ok(body.features.every((f) => f.geometry.type === 'Polygon' && f.geometry.coordinates[0]!.length >= 4));
    const some = await app.inject({ url: '/map-data/neighbourhoods.geojson?bbox=0.70,52.52,0.71,52.53' });
    assert.ok(some.json<{ features: unknown[] }>().features.length < 12);
    assert.equal((await app.inject({ url: '/map-data/neighbourhoods.geojson?bbox=x' })).statusCode, 400);
  });

  it('serves MapLibre from our own origin, cached', async () => {
    const page = await app.inject({ url: '/map', headers: html });
    const src = /<script src="(\/assets\/crime-map\/maplibre-gl\.js\?v=[0-9a-f]+)"/.exec(page.body)?.[1];
    assert.ok(src);
    const js = await app.inject({ url: src });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['cache-control'] as string, /max-age=31536000/);
    assert.match(js.headers['content-type'] as string, /javascript/);
  });

  // Last: it removes a publication from the store the other tests read.
  it('names the months a force did not publish', async () => {
    const gap = addMonths(END, -3);
    const db = getStore().db;
    await db.deleteFrom('publications').where('force_id', '=', 'demo').where('month', '=', gap).where('kind', '=', 'street').execute();
    // A month counts as published when any force published it, so another force must have.
    await db.insertInto('forces').values({ id: 'northshire', name: 'Northshire Police', url: null, telephone: null, description: null, engagement_methods: '[]', listed: 1, is_demo: 0 }).execute();
    await db.insertInto('publications').values({ force_id: 'northshire', month: gap, kind: 'street', rows: 0, rejected: 0, source: 'test', imported_at: '2026-10-01T00:00:00Z' }).execute();
    app.ctx.release.invalidate();
    const res = await app.inject({ url: '/map', headers: html });
    assert.ok(res.body.includes(`Demoshire Constabulary did not publish street crime data for ${gap}.`));
  });
});
