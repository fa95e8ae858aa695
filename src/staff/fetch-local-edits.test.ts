/**
 * `fetch` must not silently overwrite what staff edited here: a neighbourhood
 * marked as edited locally is neither fetched over nor removed, and the summary
 * says so, while the force's other neighbourhoods are refreshed as before.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { fetchFromApi, formatSummary } from '../fetch/fetch.service.ts';
import { seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import { openStore, type Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { insertPriority } from './items.repository.ts';
import { insertNeighbourhood, markEditedLocally } from './staff.repository.ts';

describeEachStore('fetch leaves neighbourhoods edited here alone', (getStore) => {
  let sourceStore: Store;
  let source: FastifyInstance;
  let api: string;
  before(async () => {
    sourceStore = await openStore('sqlite::memory:');
    await seedFixtures(sourceStore.db);
    source = await buildApp(sourceStore, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
    api = `${await source.listen({ port: 0, host: '127.0.0.1' })}/api`;
    await seedFixtures(getStore().db);
  });
  after(async () => {
    await source?.close();
    await sourceStore?.close();
  });

  it('skips edited and locally created neighbourhoods and refreshes the rest', async () => {
    const db = getStore().db;
    const now = new Date('2026-05-01T10:00:00Z');
    await db.transaction().execute(async (trx) => {
      await insertPriority(trx, 'hampshire', 'SO1', { issue: '<p>Ours</p>', issue_date: null, action: null, action_date: null });
      await markEditedLocally(trx, 'hampshire', 'SO1', now);
      await insertNeighbourhood(trx, 'hampshire', 'local-1', { name: 'Made here', description: null, boundary: [] }, now);
    });
    // Changed behind staff tools' back, so not marked: fetch puts it back as upstream has it.
    await db.updateTable('neighbourhoods').set({ name: 'Changed' }).where('force_id', '=', 'hampshire').where('id', '=', 'SO2').execute();

    const summary = await fetchFromApi(db, { api, forces: ['hampshire'], rate: 1000 });
    assert.deepEqual([...summary.keptLocal].sort(), ['hampshire/SO1', 'hampshire/local-1']);
    assert.deepEqual(summary.failures, []);
    assert.match(formatSummary(summary, 1000), /Left 2 neighbourhoods edited here by staff as they are\./);

    const priorities = await db.selectFrom('neighbourhood_priorities').select('issue').where('force_id', '=', 'hampshire').where('neighbourhood_id', '=', 'SO1').orderBy('position').execute();
    assert.deepEqual(priorities.map((p) => p.issue).at(-1), '<p>Ours</p>', 'the local edit survived');
    const names = await db.selectFrom('neighbourhoods').select(['id', 'name']).where('force_id', '=', 'hampshire').execute();
    assert.deepEqual(Object.fromEntries(names.map((n) => [n.id, n.name])), { EMPTY: 'Nothing known', SO1: 'Bitterne &amp; Harefield', SO2: 'Woolston', 'local-1': 'Made here' });
  });
});
