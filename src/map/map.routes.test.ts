import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadFixture, testApp } from '../crime/api-fixture.test-helper.ts';
import { OUTCOME_CATEGORIES } from '../crime/categories.ts';
import { importSources } from '../import/import.service.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { hasOutcomeExplanation, NO_OUTCOMES_FOR_ASB } from './outcome-words.ts';

/** Covers every placed crime of the fixture (52.0–52.02 N around 1° W). */
const ALL = 'bbox=-1.05,51.99,-0.95,52.03';
/** Only Mill Lane (52.005, -1.000), at street zoom. */
const MILL_LANE = 'bbox=-1.0005,52.0045,-0.9995,52.0055';

interface Feature {
  geometry: { coordinates: [number, number] };
  properties: { kind: 'cluster' | 'location'; crimes: number; byCategory: Record<string, number>; clusterId?: number; expansionZoom?: number; locationId?: number; street?: string };
}
interface Collection {
  type: string;
  features: Feature[];
  meta: { month: string; clustered: boolean; crimesInView: number };
}

/** A second force that published 2025-02 only, far from the fixture's crimes: the months endpoint's gap. */
async function loadOthershire(store: Store): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'safe-map-'));
  const csv = [
    'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
    `${'9'.repeat(64)},2025-02,Othershire Police,Othershire Police,-2.000000,53.500000,On or near Moor Lane,E01000009,Otherton 001A,Robbery,Under investigation,`,
  ].join('\n');
  try {
    await writeFile(join(dir, '2025-02-othershire-street.csv'), csv);
    await importSources(store, [dir]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Outcome {
  code: string;
  month: string;
  name: string;
  explanation: string;
}
interface LocationAnswer {
  location: { street: string; approximate: boolean };
  caveat: string;
  month: string;
  crimes: { category: { slug: string; name: string }; outcomes: Outcome[]; latestOutcome: Outcome | null; latestOutcomeText: string; outcomesNote: string | null }[];
}
interface MonthsAnswer {
  latest: string;
  window: { from: string; to: string; months: number };
  months: { month: string; forcesMissing: string[] }[];
  gaps: { force: { id: string; name: string }; month: string; message: string }[];
}

const sum = (c: Collection) => c.features.reduce((s, f) => s + f.properties.crimes, 0);

describeEachStore('/map-data', (getStore) => {
  let app: FastifyInstance;
  const get = async <T>(url: string): Promise<T> => {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
    return res.json<T>();
  };
  const bad = async (url: string, status = 400) => {
    const res = await app.inject(url);
    assert.equal(res.statusCode, status, `${url}: ${res.body}`);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    return res.json<{ error: { code: string; message: string } }>().error;
  };

  before(async () => {
    await loadFixture(getStore());
    await loadOthershire(getStore());
    app = await testApp(getStore());
  });
  after(async () => app.close());

  it('clusters at city zoom, with crime counts that add up to every placed crime in view', async () => {
    const c = await get<Collection>(`/map-data/clusters?${ALL}&zoom=10`);
    assert.equal(c.type, 'FeatureCollection');
    assert.equal(c.meta.month, '2025-02');
    assert.equal(c.meta.clustered, true);
    assert.ok(c.features.some((f) => f.properties.kind === 'cluster'));
    // Five placed crimes in February; the vehicle crime without a location is not on the map.
    assert.equal(sum(c), 5);
    assert.equal(c.meta.crimesInView, 5);
    const byCategory: Record<string, number> = {};
    for (const f of c.features) for (const [k, n] of Object.entries(f.properties.byCategory)) byCategory[k] = (byCategory[k] ?? 0) + n;
    assert.deepEqual(byCategory, { burglary: 2, 'other-theft': 1, 'anti-social-behaviour': 1, 'public-order': 1 });
  });

  it('shows every snap point unclustered from zoom 15, with street and categories', async () => {
    const c = await get<Collection>(`/map-data/clusters?${ALL}&zoom=15.5`);
    assert.equal(c.meta.clustered, false);
    assert.ok(c.features.every((f) => f.properties.kind === 'location'));
    assert.equal(c.features.length, 4);
    assert.equal(sum(c), 5);
    const mill = c.features.find((f) => f.properties.street === 'On or near Mill Lane');
    assert.deepEqual(mill?.properties.byCategory, { 'other-theft': 1, 'anti-social-behaviour': 1 });
    assert.deepEqual(mill?.geometry.coordinates, [-1, 52.005]);
  });

  it('counts only the crimes placed in a small viewport', async () => {
    const c = await get<Collection>(`/map-data/clusters?${MILL_LANE}&zoom=17`);
    assert.equal(c.features.length, 1);
    assert.equal(sum(c), 2);
  });

  it('filters by category at every zoom, and reads other months', async () => {
    for (const zoom of [6, 10, 15]) {
      const c = await get<Collection>(`/map-data/clusters?${ALL}&zoom=${zoom}&category=burglary`);
      assert.equal(sum(c), 2, `zoom ${zoom}`);
      assert.ok(c.features.every((f) => Object.keys(f.properties.byCategory).join() === 'burglary'));
    }
    assert.equal(sum(await get<Collection>(`/map-data/clusters?${ALL}&zoom=10&category=all-crime`)), 5);
    const january = await get<Collection>(`/map-data/clusters?${ALL}&zoom=15&month=2025-01`);
    assert.deepEqual(january.features.map((f) => [f.properties.street, f.properties.crimes]), [['On or near High Street', 1]]);
  });

  it('gives a cluster expansion zoom in the response and on its own', async () => {
    const c = await get<Collection>(`/map-data/clusters?${ALL}&zoom=8`);
    const cluster = c.features.find((f) => f.properties.kind === 'cluster');
    assert.ok(cluster?.properties.clusterId !== undefined);
    assert.ok((cluster.properties.expansionZoom ?? 0) > 8);
    const alone = await get<{ expansionZoom: number }>(`/map-data/cluster-expansion?id=${cluster.properties.clusterId}`);
    assert.equal(alone.expansionZoom, cluster.properties.expansionZoom);
    const unknown = await bad('/map-data/cluster-expansion?id=123456789', 404);
    assert.equal(unknown.code, 'SC_ERR_MAP_UNKNOWN_CLUSTER');
  });

  it('refuses bad bbox, zoom, month and category with messages that say what to send', async () => {
    const cases: [string, RegExp][] = [
      ['/map-data/clusters?zoom=10', /bbox is required/],
      ['/map-data/clusters?bbox=1,2,3&zoom=10', /bbox must be minLng,minLat,maxLng,maxLat/],
      ['/map-data/clusters?bbox=-0.9,51.9,-1.1,52.1&zoom=10', /minLng \(-0.9\) must be less than maxLng/],
      ['/map-data/clusters?bbox=-1.1,-95,-0.9,52.1&zoom=10', /latitudes must be from -90 to 90/],
      [`/map-data/clusters?${ALL}`, /zoom is required/],
      [`/map-data/clusters?${ALL}&zoom=abc`, /zoom must be a number from 0 to 24/],
      [`/map-data/clusters?${ALL}&zoom=30`, /zoom must be from 0 to 24/],
      [`/map-data/clusters?${ALL}&zoom=10&month=2025-13`, /month must be YYYY-MM/],
      [`/map-data/clusters?${ALL}&zoom=10&month=2019-01`, /month 2019-01 is not served: the map covers 2022-03 to 2025-02/],
      [`/map-data/clusters?${ALL}&zoom=10&month=2025-03`, /not served/],
      [`/map-data/clusters?${ALL}&zoom=10&category=nope`, /category must be one of: all-crime, anti-social-behaviour/],
      [`/map-data/clusters?${ALL}&zoom=10&dte=2025-01`, /unknown parameter "dte".*takes bbox, zoom, month, category/],
      [`/map-data/clusters?${ALL}&zoom=10&zoom=11`, /zoom must be given once/],
      ['/map-data/clusters?bbox=-6,50,2,56&zoom=16', /pixels at zoom 16, more than 8192 on a side/],
    ];
    for (const [url, message] of cases) {
      const error = await bad(url);
      assert.equal(error.code, 'SC_ERR_BAD_MAP_QUERY', url);
      assert.match(error.message, message, url);
    }
  });

  it('lists every crime at a location with outcome histories in order, and says ASB has none', async () => {
    const points = await get<Collection>(`/map-data/clusters?${ALL}&zoom=15`);
    const idOf = (street: string) => points.features.find((f) => f.properties.street === street)?.properties.locationId;

    const high = await get<LocationAnswer>(`/map-data/location/${idOf('On or near High Street')}`);
    assert.equal(high.location.street, 'On or near High Street');
    assert.equal(high.location.approximate, true);
    assert.match(high.caveat, /not at the point on the map or at any particular address/);
    assert.equal(high.month, '2025-02');
    assert.equal(high.crimes.length, 1);
    const burglary = high.crimes[0]!;
    assert.deepEqual(burglary.category, { slug: 'burglary', name: 'Burglary' });
    // The file repeats "Suspect charged"; the importer keeps it once, as the compatible API shows it.
    assert.deepEqual(burglary.outcomes.map((o) => o.code), ['under-investigation', 'charged']);
    assert.ok(burglary.outcomes.every((o) => o.explanation.length > 20 && o.month === '2025-02'));
    assert.equal(burglary.latestOutcome?.code, 'charged');
    assert.match(burglary.latestOutcomeText, /^Suspect charged \(2025-02\): The police charged a suspect/);

    const mill = await get<LocationAnswer>(`/map-data/location/${idOf('On or near Mill Lane')}`);
    const asb = mill.crimes.find((c) => c.category.slug === 'anti-social-behaviour');
    assert.ok(asb);
    assert.equal(asb.latestOutcome, null);
    assert.deepEqual(asb.outcomes, []);
    assert.equal(asb.latestOutcomeText, NO_OUTCOMES_FOR_ASB);
    assert.equal(asb.outcomesNote, NO_OUTCOMES_FOR_ASB);
    const theft = mill.crimes.find((c) => c.category.slug === 'other-theft');
    assert.equal(theft?.latestOutcome?.code, 'unable-to-prosecute');
    assert.match(theft?.latestOutcome?.explanation ?? '', /could not take the case further/);

    // January's burglary at High Street: its outcome came in a later month's file.
    const january = await get<LocationAnswer>(`/map-data/location/${idOf('On or near High Street')}?month=2025-01`);
    assert.deepEqual((january.crimes[0]?.outcomes ?? []).map((o) => [o.code, o.month]), [['unable-to-prosecute', '2025-02']]);

    const filtered = await get<LocationAnswer>(`/map-data/location/${idOf('On or near Mill Lane')}?category=other-theft`);
    assert.deepEqual(filtered.crimes.map((c) => c.category.slug), ['other-theft']);
  });

  it('answers 404 for an unknown location and 400 for a malformed one', async () => {
    assert.equal((await bad('/map-data/location/99999999', 404)).code, 'SC_ERR_MAP_UNKNOWN_LOCATION');
    assert.match((await bad('/map-data/location/abc')).message, /locationId must be a positive whole number/);
    assert.equal((await bad('/map-data/no-such-thing', 404)).code, 'SC_ERR_MAP_NOT_FOUND');
  });

  it('reports the months with data and a force that did not publish one of them', async () => {
    const months = await get<MonthsAnswer>('/map-data/months');
    assert.equal(months.latest, '2025-02');
    assert.deepEqual(months.window, { from: '2022-03', to: '2025-02', months: 36 });
    assert.deepEqual(months.months.map((m) => m.month), ['2025-02', '2025-01']);
    assert.deepEqual(months.months[1]?.forcesMissing, ['othershire']);
    assert.deepEqual(months.gaps, [
      { force: { id: 'othershire', name: 'Othershire Police' }, month: '2025-01', message: 'Othershire Police did not publish street crime data for 2025-01.' },
    ]);
    const one = await get<MonthsAnswer>('/map-data/months?force=testshire');
    assert.deepEqual(one.gaps, []);
    assert.equal((await bad('/map-data/months?force=nowhere', 404)).code, 'SC_ERR_MAP_UNKNOWN_FORCE');
  });
});

it('has a plain explanation for every published outcome code', () => {
  assert.deepEqual(OUTCOME_CATEGORIES.filter((o) => !hasOutcomeExplanation(o.code)).map((o) => o.code), []);
});
