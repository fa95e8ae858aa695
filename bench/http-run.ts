/**
 * The API measured over HTTP, the way a client sees it: buildApp from src/app.ts
 * listening on a loopback port with the rate limit and area limit off, and the
 * load client in its own thread. Latency comes from one sequential client (after
 * a warm-up pass over the same requests); requests/s from a few concurrent ones.
 */
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Store } from '../src/store/store.ts';
import { startLoadClient, type ClientResult, type LoadClient } from './http-client.ts';
import type { BenchParams } from './params.ts';
import { outcomeUrl, pointUrl, polygonUrl, type QuerySet } from './queries.ts';
import { mean, round, summarise, type LatencySummary } from './stats.ts';

export interface EndpointFigure {
  requests: number;
  latencyMs: LatencySummary;
  meanResponseBytes: number;
  meanRowsPerQuery: number;
  maxRowsPerQuery: number;
  statuses: Record<number, number>;
  throughput: { concurrency: number; requests: number; seconds: number; requestsPerSecond: number; latencyMs: LatencySummary };
  errors: string[];
}

export interface HttpFigures {
  pointQuery: EndpointFigure;
  polygonQuery: EndpointFigure;
  outcomesForCrime: EndpointFigure;
}

async function measure(client: LoadClient, base: string, urls: string[], params: BenchParams): Promise<EndpointFigure> {
  const sequential = { base, urls, concurrency: 1, maxRequests: urls.length, maxMs: 120_000 };
  await client.run({ ...sequential, countRows: false }); // warm-up: page cache, JIT, prepared statements
  const seq = await client.run({ ...sequential, countRows: true });
  const load: ClientResult = await client.run({
    base,
    urls,
    concurrency: params.concurrency,
    maxRequests: params.throughputMaxRequests,
    maxMs: params.throughputMs,
    countRows: false,
  });
  const done = load.latenciesMs.length;
  return {
    requests: seq.latenciesMs.length,
    latencyMs: summarise(seq.latenciesMs),
    meanResponseBytes: Math.round(mean(seq.bytes)),
    meanRowsPerQuery: round(mean(seq.rows), 1),
    maxRowsPerQuery: seq.rows.reduce((a, b) => Math.max(a, b), 0),
    statuses: seq.statuses,
    throughput: {
      concurrency: params.concurrency,
      requests: done,
      seconds: round(load.elapsedMs / 1000, 3),
      requestsPerSecond: Math.round(done / (load.elapsedMs / 1000)),
      latencyMs: summarise(load.latenciesMs),
    },
    errors: [...seq.errors, ...load.errors],
  };
}

export async function measureHttp(store: Store, queries: QuerySet, params: BenchParams): Promise<HttpFigures> {
  const config = loadConfig(
    {},
    {
      DATABASE_URL: store.kind === 'sqlite' ? store.url : store.url,
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT_PER_SECOND: '0',
      API_AREA_LIMIT: 'off',
      DEMO_ON_EMPTY_STORE: 'false',
    },
  );
  const app = await buildApp(store, config);
  const client = startLoadClient();
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    const base = `http://127.0.0.1:${address.port}`;
    return {
      pointQuery: await measure(client, base, queries.points.map((p) => pointUrl(p, queries.month)), params),
      polygonQuery: await measure(client, base, queries.polygons.map((r) => polygonUrl(r, queries.month)), params),
      outcomesForCrime: await measure(client, base, queries.crimeIds.map(outcomeUrl), params),
    };
  } finally {
    await client.close();
    await app.close();
  }
}
