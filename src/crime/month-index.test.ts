import assert from 'node:assert/strict';
import { it } from 'node:test';
import { openStore } from '../store/store.ts';
import { MonthIndexCache } from './month-index.ts';

it('keeps the most recently used months and forgets all when the data version changes', async () => {
  const store = await openStore('sqlite::memory:');
  const cache = new MonthIndexCache(store, 2);
  const a = await cache.get('2025-01', 'v1');
  assert.equal(await cache.get('2025-01', 'v1'), a, 'a cached month is reused');
  await cache.get('2025-02', 'v1');
  await cache.get('2025-01', 'v1'); // 2025-01 is now the most recent
  await cache.get('2025-03', 'v1'); // evicts 2025-02, the least recent
  assert.equal(await cache.get('2025-01', 'v1'), a);
  assert.notEqual(await cache.get('2025-01', 'v2'), a, 'a new data version reloads');
  await store.close();
});
