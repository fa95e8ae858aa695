import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-stores.ts';
import { nearestSchemes } from './find.service.ts';
import { DM1_1WZ, east, errorSummary, getPage, insertScheme, watchApp } from './schemes.test-helper.ts';

describeEachStore('finding Watch schemes', (getStore) => {
  let app: FastifyInstance;
  const ids: Record<string, string> = {};

  before(async () => {
    app = await watchApp(getStore());
    const store = getStore();
    // Schemes east of DM1 1WZ at known distances, written out of order.
    for (const [name, metres] of [['Far', 4000], ['Near', 500], ['Middle', 2000], ['Next', 1000], ['Fifth', 3000], ['Sixth', 3500], ['Seventh', 3800], ['Eighth', 4500], ['Ninth', 5000]] as const) {
      ids[name] = await insertScheme(store, { name, centre: east(DM1_1WZ, metres) });
    }
    ids.Home = await insertScheme(store, { name: 'Home Street', centre: east(DM1_1WZ, 50), halfMetres: 200, badge: 'police_verified' });
    ids.Pending = await insertScheme(store, { name: 'Pending Close', centre: east(DM1_1WZ, 10), status: 'pending' });
    ids.Suspended = await insertScheme(store, { name: 'Suspended Close', centre: east(DM1_1WZ, 20), status: 'suspended' });
  });
  after(async () => {
    await app?.close();
  });

  it('finds the seven nearest active schemes, nearest first, with 0 for the scheme the point is inside', async () => {
    const found = await nearestSchemes(getStore().db, DM1_1WZ);
    assert.deepEqual(
      found.map((s) => s.name),
      ['Home Street', 'Near', 'Next', 'Middle', 'Fifth', 'Sixth', 'Seventh'],
    );
    assert.equal(found[0]!.distanceMetres, 0);
    assert.equal(found[0]!.inside, true);
    assert.ok(Math.abs(found[1]!.distanceMetres - 500) < 5, `Near is 500 m away, not ${found[1]!.distanceMetres}`);
    assert.ok(Math.abs(found[3]!.distanceMetres - 2000) < 10);
    for (let i = 1; i < found.length; i++) assert.ok(found[i]!.distanceMetres >= found[i - 1]!.distanceMetres);
  });

  it('lists them on the page with distance in miles and the badge, and never a pending or suspended scheme', async () => {
    const page = await getPage(app, '/watch?q=DM1%201WZ');
    assert.equal(page.statusCode, 200);
    const list = /<ol[^>]*id="scheme-list"[\s\S]*?<\/ol>/.exec(page.body)?.[0] ?? '';
    assert.equal((list.match(/data-scheme-id=/g) ?? []).length, 7);
    assert.match(list, /Home Street[\s\S]*Verified by the police[\s\S]*You are inside this scheme’s area/);
    assert.match(list, /Near<\/a>[\s\S]*?0\.3 miles away/);
    assert.match(list, /Middle<\/a>[\s\S]*?1\.2 miles away/);
    assert.doesNotMatch(page.body, /Pending Close|Suspended Close/);
    assert.ok(!page.body.includes(ids.Pending!), 'the pending scheme’s id is nowhere on the page');
    assert.match(page.body, /id="watch-map"[^>]*data-schemes="\[/);
  });

  it('finds by coordinates and by a neighbourhood', async () => {
    const byPoint = await getPage(app, `/watch?q=${DM1_1WZ.latitude},${DM1_1WZ.longitude}`);
    assert.equal(byPoint.statusCode, 200);
    assert.match(byPoint.body, /Home Street/);
    const byNeighbourhood = await getPage(app, '/watch?neighbourhood=demo/brackenford-town-centre');
    assert.equal(byNeighbourhood.statusCode, 200);
    assert.match(byNeighbourhood.body, /Neighbourhood Watch schemes near Brackenford Town Centre/);
    assert.match(byNeighbourhood.body, /data-scheme-id=/);
    assert.equal((await getPage(app, '/watch?neighbourhood=demo/nowhere')).statusCode, 404);
  });

  it('leaves out schemes beyond the distance searched', async () => {
    const found = await nearestSchemes(getStore().db, DM1_1WZ, { withinMiles: 1 });
    assert.deepEqual(found.map((s) => s.name), ['Home Street', 'Near', 'Next']);
  });

  it('explains a postcode it does not know in the error summary, without echoing markup', async () => {
    const page = await getPage(app, '/watch?q=ZZ9%209ZZ');
    assert.equal(page.statusCode, 404);
    assert.match(errorSummary(page.body)[0] ?? '', /We do not know the postcode ZZ9 9ZZ/);
    const evil = await getPage(app, `/watch?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.doesNotMatch(evil.body, /<script>alert/);
  });

  it('shows the search form with nothing searched', async () => {
    const page = await getPage(app, '/watch');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Find a Neighbourhood Watch scheme/);
    assert.deepEqual(errorSummary(page.body), []);
  });
});

describeEachStore('finding no Watch scheme', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    app = await watchApp(getStore());
    // Only a scheme nobody has approved yet: it must not count as a scheme near.
    await insertScheme(getStore(), { name: 'Not Yet Approved', centre: DM1_1WZ, status: 'pending' });
  });
  after(async () => {
    await app?.close();
  });

  it('says there is none near the postcode and offers to start one', async () => {
    const page = await getPage(app, '/watch?q=dm1+1wz');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /There are no Watch schemes near DM1 1WZ\./);
    // The start map opens on the place searched, close enough to draw streets.
    assert.match(page.body, /<a class="govuk-button" href="\/watch\/start\?lat=52\.\d{5}&amp;lng=0\.\d{5}&amp;zoom=15" id="start-scheme-link">Start a scheme<\/a>/);
    assert.doesNotMatch(page.body, /id="scheme-list"|Not Yet Approved/);
  });
});
