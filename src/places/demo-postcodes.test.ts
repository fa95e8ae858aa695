import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { sql } from 'kysely';
import { buildDemo } from '../demo/demo.service.ts';
import { DEMO_POSTCODES } from '../demo/postcodes.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { findPlace } from './places.service.ts';

describeEachStore('demo postcodes', (getStore) => {
  before(async () => {
    // One month is enough: postcodes and neighbourhoods do not depend on the crime months.
    await buildDemo(getStore(), { months: 1 });
  });

  it('every demo postcode finds its demo neighbourhood after buildDemo', async () => {
    for (const p of DEMO_POSTCODES) {
      const result = await findPlace(getStore(), p.postcode.toLowerCase().replace(' ', ''));
      assert.equal(result.kind, 'neighbourhood', p.postcode);
      assert.deepEqual(result.kind === 'neighbourhood' && [result.forceId, result.neighbourhoodId, result.postcode], ['demo', p.neighbourhoodId, p.postcode]);
    }
  });

  it('a demo district goes to its neighbourhood', async () => {
    const result = await findPlace(getStore(), 'dm1');
    assert.deepEqual(result.kind === 'neighbourhood' && [result.forceId, result.neighbourhoodId], ['demo', 'brackenford-town-centre']);
  });

  it('rebuilding the demo replaces its postcodes rather than adding to them', async () => {
    await getStore().db.insertInto('postcodes').values({ postcode: 'DM99 9ZZ', outward: 'DM99', latitude: 52.5, longitude: 0.7, local_authority_code: null, source: 'demo' }).execute();
    await buildDemo(getStore(), { months: 1 });
    const row = await getStore().db.selectFrom('postcodes').select(sql<number>`count(*)`.as('n')).where('source', '=', 'demo').executeTakeFirstOrThrow();
    assert.equal(Number(row.n), DEMO_POSTCODES.length);
  });
});
