/**
 * A published client of data.police.uk, the npm package ukpd, pointed at our
 * server. ukpd hard-codes upstream's address, so the test swaps the fetch it
 * loads for one that sends the same request to us: a base-URL substitution,
 * nothing else about the client changes.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CENTRE, loadFixture, testApp } from '../crime/api-fixture.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';

const UPSTREAM = 'https://data.police.uk/api';

interface Ukpd {
  availability(): Promise<{ date: string; 'stop-and-search': string[] }[]>;
  categories(): Promise<{ url: string; name: string }[]>;
  forces(force?: string): Promise<unknown>;
  lastUpdated(): Promise<{ date: string }>;
  stopAndSearch(lat: number, lng: number, date?: string): Promise<Record<string, unknown>[]>;
  streetLevel(lat: number, lng: number, date?: string): Promise<Record<string, unknown>[]>;
}

function loadUkpdAgainst(getBase: () => string): Ukpd {
  const require = createRequire(import.meta.url);
  const fetchPath = require.resolve('isomorphic-fetch', { paths: [dirname(require.resolve('ukpd'))] });
  require(fetchPath);
  const cached = require.cache[fetchPath];
  if (!cached) throw new Error('isomorphic-fetch did not load');
  cached.exports = (url: string, init?: RequestInit) => fetch(url.replace(UPSTREAM, getBase()), init);
  return require('ukpd') as Ukpd;
}

// ukpd keeps the fetch it loaded first, so one substitution serves every suite.
let base = '';
const ukpd = loadUkpdAgainst(() => base);

describeEachStore('ukpd, a published data.police.uk client', (getStore) => {
  let app: FastifyInstance;

  before(async () => {
    await loadFixture(getStore());
    app = await testApp(getStore());
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    base = `${address}/api`;
  });
  after(() => app.close());

  it('reads street-level crime for a point and month', async () => {
    const crimes = await ukpd.streetLevel(CENTRE.lat, CENTRE.lng, '2025-02');
    assert.equal(crimes.length, 4);
    for (const crime of crimes) {
      assert.equal(typeof crime.category, 'string');
      assert.equal(typeof (crime.location as { latitude: unknown }).latitude, 'string');
      assert.equal(crime.month, '2025-02');
    }
  });

  it('reads stop and search for a point and month', async () => {
    const stops = await ukpd.stopAndSearch(CENTRE.lat, CENTRE.lng, '2025-02');
    assert.equal(stops.length, 1);
    assert.equal(stops[0]!.type, 'Person search');
  });

  it('reads availability, categories and the last update', async () => {
    const dates = await ukpd.availability();
    assert.equal(dates[0]!.date, '2025-02');
    assert.deepEqual(dates[0]!['stop-and-search'], ['testshire']);
    assert.equal((await ukpd.categories()).length, 15);
    assert.deepEqual(await ukpd.lastUpdated(), { date: '2025-02-01' });
  });

  it('fails as upstream does when it sends date=undefined', async () => {
    // ukpd writes `&date=undefined` when no date is given; upstream answers a
    // malformed date with 404 and an empty body, and so do we.
    await assert.rejects(ukpd.streetLevel(CENTRE.lat, CENTRE.lng));
  });
});
