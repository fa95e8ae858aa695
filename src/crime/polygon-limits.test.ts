/**
 * What the area routes refuse before doing any geometry: a polygon of more than
 * MAX_POLYGON_VERTICES corners, a body larger than such a polygon needs, and
 * coordinates that are not finite numbers on the globe.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { AREA_BODY_LIMIT_BYTES } from '../api/area.ts';
import { MAX_POLYGON_VERTICES } from '../geo/geo.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { CENTRE, ID, loadFixture, testApp } from './api-fixture.test-helper.ts';

const AREA_ROUTES = ['/api/crimes-street/all-crime', '/api/outcomes-at-location', '/api/stops-street'];

/** A circle of `corners` corners and 0.01° radius around the fixture's centre, as `poly`. */
function circlePoly(corners: number, decimals = 6): string {
  return Array.from({ length: corners }, (_, i) => {
    const t = (2 * Math.PI * i) / corners;
    return `${(CENTRE.lat + 0.01 * Math.sin(t)).toFixed(decimals)},${(CENTRE.lng + 0.01 * Math.cos(t)).toFixed(decimals)}`;
  }).join(':');
}

describeEachStore('area routes: polygon and coordinate limits', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await loadFixture(getStore());
    app = await testApp(getStore());
  });
  const post = (url: string, payload: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload });

  it('refuses a polygon of more corners than the cap with 400 and an empty body, before any geometry', async (t) => {
    // The probe's polygon: 55,000 corners in 990 KB, under Fastify's default 1 MiB body
    // limit, is now over the area routes' limit; 30,000 short corners are under it.
    const cases = [
      { body: `poly=${circlePoly(55_000, 5)}&date=2025-02`, code: 'SC_ERR_BAD_BODY' },
      { body: `poly=${circlePoly(30_000, 3)}&date=2025-02`, code: 'SC_ERR_POLY_TOO_MANY_POINTS' },
      { body: `poly=${circlePoly(MAX_POLYGON_VERTICES + 1)}&date=2025-02`, code: 'SC_ERR_POLY_TOO_MANY_POINTS' },
    ];
    for (const { body, code } of cases) {
      for (const url of AREA_ROUTES) {
        const started = performance.now();
        const res = await post(url, body);
        t.diagnostic(`${url}: ${Math.round(body.length / 1024)} KB refused (${code}) in ${(performance.now() - started).toFixed(0)} ms`);
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.headers['x-error-code'], code, url);
        assert.equal(res.body, '');
      }
    }
  });

  it('answers a polygon at the cap as it answers the same area with few corners', async (t) => {
    const few: { persistent_id: string }[] = (await post(AREA_ROUTES[0]!, `poly=${circlePoly(24)}&date=2025-02`)).json();
    const body = `poly=${encodeURIComponent(circlePoly(MAX_POLYGON_VERTICES))}&date=2025-02`;
    assert.ok(body.length <= AREA_BODY_LIMIT_BYTES, 'an encoded polygon at the cap fits the body limit');
    for (const url of AREA_ROUTES) {
      const started = performance.now();
      const res = await post(url, body);
      t.diagnostic(`${url}: ${MAX_POLYGON_VERTICES} corners answered in ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(res.statusCode, 200, `${url}: ${String(res.headers['x-error-message'])}`);
    }
    const many: { persistent_id: string }[] = (await post(AREA_ROUTES[0]!, body)).json();
    assert.deepEqual(many.map((c) => c.persistent_id).sort(), few.map((c) => c.persistent_id).sort());
    assert.ok(many.some((c) => c.persistent_id === ID.burglary));
  });

  it('refuses a body larger than a polygon at the cap needs', async () => {
    const padded = `poly=${circlePoly(4)}&date=2025-02&padding=${'x'.repeat(AREA_BODY_LIMIT_BYTES)}`;
    for (const url of AREA_ROUTES) {
      const res = await post(url, padded);
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.headers['x-error-code'], 'SC_ERR_BAD_BODY', url);
      assert.equal(res.body, '');
    }
  });

  it('refuses coordinates that are not finite or not on the globe as other bad input', async () => {
    const digits = '1'.repeat(400);
    for (const [lat, lng] of [[digits, '-1'], ['52', digits], [`-${digits}`, '-1'], ['90.0001', '-1'], ['52', '-180.5'], ['1e3', '-1']] as const) {
      for (const url of ['/api/crimes-street/all-crime', '/api/crimes-at-location', '/api/outcomes-at-location', '/api/stops-street']) {
        const res = await app.inject(`${url}?lat=${lat}&lng=${lng}&date=2025-02`);
        assert.equal(res.statusCode, 400, `${url} lat=${lat.slice(0, 10)} lng=${lng.slice(0, 10)}`);
        assert.equal(res.headers['x-error-code'], 'SC_ERR_BAD_LOCATION');
      }
    }
    for (const poly of [`${digits},-1:52,-1.01:52.01,-1`, '52,-1:52,-1.01:95,-1', '52,-1:52,-181:52.01,-1']) {
      const res = await app.inject(`/api/crimes-street/all-crime?poly=${poly}&date=2025-02`);
      assert.equal(res.statusCode, 404, poly.slice(0, 20));
      assert.equal(res.headers['x-error-code'], 'SC_ERR_BAD_POLY');
    }
    // The edges of the globe are still points.
    assert.equal((await app.inject('/api/crimes-street/all-crime?lat=-90&lng=180&date=2025-02')).statusCode, 200);
    assert.equal((await app.inject('/api/crimes-street/all-crime?lat=90.000&lng=-180&date=2025-02')).statusCode, 200);
  });
});
