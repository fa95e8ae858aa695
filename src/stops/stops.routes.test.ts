import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CENTRE, loadFixture, testApp } from '../crime/api-fixture.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';

// Bodies are asserted field by field against data.police.uk's documented shapes: the test is the type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

describeEachStore('compatible stop and search API', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await loadFixture(getStore());
    app = await testApp(getStore());
  });
  const get = async (url: string): Promise<Json[]> => {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    return res.json();
  };

  it('places stops from Latitude-first CSVs and shapes them like upstream', async () => {
    const stops = await get(`/api/stops-street?lat=${CENTRE.lat}&lng=${CENTRE.lng}&date=2025-02`);
    assert.equal(stops.length, 1);
    const s = stops[0]!;
    assert.equal(s.location.latitude, '52.000000');
    assert.equal(s.location.longitude, '-1.000000');
    // The point is shared with a crime's snap point, so it carries that street.
    assert.equal(s.location.street.name, 'On or near High Street');
    assert.equal(s.type, 'Person search');
    assert.equal(s.involved_person, true);
    assert.equal(s.datetime, '2025-02-03T10:25:00+00:00');
    assert.equal(s.operation, false);
    assert.equal(s.operation_name, null);
    assert.equal(s.outcome_linked_to_object_of_search, false);
    assert.equal(s.removal_of_more_than_outer_clothing, false);
    assert.deepEqual(s.outcome_object, { id: 'bu-no-further-action', name: 'A no further action disposal' });
  });

  it('lists a force month with unplaced stops, and the unplaced alone', async () => {
    const all = await get('/api/stops-force?force=testshire&date=2025-02');
    assert.equal(all.length, 2);
    const unplaced = await get('/api/stops-no-location?force=testshire&date=2025-02');
    assert.equal(unplaced.length, 1);
    assert.equal(unplaced[0]!.location, null);
    assert.equal(unplaced[0]!.involved_person, false);
    assert.equal(unplaced[0]!.gender, null);
    assert.equal(unplaced[0]!.removal_of_more_than_outer_clothing, null);
    assert.deepEqual(unplaced[0]!.outcome_object, { id: 'bu-arrest', name: 'Arrest' });
  });

  it('answers [] where crimes would be an error: unknown location or force', async () => {
    assert.deepEqual(await get('/api/stops-at-location?location_id=99999999&date=2025-02'), []);
    assert.deepEqual(await get('/api/stops-force?force=nowhere&date=2025-02'), []);
  });
});
