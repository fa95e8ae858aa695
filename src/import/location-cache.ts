/**
 * Snap point ids known to one import run. Its own file so the engine writers
 * (sqlite-writer.ts, postgres-writer.ts) and dataset-writer.ts, which picks one,
 * share it without importing each other.
 */
import type { Point } from './csv-formats.ts';

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
