/**
 * Writes one published dataset (a force's month of one kind) into the store as a
 * single transaction: what was there for that force/month/kind is replaced, so a
 * re-import never duplicates, and a failure part way leaves the store as it was.
 */
import type { DatasetKind, Month } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import type { Point } from './csv-formats.ts';
import type { RowBatch } from './row-batch.ts';
import { beginSqliteDataset } from './sqlite-writer.ts';
import { beginPostgresDataset } from './postgres-writer.ts';

export interface DatasetTarget {
  forceId: string;
  /** Display name from the file's `Reported by`, used when the force is new to the store. */
  forceName: string | null;
  month: Month;
  kind: DatasetKind;
  source: string;
}


export interface DatasetWriter {
  /**
   * Writes rows (or buffers them until enough have gathered). `points` numbers
   * each row's snap point for the run's LocationCache, -1 when unplaced.
   */
  addRows(batch: RowBatch, points: number[]): Promise<void>;
  /** Writes what is buffered, records the publication and commits. */
  commit(counts: { rows: number; rejected: number }): Promise<void>;
  /** Undoes everything since begin. Safe to call after a failed commit. */
  rollback(): Promise<void>;
}

/**
 * Snap point ids already known, shared by every file of one import run so a point
 * is looked up once. Entries made inside a transaction stay pending until it
 * commits: a rolled-back file must not leave ids that no longer exist.
 */
export class LocationCache {
  private readonly committed = new Map<string, number>();
  private pending = new Map<string, number>();
  /** Ids by PointIndex number, for writers that get one with each row. */
  private readonly byNumber: (number | undefined)[] = [];
  private pendingNumbers: number[] = [];

  getByNumber(n: number): number | undefined {
    return this.byNumber[n];
  }

  setByNumber(n: number, id: number): void {
    this.byNumber[n] = id;
    this.pendingNumbers.push(n);
  }

  static key(point: Point, street: string): string {
    return `${point.latitude}|${point.longitude}|${street}`;
  }

  get(key: string): number | undefined {
    return this.pending.get(key) ?? this.committed.get(key);
  }

  set(key: string, id: number): void {
    this.pending.set(key, id);
  }

  commit(): void {
    for (const [k, v] of this.pending) this.committed.set(k, v);
    this.pending = new Map();
    this.pendingNumbers = [];
  }

  discard(): void {
    this.pending = new Map();
    for (const n of this.pendingNumbers) this.byNumber[n] = undefined;
    this.pendingNumbers = [];
  }
}

/** Name given to stop-and-search points, which are published without a street. */
export const UNNAMED_STOP_LOCATION = 'On or near a location not named in the data';

export function locationTypeFor(forceId: string): string {
  return forceId === 'btp' ? 'BTP' : 'Force';
}

export async function beginDataset(store: Store, target: DatasetTarget, cache: LocationCache): Promise<DatasetWriter> {
  return store.kind === 'sqlite' ? beginSqliteDataset(store, target, cache) : beginPostgresDataset(store, target, cache);
}
