import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pointInPolygon, type Point } from '../geo/geo.ts';
import { describeEachStore, storeFactories } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { DEMO_DEFAULTS, DemoOptionError, buildDemo, resolveDemoOptions, type DemoSummary } from './demo.service.ts';
import { DEMO_AREAS } from './geography.ts';
import { DEMO_POSTCODES } from './postcodes.ts';

const END = DEMO_DEFAULTS.endMonth;
const MONTHS = DEMO_DEFAULTS.months;

async function boundaries(store: Store): Promise<{ id: string; ring: Point[] }[]> {
  const rows = await store.db.selectFrom('neighbourhoods').select(['id', 'boundary']).where('force_id', '=', 'demo').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    ring: (JSON.parse(r.boundary) as [number, number][]).map(([latitude, longitude]) => ({ latitude, longitude })),
  }));
}

/** Everything a build writes that must come out the same, in insertion order. */
async function content(store: Store) {
  const crimes = await store.db
    .selectFrom('crimes as c')
    .leftJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.month', 'c.category', 'c.persistent_id', 'c.last_outcome', 'c.outcome_code', 'c.outcome_month', 'c.lsoa_code', 'l.latitude', 'l.longitude', 'l.street_name'])
    .where('c.force_id', '=', 'demo')
    .orderBy('c.id')
    .execute();
  const outcomes = await store.db.selectFrom('outcomes').select(['month', 'persistent_id', 'outcome_code']).where('force_id', '=', 'demo').orderBy('id').execute();
  const stops = await store.db.selectFrom('stops').selectAll().where('force_id', '=', 'demo').orderBy('id').execute();
  const neighbourhoods = await store.db.selectFrom('neighbourhoods').selectAll().where('force_id', '=', 'demo').orderBy('id').execute();
  const events = await store.db.selectFrom('neighbourhood_events').selectAll().where('force_id', '=', 'demo').orderBy('neighbourhood_id').orderBy('position').execute();
  return { crimes, outcomes, stops: stops.map(({ id: _id, location_id: _l, ...rest }) => rest), neighbourhoods, events };
}

async function counts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['crimes', 'outcomes', 'stops', 'publications', 'neighbourhoods', 'neighbourhood_people', 'neighbourhood_events', 'neighbourhood_priorities', 'force_people', 'locations', 'forces'] as const) {
    const row = await store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

describe('demo options', () => {
  it('fills in fixed defaults, not today', () => {
    assert.deepEqual(resolveDemoOptions(), { endMonth: '2026-09', months: 24, seed: 1 });
  });

  it('rejects what it cannot build with a message naming the problem', () => {
    assert.throws(() => resolveDemoOptions({ endMonth: '2026-13' }), DemoOptionError);
    assert.throws(() => resolveDemoOptions({ endMonth: '26-01' }), /YYYY-MM/);
    assert.throws(() => resolveDemoOptions({ months: 0 }), /months/);
    assert.throws(() => resolveDemoOptions({ months: 2.5 }), /whole number/);
    assert.throws(() => resolveDemoOptions({ seed: -1 }), /seed/);
  });
});

describe('demo postcodes', () => {
  it('are well formed, unique and in the fictional DM area', () => {
    assert.ok(DEMO_POSTCODES.length >= 80);
    for (const p of DEMO_POSTCODES) assert.match(p.postcode, /^DM\d{1,2} \d[ABD-HJLNP-UW-Z]{2}$/);
    assert.equal(new Set(DEMO_POSTCODES.map((p) => p.postcode)).size, DEMO_POSTCODES.length);
  });

  it('lie inside the neighbourhood they are listed for, and every neighbourhood has some', () => {
    for (const area of DEMO_AREAS) {
      const mine = DEMO_POSTCODES.filter((p) => p.neighbourhoodId === area.id);
      assert.ok(mine.length >= 5, area.id);
      for (const p of mine) assert.ok(pointInPolygon(p, area.boundary), `${p.postcode} in ${area.id}`);
    }
  });
});

describeEachStore('demo data set', (getStore) => {
  let summary: DemoSummary;
  before(async () => {
    summary = await buildDemo(getStore());
  });

  it('summarises what it built', () => {
    assert.equal(summary.neighbourhoods, 12);
    assert.equal(summary.firstMonth, '2024-10');
    assert.equal(summary.lastMonth, END);
    assert.ok(summary.crimes > MONTHS * 1500 && summary.crimes < MONTHS * 3000, `${summary.crimes} crimes`);
  });

  it('publishes every month of street, outcomes and stop-and-search as the demo force', async () => {
    const db = getStore().db;
    const rows = await db.selectFrom('publications').select(['kind', sql<number>`count(*)`.as('n'), sql<string>`min(month)`.as('first'), sql<string>`max(month)`.as('last')])
      .where('force_id', '=', 'demo').groupBy('kind').orderBy('kind').execute();
    assert.deepEqual(rows.map((r) => [r.kind, Number(r.n), r.first, r.last]), [
      ['outcomes', MONTHS, '2024-10', END],
      ['stop-and-search', MONTHS, '2024-10', END],
      ['street', MONTHS, '2024-10', END],
    ]);
    const force = await db.selectFrom('forces').selectAll().where('id', '=', 'demo').executeTakeFirstOrThrow();
    assert.equal(force.is_demo, 1);
    assert.match(force.description ?? '', /fictional/);
    assert.ok(JSON.parse(force.engagement_methods).length > 0);
  });

  it('draws closed neighbourhood boundaries that do not overlap', async () => {
    const areas = await boundaries(getStore());
    assert.ok(areas.length >= 8 && areas.length <= 12);
    for (const { id, ring } of areas) {
      assert.ok(ring.length >= 4, id);
      assert.deepEqual(ring[0], ring.at(-1), `${id} ring is closed`);
    }
    const all = areas.flatMap((a) => a.ring);
    const [minLat, maxLat] = [Math.min(...all.map((p) => p.latitude)), Math.max(...all.map((p) => p.latitude))];
    const [minLng, maxLng] = [Math.min(...all.map((p) => p.longitude)), Math.max(...all.map((p) => p.longitude))];
    let covered = 0;
    const steps = 60;
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) {
        // Offsets off the grid keep samples off vertices, where even-odd counting is ambiguous.
        const p = { latitude: minLat + ((maxLat - minLat) * (i + 0.37)) / (steps + 1), longitude: minLng + ((maxLng - minLng) * (j + 0.61)) / (steps + 1) };
        const inside = areas.filter((a) => pointInPolygon(p, a.ring)).length;
        assert.ok(inside <= 1, `${p.latitude},${p.longitude} is in ${inside} neighbourhoods`);
        covered += inside;
      }
    }
    // Contiguous: the neighbourhoods tile most of their bounding box, with no holes between them.
    assert.ok(covered / (steps + 1) ** 2 > 0.85, `covered ${covered}`);
  });

  it('gives every neighbourhood a team, a station, priorities and upcoming events', async () => {
    const db = getStore().db;
    const neighbourhoods = await db.selectFrom('neighbourhoods').selectAll().where('force_id', '=', 'demo').execute();
    for (const n of neighbourhoods) {
      const locations = JSON.parse(n.locations) as { type: string; postcode: string | null }[];
      assert.ok(locations.some((l) => l.type === 'station' && l.postcode), n.id);
      assert.ok(n.description && JSON.parse(n.contact_details).email, n.id);
      assert.ok(pointInPolygon({ latitude: n.centre_latitude!, longitude: n.centre_longitude! }, (JSON.parse(n.boundary) as [number, number][]).map(([latitude, longitude]) => ({ latitude, longitude }))), `${n.id} centre inside`);
    }
    const per = async (table: 'neighbourhood_people' | 'neighbourhood_priorities') =>
      db.selectFrom(table).select(['neighbourhood_id', sql<number>`count(*)`.as('n')]).where('force_id', '=', 'demo').groupBy('neighbourhood_id').execute();
    assert.equal((await per('neighbourhood_people')).length, neighbourhoods.length);
    assert.equal((await per('neighbourhood_priorities')).length, neighbourhoods.length);
    const events = await db.selectFrom('neighbourhood_events').select(['start_date']).where('force_id', '=', 'demo').execute();
    assert.ok(events.some((e) => e.start_date < END), 'past events');
    assert.ok(events.some((e) => e.start_date > `${END}-31` && e.start_date < '2027'), 'events just after the data');
    assert.ok(events.filter((e) => e.start_date >= '2027').length >= neighbourhoods.length, 'events years ahead');
  });

  it('places every crime inside a neighbourhood, on shared snap points', async () => {
    const db = getStore().db;
    const areas = await boundaries(getStore());
    const points = await db.selectFrom('crimes as c').innerJoin('locations as l', 'l.id', 'c.location_id')
      .select(['l.id', 'l.latitude', 'l.longitude', sql<number>`count(*)`.as('n')]).where('c.force_id', '=', 'demo')
      .groupBy(['l.id', 'l.latitude', 'l.longitude']).execute();
    assert.ok(points.length >= 200, `${points.length} snap points`);
    for (const p of points) assert.equal(areas.filter((a) => pointInPolygon(p, a.ring)).length, 1, `location ${p.id}`);
    const total = points.reduce((s, p) => s + Number(p.n), 0);
    assert.ok(total / points.length > 2, 'crimes per location');
    const busiest = await db.selectFrom('crimes').select(['month', 'location_id', sql<number>`count(*)`.as('n')])
      .where('force_id', '=', 'demo').where('location_id', 'is not', null).groupBy(['month', 'location_id']).orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
    assert.ok(Number(busiest.n) >= 20, `busiest point holds ${busiest.n} crimes in a month`);
  });

  it('publishes a small share of crimes without a location', async () => {
    const db = getStore().db;
    const row = await db.selectFrom('crimes').select([sql<number>`count(*)`.as('all'), sql<number>`sum(case when location_id is null then 1 else 0 end)`.as('unplaced')])
      .where('force_id', '=', 'demo').executeTakeFirstOrThrow();
    const share = Number(row.unplaced) / Number(row.all);
    assert.ok(share > 0.005 && share < 0.1, `unplaced share ${share}`);
  });

  it('gives anti-social behaviour no crime id or outcome, and other crimes unique 64-hex ids', async () => {
    const crimes = await getStore().db.selectFrom('crimes').select(['category', 'persistent_id', 'last_outcome', 'outcome_code']).where('force_id', '=', 'demo').execute();
    const ids = new Set<string>();
    for (const c of crimes) {
      if (c.category === 'anti-social-behaviour') {
        assert.deepEqual([c.persistent_id, c.last_outcome, c.outcome_code], ['', '', null]);
      } else {
        assert.match(c.persistent_id, /^[0-9a-f]{64}$/);
        assert.notEqual(c.last_outcome, '');
        ids.add(c.persistent_id);
      }
    }
    assert.equal(ids.size, crimes.filter((c) => c.category !== 'anti-social-behaviour').length);
  });

  it('records outcome histories of one to three steps, in later months for older crimes', async () => {
    const db = getStore().db;
    const steps = await db.selectFrom('outcomes').select(['persistent_id', sql<number>`count(*)`.as('n')]).where('force_id', '=', 'demo').groupBy('persistent_id').execute();
    const byLength = new Map<number, number>();
    for (const s of steps) byLength.set(Number(s.n), (byLength.get(Number(s.n)) ?? 0) + 1);
    assert.ok((byLength.get(2) ?? 0) > 1000 && (byLength.get(3) ?? 0) > 100, JSON.stringify([...byLength]));
    assert.ok(Math.max(...byLength.keys()) <= 3);
    const late = await db.selectFrom('outcomes as o').innerJoin('crimes as c', 'c.persistent_id', 'o.persistent_id')
      .select([sql<number>`sum(case when o.month < c.month then 1 else 0 end)`.as('early'), sql<number>`sum(case when o.month > c.month then 1 else 0 end)`.as('later')])
      .where('o.force_id', '=', 'demo').executeTakeFirstOrThrow();
    assert.equal(Number(late.early), 0);
    assert.ok(Number(late.later) > 1000);
    // The crime side spells penalty notices without the "a"; outcomeCode maps both spellings to one code.
    const penalty = await db.selectFrom('crimes').select('last_outcome').distinct().where('outcome_code', '=', 'penalty-notice-issued').execute();
    assert.deepEqual(penalty.map((p) => p.last_outcome), ['Offender given penalty notice']);
    const mismatched = await db.selectFrom('crimes').select(sql<number>`count(*)`.as('n'))
      .where('force_id', '=', 'demo').where('persistent_id', '<>', '').where('outcome_code', 'is', null).executeTakeFirstOrThrow();
    assert.equal(Number(mismatched.n), 0, 'every crime with an id has an outcome status');
  });

  it('has a realistic category mix, led by violence and anti-social behaviour', async () => {
    const db = getStore().db;
    const rows = await db.selectFrom('crimes').select(['category', sql<number>`count(*)`.as('n')]).where('force_id', '=', 'demo').groupBy('category').execute();
    const ranked = rows.map((r) => [r.category, Number(r.n)] as const).sort((a, b) => b[1] - a[1]);
    assert.equal(ranked.length, 14);
    assert.deepEqual(new Set(ranked.slice(0, 2).map(([c]) => c)), new Set(['violent-crime', 'anti-social-behaviour']));
    const total = ranked.reduce((s, [, n]) => s + n, 0);
    const share = (c: string) => (ranked.find(([k]) => k === c)?.[1] ?? 0) / total;
    assert.ok(share('shoplifting') > 0.04 && share('criminal-damage-arson') > 0.04);
    assert.ok(share('robbery') < 0.03 && share('possession-of-weapons') < 0.03);
    const months = await db.selectFrom('crimes').select(['month', sql<number>`count(*)`.as('n')]).where('force_id', '=', 'demo').groupBy('month').execute();
    for (const m of months) assert.ok(Number(m.n) >= 1500 && Number(m.n) <= 3000, `${m.month}: ${m.n}`);
  });

  it('publishes 50 to 150 stops and searches a month, some unplaced', async () => {
    const db = getStore().db;
    const months = await db.selectFrom('stops').select(['month', sql<number>`count(*)`.as('n'), sql<number>`sum(case when location_id is null then 1 else 0 end)`.as('unplaced')])
      .where('force_id', '=', 'demo').groupBy('month').execute();
    assert.equal(months.length, MONTHS);
    for (const m of months) assert.ok(Number(m.n) >= 50 && Number(m.n) <= 150, `${m.month}: ${m.n}`);
    assert.ok(months.reduce((s, m) => s + Number(m.unplaced), 0) > 0);
    const unnamed = await db.selectFrom('stops as s').innerJoin('locations as l', 'l.id', 's.location_id').select('l.street_name').where('s.force_id', '=', 'demo')
      .where('l.street_name', 'not like', 'On or near %').limit(1).execute();
    assert.deepEqual(unnamed, []);
  });

  it('builds exactly the same data every time', async () => {
    const factory = storeFactories().find((f) => f.name === getStore().kind)!;
    const other = await factory.open();
    try {
      await buildDemo(other.store);
      assert.deepEqual(await content(other.store), await content(getStore()));
    } finally {
      await other.dispose();
    }
  });

  it('replaces rather than duplicates when run again', async () => {
    const before = await counts(getStore());
    await buildDemo(getStore());
    assert.deepEqual(await counts(getStore()), before);
  });

  it('removes months outside a new, shorter period', async () => {
    await buildDemo(getStore(), { months: 2 });
    const months = await getStore().db.selectFrom('publications').select('month').distinct().where('force_id', '=', 'demo').orderBy('month').execute();
    assert.deepEqual(months.map((m) => m.month), ['2026-08', END]);
    const stale = await getStore().db.selectFrom('crimes').select('id').where('force_id', '=', 'demo').where('month', '<', '2026-08').limit(1).execute();
    assert.deepEqual(stale, []);
  });
});
