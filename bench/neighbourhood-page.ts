/**
 * The public neighbourhood page rendered in process (issue 3: under 50 ms
 * server-side with a whole country's data loaded). A neighbourhood is laid
 * around the busiest snap point of the latest month, in the force that
 * published most crimes there, at two sizes (1 and 2 km radius); the page is
 * requested with templates cached as in production. The neighbourhoods are
 * removed again afterwards.
 * @example node --import tsx bench/neighbourhood-page.ts bench/out/bench.db
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { offsetKm } from '../src/demo/geography.ts';
import { saveNeighbourhood } from '../src/neighbourhoods/neighbourhoods.repository.ts';
import type { NeighbourhoodData } from '../src/neighbourhoods/neighbourhood.types.ts';
import { snapPointIdsInBoundary } from '../src/neighbourhood-page/crime-counts.repository.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { summarise, type LatencySummary } from './stats.ts';

const RADII_KM = [1, 2] as const;
const WARM_UP = 20;
const REQUESTS = 200;
const TARGET_MS = 50;

/** Page latency per neighbourhood size, with the 50 ms target beside it. */
export interface NeighbourhoodPageFigures {
  month: string | null;
  cases: Array<{ radiusKm: number; snapPoints: number; crimesLatestMonth: number; bytes: number; latencyMs: LatencySummary }>;
  target: { targetMs: number; measuredP95Ms: number | null; met: boolean | null };
}

function circle(centre: { latitude: number; longitude: number }, km: number): NeighbourhoodData['boundary'] {
  const ring = Array.from({ length: 32 }, (_, i) => {
    const a = (i / 32) * 2 * Math.PI;
    return offsetKm(centre, km * Math.sin(a), km * Math.cos(a));
  });
  return [...ring, ring[0]!];
}

function benchNeighbourhood(id: string, centre: { latitude: number; longitude: number }, km: number): NeighbourhoodData {
  const person = (i: number) => ({ name: `Officer ${i}`, rank: i === 0 ? 'Sergeant' : 'PC', bio: `<p>Bio of officer ${i}.</p>`, contact_details: { email: `officer${i}@bench.example` } });
  return {
    id,
    name: `Bench neighbourhood ${km} km`,
    description: '<p>A neighbourhood made up for the bench.</p>',
    url_force: 'https://bench.example/team',
    population: '20000',
    centre,
    contact_details: { email: 'team@bench.example', telephone: '101', twitter: 'https://twitter.example/team' },
    links: [{ url: 'https://council.example/', title: 'Council', description: null }],
    locations: [{ name: 'Station', type: 'station', address: '1 High Street', postcode: 'AB1 2CD', latitude: null, longitude: null, description: 'Open 9 to 5.' }],
    boundary: circle(centre, km),
    people: Array.from({ length: 6 }, (_, i) => person(i)),
    events: Array.from({ length: 4 }, (_, i) => ({ title: `Meeting ${i}`, type: 'meeting', description: 'Come along.', address: 'Hall', start_date: `2099-0${i + 1}-10T19:00:00`, end_date: `2099-0${i + 1}-10T20:00:00`, contact_details: {} })),
    priorities: Array.from({ length: 3 }, (_, i) => ({ issue: `<p>Issue ${i}</p>`, issue_date: '2025-01-01T00:00:00', action: `<p>Action ${i}</p>`, action_date: '2025-02-01T00:00:00' })),
  };
}

/** Times the neighbourhood page on the store; needs crimes and publications in it. */
export async function measureNeighbourhoodPage(store: Store): Promise<NeighbourhoodPageFigures> {
  const latest = await store.db.selectFrom('publications').select(sql<string | null>`max(month)`.as('m')).where('kind', '=', 'street').executeTakeFirst();
  const month = latest?.m ?? null;
  if (!month) return { month, cases: [], target: { targetMs: TARGET_MS, measuredP95Ms: null, met: null } };
  const busiest = await store.db
    .selectFrom('crimes as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.force_id', 'l.latitude', 'l.longitude', sql<number | string>`count(*)`.as('n')])
    .where('c.month', '=', month)
    .groupBy(['c.location_id', 'c.force_id', 'l.latitude', 'l.longitude'])
    .orderBy('n', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const forceId = busiest.force_id;
  // Production settings, as the page would be served (production insists on a secret and https).
  const app = await buildApp(
    store,
    loadConfig({}, {
      DATABASE_URL: store.url,
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT_PER_SECOND: '0',
      DEMO_ON_EMPTY_STORE: 'false',
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(32).toString('base64'),
      PUBLIC_URL: 'https://bench.invalid',
    }),
  );
  const cases: NeighbourhoodPageFigures['cases'] = [];
  const ids: string[] = [];
  try {
    for (const km of RADII_KM) {
      const id = `bench-page-${km}km`;
      ids.push(id);
      const n = benchNeighbourhood(id, busiest, km);
      await saveNeighbourhood(store.db, forceId, n);
      const points = await snapPointIdsInBoundary(store, n.boundary);
      const url = `/neighbourhoods/${encodeURIComponent(forceId)}/${id}`;
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARM_UP + REQUESTS; i++) {
        const t = performance.now();
        const res = await app.inject({ url, headers: { accept: 'text/html' } });
        const ms = performance.now() - t;
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        bytes = res.body.length;
        if (i >= WARM_UP) times.push(ms);
      }
      const crimes = Number(/All crime<span[^>]*>[^<]*<\/span><\/a><\/th>\s*<td[^>]*><strong>(\d+)</.exec((await app.inject({ url, headers: { accept: 'text/html' } })).body)?.[1] ?? NaN);
      cases.push({ radiusKm: km, snapPoints: points.length, crimesLatestMonth: crimes, bytes, latencyMs: summarise(times) });
    }
  } finally {
    await app.close();
    for (const table of ['neighbourhood_people', 'neighbourhood_events', 'neighbourhood_priorities'] as const) {
      await store.db.deleteFrom(table).where('force_id', '=', forceId).where('neighbourhood_id', 'in', ids).execute();
    }
    await store.db.deleteFrom('neighbourhoods').where('force_id', '=', forceId).where('id', 'in', ids).execute();
  }
  const p95 = Math.max(...cases.map((c) => c.latencyMs.p95));
  return { month, cases, target: { targetMs: TARGET_MS, measuredP95Ms: p95, met: p95 < TARGET_MS } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const store = await openStore(process.argv[2] ? `sqlite:${process.argv[2]}` : (process.env.DATABASE_URL ?? 'sqlite:bench/out/bench.db'));
  try {
    process.stdout.write(`${JSON.stringify(await measureNeighbourhoodPage(store), null, 2)}\n`);
  } finally {
    await store.close();
  }
}
