/**
 * The crime map's clusters endpoint measured over HTTP: 1280 x 800 pixel
 * viewports centred on real crime locations of the month, at zooms 6 (region),
 * 10 (town) and 14 (streets), as the map page asks for them. The one-off work
 * (loading the month into memory, building the clusters) is timed on its own and
 * kept out of the latency figures by a warm-up pass.
 */
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { buildClusterIndex } from '../src/map/cluster-index.ts';
import type { Store } from '../src/store/store.ts';
import { startLoadClient, type LoadClient } from './http-client.ts';
import type { BenchParams } from './params.ts';
import { mean, round, summarise, type LatencySummary } from './stats.ts';

const ZOOMS = [6, 10, 14] as const;
const VIEWPORT = { width: 1280, height: 800 };
/** Viewport centres per zoom: several hundred requests in all. */
const CENTRES = 150;

interface ZoomFigure {
  zoom: number;
  requests: number;
  latencyMs: LatencySummary;
  meanFeatures: number;
  maxFeatures: number;
  meanResponseBytes: number;
}

export interface MapFigures {
  month: string;
  viewport: string;
  oneOff: {
    monthIndexLoadMs: number;
    clusterBuildMs: { allCrime: number; burglary: number };
    clusteredLocations: number;
    clusteredCrimes: number;
    /** The whole process's heap once the month index and both cluster builds are held (no forced GC, so approximate). */
    heapUsedMiBAfterBuilds: number;
    firstHttpRequestMs: number;
  };
  clustersAllZooms: { requests: number; latencyMs: LatencySummary; statuses: Record<number, number>; errors: string[] };
  byZoom: ZoomFigure[];
  burglaryAtZoom10: { requests: number; latencyMs: LatencySummary };
  throughput: { concurrency: number; requests: number; seconds: number; requestsPerSecond: number; latencyMs: LatencySummary };
}

/** The bbox of a viewport centred on a point at a zoom, in MapLibre's 512-pixel tile scale. */
export function viewportBbox(lat: number, lng: number, zoom: number): string {
  const scale = 512 * 2 ** zoom;
  const x = (lng + 180) / 360;
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  const toLat = (yy: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * yy))) * 180) / Math.PI;
  const dx = VIEWPORT.width / 2 / scale;
  const dy = VIEWPORT.height / 2 / scale;
  return [(x - dx) * 360 - 180, toLat(y + dy), (x + dx) * 360 - 180, toLat(y - dy)].map((v) => v.toFixed(6)).join(',');
}

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await work();
  return { value, ms: round(performance.now() - t, 1) };
}

async function sequential(client: LoadClient, base: string, urls: string[]) {
  return client.run({ base, urls, concurrency: 1, maxRequests: urls.length, maxMs: 120_000, countRows: false });
}

/**
 * Measures /map-data/clusters for the month on an app of its own over the store.
 * @example const figures = await measureMapHttp(store, '2025-12', params);
 */
export async function measureMapHttp(store: Store, month: string, params: BenchParams): Promise<MapFigures> {
  const config = loadConfig({}, { DATABASE_URL: store.url, LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0', API_AREA_LIMIT: 'off', DEMO_ON_EMPTY_STORE: 'false' });
  const app = await buildApp(store, config);
  const client = startLoadClient();
  try {
    const version = await app.ctx.release.version();
    const load = await timed(() => app.ctx.monthIndex.get(month, version));
    const monthIndex = load.value;
    // Built here once to time it on its own; the app builds its own copy on its first request.
    const all = await timed(() => buildClusterIndex(monthIndex, null));
    const burglary = await timed(() => buildClusterIndex(monthIndex, 'burglary'));
    const heapUsed = process.memoryUsage().heapUsed / 2 ** 20;

    const step = Math.max(1, Math.floor(monthIndex.points.length / CENTRES));
    const centres = monthIndex.points.filter((_, i) => i % step === 0).slice(0, CENTRES);
    const urlsByZoom = ZOOMS.map((zoom) => centres.map((p) => `/map-data/clusters?bbox=${viewportBbox(p.latitude, p.longitude, zoom)}&zoom=${zoom}&month=${month}`));
    // Interleaved so each zoom is spread over the whole run.
    const mixed = centres.flatMap((_, i) => urlsByZoom.map((urls) => urls[i]!));
    const burglaryUrls = urlsByZoom[1]!.map((u) => `${u}&category=burglary`);

    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    const base = `http://127.0.0.1:${address.port}`;

    const first = await timed(() => app.inject(mixed[0]!));
    await sequential(client, base, [...mixed, ...burglaryUrls]); // warm-up: builds, JIT
    const seq = await sequential(client, base, mixed);
    const filtered = await sequential(client, base, burglaryUrls);
    const load4 = await client.run({ base, urls: mixed, concurrency: params.concurrency, maxRequests: params.throughputMaxRequests, maxMs: params.throughputMs, countRows: false });

    const byZoom: ZoomFigure[] = [];
    for (const [z, zoom] of ZOOMS.entries()) {
      const latencies = seq.latenciesMs.filter((_, i) => i % ZOOMS.length === z);
      const bytes = seq.bytes.filter((_, i) => i % ZOOMS.length === z);
      // Feature counts in process: the load client only counts arrays.
      const features: number[] = [];
      for (const url of urlsByZoom[z]!) features.push((await app.inject(url)).json<{ features: unknown[] }>().features.length);
      byZoom.push({
        zoom,
        requests: latencies.length,
        latencyMs: summarise(latencies),
        meanFeatures: round(mean(features), 1),
        maxFeatures: features.reduce((a, b) => Math.max(a, b), 0),
        meanResponseBytes: Math.round(mean(bytes)),
      });
    }
    const done = load4.latenciesMs.length;
    return {
      month,
      viewport: `${VIEWPORT.width}x${VIEWPORT.height} px on real crime locations`,
      oneOff: {
        monthIndexLoadMs: load.ms,
        clusterBuildMs: { allCrime: all.ms, burglary: burglary.ms },
        clusteredLocations: all.value.locations,
        clusteredCrimes: all.value.crimes,
        heapUsedMiBAfterBuilds: round(heapUsed, 1),
        firstHttpRequestMs: first.ms,
      },
      clustersAllZooms: { requests: seq.latenciesMs.length, latencyMs: summarise(seq.latenciesMs), statuses: seq.statuses, errors: [...seq.errors, ...load4.errors] },
      byZoom,
      burglaryAtZoom10: { requests: filtered.latenciesMs.length, latencyMs: summarise(filtered.latenciesMs) },
      throughput: {
        concurrency: params.concurrency,
        requests: done,
        seconds: round(load4.elapsedMs / 1000, 3),
        requestsPerSecond: Math.round(done / (load4.elapsedMs / 1000)),
        latencyMs: summarise(load4.latenciesMs),
      },
    };
  } finally {
    await client.close();
    await app.close();
  }
}
