/**
 * What a dataset writer is given and what it promises, shared by the engine writers
 * (sqlite-writer.ts, postgres-writer.ts) and dataset-writer.ts, which picks one.
 */
import type { DatasetKind, Month } from '../store/database.ts';
import type { RowBatch } from './row-batch.ts';

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

/** Name given to stop-and-search points, which are published without a street. */
export const UNNAMED_STOP_LOCATION = 'On or near a location not named in the data';

export function locationTypeFor(forceId: string): string {
  return forceId === 'btp' ? 'BTP' : 'Force';
}
