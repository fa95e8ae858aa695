import assert from 'node:assert/strict';
import { it } from 'node:test';
import KDBush from 'kdbush';
import type { CrimeRow } from '../crime/crime.repository.ts';
import type { MonthIndex } from '../crime/month-index.ts';
import { buildClusterIndex, CATEGORY_SLUGS, ClusterIndexCache, UNCLUSTERED_FROM_ZOOM } from './cluster-index.ts';

/** A month of crimes at many close points, so clusters merge again and again as the zoom falls. */
function syntheticMonth(points: number): MonthIndex {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 0x100000000);
  const index: MonthIndex = { month: '2025-02', points: [], crimes: [], tree: new KDBush(points) };
  for (let i = 0; i < points; i++) {
    const point = { id: i + 1, latitude: 52 + random() * 0.5, longitude: -1.5 + random() * 0.8, street_name: `On or near Street ${i}` };
    index.points.push(point);
    index.tree.add(point.longitude, point.latitude);
    index.crimes.push(
      Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k): CrimeRow => ({
        id: i * 10 + k,
        category: CATEGORY_SLUGS[Math.floor(random() * 14)]!,
        persistent_id: '',
        location_id: point.id,
        location_type: 'Force',
        location_subtype: '',
        context: '',
        month: '2025-02',
        last_outcome: '',
        outcome_code: null,
        outcome_month: null,
      })),
    );
  }
  index.tree.finish();
  return index;
}

it('keeps every cluster\'s category counts equal to its crimes at every zoom', () => {
  const month = syntheticMonth(3000);
  const total = month.crimes.reduce((sum, list) => sum + list.length, 0);
  const built = buildClusterIndex(month, null);
  assert.equal(built.crimes, total);
  for (let zoom = 0; zoom <= UNCLUSTERED_FROM_ZOOM; zoom++) {
    let crimes = 0;
    for (const feature of built.clusters.getClusters([-180, -85, 180, 85], zoom)) {
      if (!('cluster' in feature.properties)) {
        crimes += feature.properties.n;
        continue;
      }
      const { n, c } = feature.properties;
      // Adding in place must never reach a member's array: each cluster's slots add up to its crimes.
      assert.equal(c.reduce((a, b) => a + b, 0), n, `zoom ${zoom}`);
      crimes += n;
    }
    assert.equal(crimes, total, `zoom ${zoom}`);
  }
});

it('builds a category on its own and shares one build between concurrent requests', async () => {
  const month = syntheticMonth(500);
  const burglaries = month.crimes.flat().filter((c) => c.category === 'burglary').length;
  const cache = new ClusterIndexCache(2);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return month;
  };
  const [a, b] = await Promise.all([cache.get('v1', '2025-02', 'burglary', load), cache.get('v1', '2025-02', 'burglary', load)]);
  assert.equal(a, b);
  assert.equal(loads, 1);
  assert.equal(a.crimes, burglaries);
  // A new data version drops what was built.
  await cache.get('v2', '2025-02', 'burglary', load);
  assert.equal(loads, 2);
});
