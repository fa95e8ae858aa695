/**
 * Where the point query's time goes, without HTTP: the same calls the route
 * makes (locationsInArea, crimesAtLocations, presentCrime, then JSON.stringify
 * as Fastify does for a route without a response schema), each timed apart.
 * Also the query plans of the exact SQL those calls send, captured through a
 * logging Kysely over the same connection.
 */
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import { parseArea } from '../src/api/area.ts';
import { presentCrime } from '../src/crime/crime.presenter.ts';
import { crimesAtLocations } from '../src/crime/crime.repository.ts';
import { locationsInArea } from '../src/crime/locations.repository.ts';
import { crimesInAreaFromIndex, loadMonthIndex } from '../src/crime/month-index.ts';
import type { Database } from '../src/store/database.ts';
import type { Store } from '../src/store/store.ts';
import type { LatLng, QuerySet } from './queries.ts';
import { mean, round, summarise, type LatencySummary } from './stats.ts';

export interface StageFigures {
  queries: number;
  /** Snap points inside the circle (the SQL box query plus the exact-distance filter). */
  findPointsMs: LatencySummary;
  /** Crimes of the month at those points. */
  fetchCrimesMs: LatencySummary;
  /** Both store calls: the "finding rows" part. */
  storeMs: LatencySummary;
  presentMs: LatencySummary;
  stringifyMs: LatencySummary;
  totalMs: LatencySummary;
  /** Share of the in-process total spent in the store (finding rows) vs shaping and writing JSON. */
  storeShareOfTotal: number;
  meanPointsInCircle: number;
  meanRows: number;
  meanJsonBytes: number;
}

function areaOf(p: LatLng) {
  return parseArea({ lat: p.lat.toFixed(6), lng: p.lng.toFixed(6) });
}

export async function timePointQueryStages(store: Store, queries: QuerySet): Promise<StageFigures> {
  const find: number[] = [];
  const fetch: number[] = [];
  const present: number[] = [];
  const stringify: number[] = [];
  const total: number[] = [];
  const points: number[] = [];
  const rowsSeen: number[] = [];
  const jsonBytes: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    // First pass warms caches and the JIT, as the HTTP warm-up does; the second is reported.
    for (const p of queries.points) {
      const t0 = performance.now();
      const inside = await locationsInArea(store.db, areaOf(p));
      const t1 = performance.now();
      const rows = await crimesAtLocations(store, queries.month, [...inside.keys()], null);
      const t2 = performance.now();
      const body = rows.map((row) => presentCrime(row, inside.get(row.location_id!)));
      const t3 = performance.now();
      const json = JSON.stringify(body);
      const t4 = performance.now();
      if (pass === 0) continue;
      jsonBytes.push(json.length);
      find.push(t1 - t0);
      fetch.push(t2 - t1);
      present.push(t3 - t2);
      stringify.push(t4 - t3);
      total.push(t4 - t0);
      points.push(inside.size);
      rowsSeen.push(rows.length);
    }
  }
  const storeMs = find.map((v, i) => v + fetch[i]!);
  return {
    queries: total.length,
    findPointsMs: summarise(find),
    fetchCrimesMs: summarise(fetch),
    storeMs: summarise(storeMs),
    presentMs: summarise(present),
    stringifyMs: summarise(stringify),
    totalMs: summarise(total),
    storeShareOfTotal: round(mean(storeMs) / mean(total), 3),
    meanPointsInCircle: round(mean(points), 1),
    meanRows: round(mean(rowsSeen), 1),
    meanJsonBytes: Math.round(mean(jsonBytes)),
  };
}

/** A Kysely over the store's own connection that records every query; never destroyed (that would close the store). */
function loggingDb(store: Store, captured: CompiledQuery[]): Kysely<Database> {
  const dialect = store.kind === 'sqlite' ? new SqliteDialect({ database: store.sqlite }) : new PostgresDialect({ pool: store.pool });
  return new Kysely<Database>({
    dialect,
    log(event) {
      if (event.level === 'query') captured.push(event.query);
    },
  });
}

export interface PlanFigure {
  sql: string;
  plan: string[];
}

/** The plans of the point query's two SQL statements, for the densest city-centre query point. */
export async function explainPointQuery(store: Store, queries: QuerySet, at: LatLng): Promise<PlanFigure[]> {
  const captured: CompiledQuery[] = [];
  const db = loggingDb(store, captured);
  const logged: Store = { ...store, db } as Store;
  const inside = await locationsInArea(logged.db, areaOf(at));
  await crimesAtLocations(logged, queries.month, [...inside.keys()], null);
  const plans: PlanFigure[] = [];
  for (const q of captured) {
    const params = q.parameters as unknown[];
    // The id list is one long JSON/array parameter; show its length, not its thousands of ids.
    const shownSql = q.sql.replace(/\s+/g, ' ');
    if (store.kind === 'sqlite') {
      const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...params) as { id: number; parent: number; detail: string }[];
      plans.push({ sql: shownSql, plan: rows.map((r) => `${r.parent === 0 ? '' : '  '}${r.detail}`) });
    } else {
      const result = await store.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, params);
      plans.push({ sql: shownSql, plan: result.rows.map((r) => r['QUERY PLAN']) });
    }
  }
  return plans;
}

export interface MemoryStageFigures {
  queries: number;
  /** Loading the month into memory, once per month and data release. */
  loadMonthMs: number;
  /** Finding the crimes in the circle from the in-memory month index. */
  findRowsMs: LatencySummary;
  presentMs: LatencySummary;
  stringifyMs: LatencySummary;
  totalMs: LatencySummary;
  /** Share of the in-process total spent finding rows; the rest is shaping and writing JSON. */
  findShareOfTotal: number;
}

/** The same stages on the path the route serves by default: the in-memory month index. */
export async function timePointQueryFromIndex(store: Store, queries: QuerySet): Promise<MemoryStageFigures> {
  const t = performance.now();
  const index = await loadMonthIndex(store, queries.month);
  const loadMonthMs = round(performance.now() - t, 1);
  const find: number[] = [];
  const present: number[] = [];
  const stringify: number[] = [];
  const total: number[] = [];
  for (let pass = 0; pass < 2; pass++) {
    for (const p of queries.points) {
      const t0 = performance.now();
      const found = crimesInAreaFromIndex(index, areaOf(p), null);
      const t1 = performance.now();
      const body = found.map(({ row, point }) => presentCrime(row, point));
      const t2 = performance.now();
      JSON.stringify(body);
      const t3 = performance.now();
      if (pass === 0) continue;
      find.push(t1 - t0);
      present.push(t2 - t1);
      stringify.push(t3 - t2);
      total.push(t3 - t0);
    }
  }
  return {
    queries: total.length,
    loadMonthMs,
    findRowsMs: summarise(find),
    presentMs: summarise(present),
    stringifyMs: summarise(stringify),
    totalMs: summarise(total),
    findShareOfTotal: round(mean(find) / mean(total), 3),
  };
}
