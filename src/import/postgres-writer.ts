/**
 * The PostgreSQL side of a dataset import: one connection, one transaction, rows
 * sent in batches as arrays (`unnest`), so a batch of thousands is one round trip.
 */
import type pg from 'pg';
import type { PostgresStore } from '../store/store.ts';
import type { OutcomeRow, Point, StopRow, StreetRow } from './csv-formats.ts';
import {
  LocationCache,
  UNNAMED_STOP_LOCATION,
  locationTypeFor,
  type DatasetRow,
  type DatasetTarget,
  type DatasetWriter,
} from './dataset-writer.ts';
import { hasOutcomesSql, recomputeOutcomeStatusSql } from './outcome-status.ts';

const BATCH = 5000;

export async function beginPostgresDataset(store: PostgresStore, target: DatasetTarget, cache: LocationCache): Promise<DatasetWriter> {
  const { forceId, month, kind } = target;
  const client = await store.pool.connect();
  let open = true;
  let buffer: DatasetRow[] = [];
  const seenOutcomes = new Set<string>();
  const locationType = locationTypeFor(forceId);

  const release = () => {
    if (open) {
      open = false;
      client.release();
    }
  };

  try {
    await client.query('BEGIN');
    if (target.forceName) {
      await client.query('INSERT INTO forces (id, name, listed) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [
        forceId,
        target.forceName,
        forceId === 'btp' ? 0 : 1,
      ]);
    }
    if (kind === 'outcomes') {
      await client.query('CREATE TEMP TABLE touched_crimes (persistent_id text PRIMARY KEY) ON COMMIT DROP');
      await client.query(
        'INSERT INTO touched_crimes SELECT DISTINCT persistent_id FROM outcomes WHERE force_id = $1 AND month = $2',
        [forceId, month],
      );
    }
    const table = kind === 'street' ? 'crimes' : kind === 'outcomes' ? 'outcomes' : 'stops';
    await client.query(`DELETE FROM ${table} WHERE force_id = $1 AND month = $2`, [forceId, month]);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    release();
    throw error;
  }

  async function flush(): Promise<void> {
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    if (kind === 'street') await writeCrimes(client, rows as StreetRow[]);
    else if (kind === 'outcomes') await writeOutcomes(client, rows as OutcomeRow[]);
    else await writeStops(client, rows as StopRow[]);
  }

  async function resolveLocations(items: { point: Point | null; location: string }[]): Promise<(number | null)[]> {
    const lat: number[] = [];
    const lng: number[] = [];
    const name: string[] = [];
    const wanted = new Set<string>();
    for (const { point, location } of items) {
      if (!point) continue;
      const key = LocationCache.key(point, location);
      if (cache.get(key) !== undefined || wanted.has(key)) continue;
      wanted.add(key);
      lat.push(point.latitude);
      lng.push(point.longitude);
      name.push(location);
    }
    if (lat.length > 0) {
      await client.query(
        `INSERT INTO locations (latitude, longitude, street_name)
         SELECT * FROM unnest($1::float8[], $2::float8[], $3::text[]) ON CONFLICT DO NOTHING`,
        [lat, lng, name],
      );
      const found = await client.query<{ id: number; latitude: number; longitude: number; street_name: string }>(
        `SELECT l.id, l.latitude, l.longitude, l.street_name FROM locations l
         JOIN unnest($1::float8[], $2::float8[], $3::text[]) AS u(lat, lng, name)
           ON l.latitude = u.lat AND l.longitude = u.lng AND l.street_name = u.name`,
        [lat, lng, name],
      );
      for (const r of found.rows) cache.set(LocationCache.key(r, r.street_name), r.id);
    }
    return items.map(({ point, location }) => (point ? cache.get(LocationCache.key(point, location))! : null));
  }

  async function resolveStopLocations(points: (Point | null)[]): Promise<(number | null)[]> {
    const missing = new Map<string, Point>();
    for (const p of points) {
      if (p && cache.get(LocationCache.key(p, '*')) === undefined) missing.set(LocationCache.key(p, '*'), p);
    }
    if (missing.size > 0) {
      const lat = [...missing.values()].map((p) => p.latitude);
      const lng = [...missing.values()].map((p) => p.longitude);
      const found = await client.query<{ id: number; latitude: number; longitude: number }>(
        `SELECT DISTINCT ON (l.latitude, l.longitude) l.id, l.latitude, l.longitude FROM locations l
         JOIN unnest($1::float8[], $2::float8[]) AS u(lat, lng) ON l.latitude = u.lat AND l.longitude = u.lng
         ORDER BY l.latitude, l.longitude, l.id`,
        [lat, lng],
      );
      for (const r of found.rows) cache.set(LocationCache.key(r, '*'), r.id);
      const unnamed = [...missing.entries()].filter(([key]) => cache.get(key) === undefined).map(([, p]) => ({ point: p, location: UNNAMED_STOP_LOCATION }));
      const ids = await resolveLocations(unnamed);
      unnamed.forEach((u, i) => cache.set(LocationCache.key(u.point, '*'), ids[i]!));
    }
    return points.map((p) => (p ? cache.get(LocationCache.key(p, '*'))! : null));
  }

  async function writeCrimes(c: pg.PoolClient, rows: StreetRow[]): Promise<void> {
    const locationIds = await resolveLocations(rows);
    await c.query(
      `INSERT INTO crimes (force_id, month, category, persistent_id, location_id, location_type, location_subtype,
         context, lsoa_code, lsoa_name, last_outcome)
       SELECT $1, $2, u.category, u.pid, u.loc, $3, '', u.context, u.lsoa_code, u.lsoa_name, u.last_outcome
       FROM unnest($4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS u(category, pid, loc, context, lsoa_code, lsoa_name, last_outcome)`,
      [forceId, month, locationType, rows.map((r) => r.category), rows.map((r) => r.persistentId), locationIds,
        rows.map((r) => r.context), rows.map((r) => r.lsoaCode), rows.map((r) => r.lsoaName), rows.map((r) => r.lastOutcome)],
    );
  }

  async function writeOutcomes(c: pg.PoolClient, all: OutcomeRow[]): Promise<void> {
    // Published files repeat some outcome rows exactly; one event is one row here.
    const rows = all.filter((r) => {
      const key = `${r.persistentId}|${r.outcomeCode}`;
      if (seenOutcomes.has(key)) return false;
      seenOutcomes.add(key);
      return true;
    });
    if (rows.length === 0) return;
    const locationIds = await resolveLocations(rows);
    await c.query(
      `INSERT INTO outcomes (force_id, month, persistent_id, outcome_code, location_id, lsoa_code, lsoa_name)
       SELECT $1, $2, u.pid, u.code, u.loc, u.lsoa_code, u.lsoa_name
       FROM unnest($3::text[], $4::text[], $5::int[], $6::text[], $7::text[]) WITH ORDINALITY
         AS u(pid, code, loc, lsoa_code, lsoa_name, n) ORDER BY u.n`,
      [forceId, month, rows.map((r) => r.persistentId), rows.map((r) => r.outcomeCode), locationIds,
        rows.map((r) => r.lsoaCode), rows.map((r) => r.lsoaName)],
    );
    await c.query('INSERT INTO touched_crimes SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING', [
      rows.map((r) => r.persistentId),
    ]);
  }

  async function writeStops(c: pg.PoolClient, rows: StopRow[]): Promise<void> {
    const locationIds = await resolveStopLocations(rows.map((r) => r.point));
    const int = (v: boolean | null) => (v === null ? null : v ? 1 : 0);
    await c.query(
      `INSERT INTO stops (force_id, month, type, datetime, involved_person, operation, operation_name, location_id,
         gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation, object_of_search, outcome,
         outcome_linked, removal_of_outer_clothing)
       SELECT $1, $2, u.* FROM unnest($3::text[], $4::text[], $5::int[], $6::int[], $7::text[], $8::int[], $9::text[],
         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::int[], $17::int[]) AS u`,
      [forceId, month, rows.map((r) => r.type), rows.map((r) => r.datetime), rows.map((r) => (r.type === 'Vehicle search' ? 0 : 1)),
        rows.map((r) => int(r.operation)), rows.map((r) => r.operationName), locationIds, rows.map((r) => r.gender),
        rows.map((r) => r.ageRange), rows.map((r) => r.selfDefinedEthnicity), rows.map((r) => r.officerDefinedEthnicity),
        rows.map((r) => r.legislation), rows.map((r) => r.objectOfSearch), rows.map((r) => r.outcome),
        rows.map((r) => int(r.outcomeLinked)), rows.map((r) => int(r.removalOfOuterClothing))],
    );
  }

  return {
    async addRows(rows) {
      // PostgreSQL resolves points a batch at a time by value; the point numbers are not needed.
      for (const row of rows) buffer.push(row);
      if (buffer.length >= BATCH) await flush();
    },
    async commit({ rows, rejected }) {
      await flush();
      if (kind === 'street') {
        await client.query(`${recomputeOutcomeStatusSql} WHERE force_id = $1 AND month = $2 AND ${hasOutcomesSql}`, [forceId, month]);
      } else if (kind === 'outcomes') {
        await client.query(`${recomputeOutcomeStatusSql} WHERE persistent_id IN (SELECT persistent_id FROM touched_crimes)`);
      }
      await client.query(
        `INSERT INTO publications (force_id, month, kind, rows, rejected, source, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (force_id, month, kind) DO UPDATE SET rows = excluded.rows, rejected = excluded.rejected,
         source = excluded.source, imported_at = excluded.imported_at`,
        [forceId, month, kind, rows, rejected, target.source, new Date().toISOString()],
      );
      await client.query('COMMIT');
      cache.commit();
      release();
    },
    async rollback() {
      cache.discard();
      if (!open) return;
      await client.query('ROLLBACK').catch(() => undefined);
      release();
    },
  };
}
