import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { seedFixtures } from './neighbourhoods.fixtures.ts';

describeEachStore('neighbourhood routes', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await seedFixtures(getStore().db);
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
  });
  const get = (path: string) => app.inject(`/api${path}`);

  it('lists a force’s neighbourhoods with HTML entities in names kept', async () => {
    const res = await get('/hampshire/neighbourhoods');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), [
      { id: 'EMPTY', name: 'Nothing known' },
      { id: 'SO1', name: 'Bitterne &amp; Harefield' },
      { id: 'SO2', name: 'Woolston' },
    ]);
    assert.ok(res.body.includes('Bitterne &amp; Harefield'));
  });

  it('gives a neighbourhood with string population and coordinates', async () => {
    const res = await get('/hampshire/SO1');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      id: 'SO1',
      name: 'Bitterne &amp; Harefield',
      url_force: 'https://www.hampshire.police.uk/a/your-area/so1',
      description: '<p>East of the Itchen.</p>',
      population: '12345',
      centre: { latitude: '50.9223456789', longitude: '-1.3665432101' },
      contact_details: { email: 'bitterne@hampshire.police.uk', telephone: '101', twitter: 'https://twitter.com/bitternecops' },
      links: [{ url: 'https://www.southampton.gov.uk/', title: 'Southampton City Council', description: null }],
      locations: [
        { name: 'Bitterne Police Station', type: 'station', address: 'Bitterne Road', postcode: 'SO18 1BW', latitude: '50.9201', longitude: '-1.3640', description: null },
      ],
    });
  });

  it('gives a bare neighbourhood with nulls and empty lists', async () => {
    const body = (await get('/hampshire/EMPTY')).json();
    assert.equal(body.population, '0');
    assert.equal(body.centre, null);
    assert.deepEqual(body.links, []);
    assert.deepEqual((await get('/hampshire/EMPTY/boundary')).json(), []);
  });

  it('gives the boundary as a closed ring of 10 dp strings', async () => {
    const ring = (await get('/hampshire/SO1/boundary')).json() as Array<{ latitude: unknown; longitude: unknown }>;
    assert.equal(ring.length, 5);
    assert.deepEqual(ring[0], { latitude: '50.9123456789', longitude: '-1.3765432101' });
    assert.deepEqual(ring[4], ring[0]);
    for (const p of ring) {
      assert.equal(typeof p.latitude, 'string');
      assert.equal(typeof p.longitude, 'string');
    }
  });

  it('gives the team', async () => {
    assert.deepEqual((await get('/hampshire/SO1/people')).json(), [
      { name: 'PC Jane Smith', rank: 'PC', bio: null, contact_details: {} },
      { name: 'PCSO Ali Khan', rank: 'PCSO', bio: '<p>Your PCSO.</p>', contact_details: { email: 'ali.khan@hampshire.police.uk' } },
    ]);
  });

  it('gives only events not yet over, soonest first', async () => {
    const events = (await get('/hampshire/SO1/events')).json() as Array<Record<string, unknown>>;
    assert.deepEqual(
      events.map((e) => e.title),
      ['Under way', 'Sooner future', 'Far future surgery'],
    );
    assert.deepEqual(events[2], {
      title: 'Far future surgery',
      type: 'meeting',
      description: '<p>Meet the team.</p>',
      address: 'Library',
      start_date: '2099-06-01T10:00:00',
      end_date: '2099-06-01T12:00:00',
      contact_details: {},
    });
    assert.equal(events[1]?.end_date, null);
  });

  it('gives priorities with hyphenated date keys', async () => {
    assert.deepEqual((await get('/hampshire/SO1/priorities')).json(), [
      { issue: '<p>Speeding on Bitterne Road</p>', 'issue-date': '2025-10-08T00:00:00', action: '<p>Speed checks.</p>', 'action-date': '2025-12-22T00:00:00' },
      { issue: '<p>Anti-social behaviour &amp; drinking</p>', 'issue-date': '2026-01-01T00:00:00', action: null, 'action-date': null },
    ]);
  });

  it('finds a Northern Ireland neighbourhood whose id has spaces', async () => {
    const res = await get('/northern-ireland/Belfast%20City%20Centre');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().id, 'Belfast City Centre');
    assert.equal((await get('/northern-ireland/Belfast%20City%20Centre/boundary')).json().length, 5);
    assert.deepEqual((await get('/northern-ireland/neighbourhoods')).json(), [{ id: 'Belfast City Centre', name: 'Belfast City Centre' }]);
  });

  const notFound = [
    ['/atlantis/neighbourhoods', 'SC_ERR_UNKNOWN_FORCE'],
    ['/atlantis/SO1', 'SC_ERR_UNKNOWN_FORCE'],
    ['/atlantis/SO1/people', 'SC_ERR_UNKNOWN_FORCE'],
    ['/hampshire/XX9', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/hampshire/so1', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/hampshire/XX9/boundary', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/hampshire/XX9/people', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/hampshire/XX9/events', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/hampshire/XX9/priorities', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
    ['/leicestershire/SO1', 'SC_ERR_UNKNOWN_NEIGHBOURHOOD'],
  ] as const;
  for (const [path, code] of notFound) {
    it(`answers ${path} with 404 text/plain Not Found`, async () => {
      const res = await get(path);
      assert.equal(res.statusCode, 404);
      assert.equal(res.body, 'Not Found');
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(res.headers['x-error-code'], code);
    });
  }

  const locate = async (q: string) => get(`/locate-neighbourhood?q=${encodeURIComponent(q)}`);

  it('locates a point inside each arm and the base of a concave neighbourhood', async () => {
    for (const q of ['52.64,-1.15', '52.64,-1.11', '52.61,-1.13']) {
      const res = await locate(q);
      assert.equal(res.statusCode, 200, q);
      assert.deepEqual(res.json(), { force: 'leicestershire', neighbourhood: 'NC04' });
    }
  });

  it('does not locate a point in the notch of a concave neighbourhood, inside its box', async () => {
    const res = await locate('52.64,-1.13');
    assert.equal(res.statusCode, 404);
    assert.equal(res.body, 'Not Found');
    assert.equal(res.headers['x-error-code'], 'SC_ERR_NO_NEIGHBOURHOOD_AT_POINT');
  });

  it('locates points on a concave boundary: the notch floor, a notch wall, a vertex', async () => {
    for (const q of ['52.62,-1.13', '52.64,-1.14', '52.66,-1.12']) {
      assert.deepEqual((await locate(q)).json(), { force: 'leicestershire', neighbourhood: 'NC04' }, q);
    }
  });

  it('locates a point on an edge two neighbourhoods share to one of them', async () => {
    assert.deepEqual((await locate('50.92,-1.3565432101')).json(), { force: 'hampshire', neighbourhood: 'SO1' });
    assert.deepEqual((await locate('50.92,-1.35')).json(), { force: 'hampshire', neighbourhood: 'SO2' });
    assert.deepEqual((await locate('54.6,-5.92')).json(), { force: 'northern-ireland', neighbourhood: 'Belfast City Centre' });
  });

  for (const q of ['48.8566,2.3522', '', 'abc', '52.64', '52.64,-1.15,3', '52.64;-1.15', '999,-1.15']) {
    it(`answers locate-neighbourhood?q=${q} with 404 Not Found`, async () => {
      const res = await locate(q);
      assert.equal(res.statusCode, 404);
      assert.equal(res.body, 'Not Found');
    });
  }

  it('answers locate-neighbourhood without q with 404 Not Found', async () => {
    const res = await get('/locate-neighbourhood');
    assert.equal(res.statusCode, 404);
    assert.equal(res.body, 'Not Found');
  });
});
