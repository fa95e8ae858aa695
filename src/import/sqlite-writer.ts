/**
 * The SQLite side of a dataset import: prepared statements inside one
 * `BEGIN IMMEDIATE` transaction, the fastest way better-sqlite3 has to write.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteStore } from '../store/store.ts';
import type { OutcomeBatch, StopBatch, StreetBatch } from './row-batch.ts';
import { UNNAMED_STOP_LOCATION, locationTypeFor, type DatasetTarget, type DatasetWriter } from './dataset.ts';
import type { LocationCache } from './location-cache.ts';
import { hasOutcomesSql, recomputeOutcomeStatusSql } from './outcome-status.ts';

export function beginSqliteDataset(store: SqliteStore, target: DatasetTarget, cache: LocationCache): DatasetWriter {
  const db = store.sqlite;
  const { forceId, month, kind } = target;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS touched_crimes (persistent_id TEXT PRIMARY KEY)');
  db.exec('BEGIN IMMEDIATE');
  let open = true;
  try {
    if (target.forceName) {
      db.prepare('INSERT INTO forces (id, name, listed) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(
        forceId,
        target.forceName,
        forceId === 'btp' ? 0 : 1,
      );
    }
    if (kind === 'outcomes') {
      db.exec('DELETE FROM touched_crimes');
      // Crimes whose outcomes are about to be replaced need their status worked out again.
      db.prepare('INSERT OR IGNORE INTO touched_crimes SELECT persistent_id FROM outcomes WHERE force_id = ? AND month = ?').run(forceId, month);
    }
    const table = kind === 'street' ? 'crimes' : kind === 'outcomes' ? 'outcomes' : 'stops';
    db.prepare(`DELETE FROM ${table} WHERE force_id = ? AND month = ?`).run(forceId, month);
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }

  const { findLocation, findAnyLocation, insertLocation, insertCrime, insertOutcome, touch, insertStop } = statementsFor(db);
  const locationType = locationTypeFor(forceId);
  const seenOutcomes = new Set<string>();

  /** The id of a row's snap point, found or made once per run; null when unplaced. */
  function locationId(lat: number, lng: number, street: string, n: number): number | null {
    if (n < 0) return null;
    let id = cache.getByNumber(n);
    if (id === undefined) {
      id = (findLocation.get(lat, lng, street) ?? insertLocation.get(lat, lng, street))!.id;
      cache.setByNumber(n, id);
    }
    return id;
  }

  /** Stop-and-search points have no street: any location at the point will do. */
  function stopLocationId(lat: number, lng: number, n: number): number | null {
    if (n < 0) return null;
    let id = cache.getByNumber(n);
    if (id === undefined) {
      id = (findAnyLocation.get(lat, lng) ?? insertLocation.get(lat, lng, UNNAMED_STOP_LOCATION))!.id;
      cache.setByNumber(n, id);
    }
    return id;
  }

  function writeCrimes(b: StreetBatch, points: number[]): void {
    for (let i = 0; i < b.length; i++) {
      insertCrime.run(forceId, month, b.category[i], b.persistentId[i],
        locationId(b.latitude[i]!, b.longitude[i]!, b.location[i]!, points[i]!), locationType,
        b.context[i], b.lsoaCode[i], b.lsoaName[i], b.lastOutcome[i]);
    }
  }

  function writeOutcomes(b: OutcomeBatch, points: number[]): void {
    for (let i = 0; i < b.length; i++) {
      // Published files repeat some outcome rows exactly; one event is one row here.
      const key = `${b.persistentId[i]}|${b.outcomeCode[i]}`;
      if (seenOutcomes.has(key)) continue;
      seenOutcomes.add(key);
      insertOutcome.run(forceId, month, b.persistentId[i], b.outcomeCode[i],
        locationId(b.latitude[i]!, b.longitude[i]!, b.location[i]!, points[i]!), b.lsoaCode[i], b.lsoaName[i]);
      touch.run(b.persistentId[i]);
    }
  }

  function writeStops(b: StopBatch, points: number[]): void {
    for (let i = 0; i < b.length; i++) {
      insertStop.run(forceId, month, b.type[i], b.datetime[i], b.type[i] === 'Vehicle search' ? 0 : 1, toInt(b.operation[i]),
        b.operationName[i], stopLocationId(b.latitude[i]!, b.longitude[i]!, points[i]!), b.gender[i], b.ageRange[i],
        b.selfDefinedEthnicity[i], b.officerDefinedEthnicity[i], b.legislation[i], b.objectOfSearch[i], b.outcome[i],
        toInt(b.outcomeLinked[i]), toInt(b.removalOfOuterClothing[i]));
    }
  }

  return {
    async addRows(batch, points) {
      if (batch.kind !== kind) throw new Error(`a ${batch.kind} batch sent to a ${kind} import`);
      if (batch.kind === 'street') writeCrimes(batch, points);
      else if (batch.kind === 'outcomes') writeOutcomes(batch, points);
      else writeStops(batch, points);
    },
    async commit({ rows, rejected }) {
      if (kind === 'street') {
        db.prepare(`${recomputeOutcomeStatusSql} WHERE force_id = ? AND month = ? AND ${hasOutcomesSql}`).run(forceId, month);
      } else if (kind === 'outcomes') {
        db.exec(`${recomputeOutcomeStatusSql} WHERE persistent_id IN (SELECT persistent_id FROM touched_crimes)`);
      }
      db.prepare(
        `INSERT INTO publications (force_id, month, kind, rows, rejected, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (force_id, month, kind) DO UPDATE SET rows = excluded.rows, rejected = excluded.rejected,
         source = excluded.source, imported_at = excluded.imported_at`,
      ).run(forceId, month, kind, rows, rejected, target.source, new Date().toISOString());
      db.exec('COMMIT');
      open = false;
      cache.commit();
    },
    async rollback() {
      cache.discard();
      if (open && db.inTransaction) db.exec('ROLLBACK');
      open = false;
    },
  };
}

function toInt(value: boolean | null | undefined): number | null {
  return value === null || value === undefined ? null : value ? 1 : 0;
}

type Statements = ReturnType<typeof prepareStatements>;
const statements = new WeakMap<BetterSqlite3.Database, Statements>();

/** Prepared once per connection and reused by every file of every run. */
function statementsFor(db: BetterSqlite3.Database): Statements {
  let found = statements.get(db);
  if (!found) {
    found = prepareStatements(db);
    statements.set(db, found);
  }
  return found;
}

function prepareStatements(db: BetterSqlite3.Database) {
  return {
    findLocation: db.prepare<[number, number, string], { id: number }>(
      'SELECT id FROM locations WHERE latitude = ? AND longitude = ? AND street_name = ?',
    ),
    findAnyLocation: db.prepare<[number, number], { id: number }>(
      'SELECT id FROM locations WHERE latitude = ? AND longitude = ? ORDER BY id LIMIT 1',
    ),
    insertLocation: db.prepare<[number, number, string], { id: number }>(
      'INSERT INTO locations (latitude, longitude, street_name) VALUES (?, ?, ?) RETURNING id',
    ),
    insertCrime: db.prepare(
      `INSERT INTO crimes (force_id, month, category, persistent_id, location_id, location_type, location_subtype,
         context, lsoa_code, lsoa_name, last_outcome) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
    ),
    insertOutcome: db.prepare(
      `INSERT INTO outcomes (force_id, month, persistent_id, outcome_code, location_id, lsoa_code, lsoa_name)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    touch: db.prepare('INSERT OR IGNORE INTO touched_crimes VALUES (?)'),
    insertStop: db.prepare(
      `INSERT INTO stops (force_id, month, type, datetime, involved_person, operation, operation_name, location_id,
         gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation, object_of_search, outcome,
         outcome_linked, removal_of_outer_clothing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}
