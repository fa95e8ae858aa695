import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { describeEachStore } from '../store/test-stores.ts';
import { CENTRE, ID, loadFixture, testApp } from './api-fixture.test-helper.ts';

// Bodies are asserted field by field against data.police.uk's documented shapes: the test is the type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describeEachStore('compatible crime API', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await loadFixture(getStore());
    app = await testApp(getStore());
  });
  const get = (url: string) => app.inject({ method: 'GET', url });
  const point = `lat=${CENTRE.lat}&lng=${CENTRE.lng}`;

  it('answers a one-mile query with upstream shapes and types', async () => {
    const res = await get(`/api/crimes-street/all-crime?${point}&date=2025-02`);
    assert.equal(res.statusCode, 200);
    const crimes: Json[] = res.json();
    // The far crime (2.2 km) and the unplaced one are not in the mile.
    assert.deepEqual(crimes.map((c) => c.persistent_id).sort(), ['', ID.burglary, ID.penalty, ID.theft].sort());
    const burglary = crimes.find((c) => c.persistent_id === ID.burglary)!;
    assert.equal(burglary.category, 'burglary');
    assert.equal(burglary.location_type, 'Force');
    assert.equal(burglary.location.latitude, '52.000000');
    assert.equal(burglary.location.longitude, '-1.000000');
    assert.equal(typeof burglary.location.street.id, 'number');
    assert.equal(burglary.location.street.name, 'On or near High Street');
    assert.equal(typeof burglary.id, 'number');
    assert.equal(burglary.context, '');
    assert.equal(burglary.location_subtype, '');
    assert.equal(burglary.month, '2025-02');
    assert.deepEqual(Object.keys(burglary), ['category', 'location_type', 'location', 'context', 'outcome_status', 'persistent_id', 'id', 'location_subtype', 'month']);
  });

  it('gives anti-social behaviour an empty persistent id and no outcome', async () => {
    const crimes: Json[] = (await get(`/api/crimes-street/anti-social-behaviour?${point}&date=2025-02`)).json();
    assert.equal(crimes.length, 1);
    assert.equal(crimes[0]!.persistent_id, '');
    assert.equal(crimes[0]!.outcome_status, null);
  });

  it('takes outcome_status from the latest outcome, else from the street file', async () => {
    const crimes: Json[] = (await get(`/api/crimes-street/all-crime?${point}&date=2025-02`)).json();
    const byId = new Map(crimes.map((c) => [c.persistent_id, c]));
    // The outcomes file says Suspect charged in 2025-02; the street file said Under investigation.
    assert.deepEqual(byId.get(ID.burglary)!.outcome_status, { category: 'Suspect charged', date: '2025-02' });
    assert.deepEqual(byId.get(ID.theft)!.outcome_status, { category: 'Unable to prosecute suspect', date: '2025-02' });
    // The crime-side spelling of this outcome has no "a".
    assert.deepEqual(byId.get(ID.penalty)!.outcome_status, { category: 'Offender given penalty notice', date: '2025-02' });
    // A January crime whose outcome came in February carries February's outcome.
    const january: Json[] = (await get(`/api/crimes-street/all-crime?${point}&date=2025-01`)).json();
    assert.deepEqual(january[0]!.outcome_status, { category: 'Unable to prosecute suspect', date: '2025-02' });
  });

  it('filters by category, and treats an unknown category as all crime like upstream', async () => {
    const burglaries: Json[] = (await get(`/api/crimes-street/burglary?${point}&date=2025-02`)).json();
    assert.deepEqual(burglaries.map((c) => c.persistent_id), [ID.burglary]);
    const unknown: Json[] = (await get(`/api/crimes-street/no-such-thing?${point}&date=2025-02`)).json();
    assert.equal(unknown.length, 4);
  });

  it('keeps upstream date rules', async () => {
    const latest: Json[] = (await get(`/api/crimes-street/all-crime?${point}`)).json();
    assert.ok(latest.every((c) => c.month === '2025-02'));
    const misspelt: Json[] = (await get(`/api/crimes-street/all-crime?${point}&dte=2025-01`)).json();
    assert.ok(misspelt.length > 0 && misspelt.every((c) => c.month === '2025-02'));
    const future = await get(`/api/crimes-street/all-crime?${point}&date=2030-01`);
    assert.equal(future.statusCode, 200);
    assert.deepEqual(future.json(), []);
    for (const bad of ['2025-13', 'July2025', '2025-02-15', '2021-01']) {
      const res = await get(`/api/crimes-street/all-crime?${point}&date=${bad}`);
      assert.equal(res.statusCode, 404, bad);
      assert.equal(res.body, '', bad);
    }
  });

  it('refuses a bad point with 400 and an empty body', async () => {
    for (const q of ['lat=abc&lng=-1', 'lat=52', '']) {
      const res = await get(`/api/crimes-street/all-crime?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.equal(res.body, '');
      assert.equal(res.headers['x-error-code'], 'SC_ERR_BAD_LOCATION');
    }
  });

  it('accepts poly by GET and by form POST, closing the ring itself', async () => {
    const poly = '51.99,-1.01:52.01,-1.01:52.01,-0.99:51.99,-0.99';
    const viaGet: Json[] = (await get(`/api/crimes-street/all-crime?poly=${poly}&date=2025-02`)).json();
    assert.deepEqual(viaGet.map((c) => c.persistent_id).sort(), ['', ID.burglary, ID.penalty, ID.theft].sort());
    const viaPost = await app.inject({
      method: 'POST',
      url: '/api/crimes-street/all-crime',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `poly=${encodeURIComponent(poly)}&date=2025-02`,
    });
    assert.equal(viaPost.statusCode, 200);
    assert.deepEqual(viaPost.json(), viaGet);
  });

  it('answers malformed polygons, JSON bodies and long lines as upstream does', async () => {
    assert.equal((await get('/api/crimes-street/all-crime?poly=52,a:53,-1:52,-2')).statusCode, 404);
    assert.equal((await get('/api/crimes-street/all-crime?poly=52,-1:53,-1')).statusCode, 502);
    const json = await app.inject({ method: 'POST', url: '/api/crimes-street/all-crime', payload: { poly: '52,-1:53,-1:52,-2' } });
    assert.equal(json.statusCode, 400);
    const longPoly = Array.from({ length: 300 }, (_, i) => `52.${String(i).padStart(6, '0')},-1.000000`).join(':');
    const long = await get(`/api/crimes-street/all-crime?poly=${longPoly}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Request Line is too large/);
  });

  it('answers 503 when an area holds more crimes than the limit, unless switched off', async () => {
    const limited = await testApp(getStore(), { API_AREA_LIMIT: '3' });
    const res = await limited.inject({ method: 'GET', url: `/api/crimes-street/all-crime?${point}&date=2025-02` });
    assert.equal(res.statusCode, 503);
    assert.equal(res.body, '');
    const unlimited = await testApp(getStore(), { API_AREA_LIMIT: 'off' });
    const ok = await unlimited.inject({ method: 'GET', url: `/api/crimes-street/all-crime?${point}&date=2025-02` });
    assert.equal(ok.json().length, 4);
  });

  it('finds crimes at a snap point by id, or at the nearest point with crimes', async () => {
    const crimes: Json[] = (await get(`/api/crimes-street/burglary?${point}&date=2025-02`)).json();
    const streetId = crimes[0]!.location.street.id;
    const atId: Json[] = (await get(`/api/crimes-at-location?location_id=${streetId}&date=2025-02`)).json();
    assert.deepEqual(atId.map((c) => c.persistent_id), [ID.burglary]);
    assert.equal((await get('/api/crimes-at-location?location_id=99999999&date=2025-02')).statusCode, 404);
    const near: Json[] = (await get('/api/crimes-at-location?lat=52.0049&lng=-1.0001&date=2025-02')).json();
    assert.ok(near.length === 2 && near.every((c) => c.location.street.name === 'On or near Mill Lane'));
  });

  it('lists crimes with no location for a force; an unknown force is 502', async () => {
    const crimes: Json[] = (await get('/api/crimes-no-location?category=all-crime&force=testshire&date=2025-02')).json();
    assert.equal(crimes.length, 1);
    assert.equal(crimes[0]!.location, null);
    assert.equal(crimes[0]!.location_type, null);
    assert.equal(crimes[0]!.persistent_id, ID.unplaced);
    assert.equal((await get('/api/crimes-no-location?category=all-crime&force=nowhere&date=2025-02')).statusCode, 502);
  });

  it('gives a crime its whole outcome history, each outcome once', async () => {
    const res = await get(`/api/outcomes-for-crime/${ID.burglary}`);
    assert.equal(res.statusCode, 200);
    const body: Json = res.json();
    assert.equal(body.crime.persistent_id, ID.burglary);
    assert.equal(body.crime.outcome_status, undefined);
    assert.deepEqual(body.outcomes, [
      { category: { code: 'under-investigation', name: 'Under investigation' }, date: '2025-02', person_id: null },
      { category: { code: 'charged', name: 'Suspect charged' }, date: '2025-02', person_id: null },
    ]);
    assert.equal((await get(`/api/outcomes-for-crime/${'9'.repeat(64)}`)).statusCode, 404);
    assert.equal((await get(`/api/outcomes-for-crime/${ID.burglary.toUpperCase()}`)).statusCode, 404);
  });

  it('lists outcomes recorded in an area in a month, with their crimes', async () => {
    const outcomes: Json[] = (await get(`/api/outcomes-at-location?${point}&date=2025-02`)).json();
    assert.deepEqual(outcomes.map((o) => `${o.crime.persistent_id.slice(0, 1)}:${o.category.code}`), ['a:under-investigation', 'a:charged', 'f:unable-to-prosecute']);
    assert.equal(outcomes[2]!.crime.month, '2025-01');
    assert.equal(outcomes[0]!.person_id, null);
  });

  it('serves categories, the last update and the months available', async () => {
    const categories: Json[] = (await get('/api/crime-categories?date=2011-01')).json();
    assert.equal(categories.length, 15);
    assert.deepEqual(categories[0], { url: 'all-crime', name: 'All crime' });
    assert.deepEqual((await get('/api/crime-last-updated')).json(), { date: '2025-02-01' });
    const dates: Json[] = (await get('/api/crimes-street-dates')).json();
    assert.equal(dates.length, 36);
    assert.deepEqual(dates[0], { date: '2025-02', 'stop-and-search': ['testshire'] });
    assert.deepEqual(dates[1], { date: '2025-01', 'stop-and-search': [] });
  });

  it('answers area queries the same from the in-memory month index as from the store', async () => {
    const fromStore = await testApp(getStore(), { API_MEMORY_MONTHS: '0' });
    const poly = '51.99,-1.01:52.01,-1.01:52.01,-0.99:51.99,-0.99';
    for (const url of [
      `/api/crimes-street/all-crime?${point}&date=2025-02`,
      `/api/crimes-street/burglary?${point}&date=2025-02`,
      `/api/crimes-street/all-crime?${point}&date=2025-01`,
      `/api/crimes-street/all-crime?poly=${poly}&date=2025-02`,
      '/api/crimes-street/all-crime?lat=10&lng=10&date=2025-02',
    ]) {
      const sort = (list: Json[]) => list.sort((a, b) => a.id - b.id);
      const memory: Json[] = (await get(url)).json();
      assert.deepEqual(sort(memory), sort((await fromStore.inject({ url })).json()), url);
    }
  });
});
