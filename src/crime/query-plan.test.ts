/**
 * The area query must never scan: one wrong plan costs a thousand times more
 * (architecture-anchors Part 2d). These tests read SQLite's plan for the two
 * steps of a one-mile query and fail if either stops using its index.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseArea } from '../api/area.ts';
import { inIntegers } from '../store/sql-helpers.ts';
import { openStore, type SqliteStore } from '../store/store.ts';

async function plan(store: SqliteStore, compiled: { sql: string; parameters: readonly unknown[] }): Promise<string> {
  const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.parameters) as { detail: string }[];
  return rows.map((r) => r.detail).join(' | ');
}

it('finds snap points in an area through the covering (latitude, longitude, name) index', async () => {
  const store = (await openStore('sqlite::memory:')) as SqliteStore;
  const area = parseArea({ lat: '52.6', lng: '-1.1' });
  const query = store.db
    .selectFrom('locations')
    .select(['id', 'latitude', 'longitude', 'street_name'])
    .where('latitude', '>=', area.box.minLat)
    .where('latitude', '<=', area.box.maxLat)
    .where('longitude', '>=', area.box.minLng)
    .where('longitude', '<=', area.box.maxLng);
  assert.match(await plan(store, query.compile()), /SEARCH locations USING COVERING INDEX sqlite_autoindex_locations_1 \(latitude>\? AND latitude<\?\)/);
  await store.close();
});

it('finds a month of crimes at those points through the (month, location) index', async () => {
  const store = (await openStore('sqlite::memory:')) as SqliteStore;
  const query = store.db
    .selectFrom('crimes as c')
    .select(['c.id', 'c.category'])
    .where('c.month', '=', '2025-01')
    .where(inIntegers(store, 'c.location_id', [1, 2, 3]));
  const detail = await plan(store, query.compile());
  assert.match(detail, /SEARCH c USING INDEX crimes_month_location \(month=\? AND location_id=\?\)/);
  assert.doesNotMatch(detail, /SCAN c\b/);
  await store.close();
});
