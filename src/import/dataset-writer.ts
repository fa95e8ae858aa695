/**
 * Writes one published dataset (a force's month of one kind) into the store as a
 * single transaction: what was there for that force/month/kind is replaced, so a
 * re-import never duplicates, and a failure part way leaves the store as it was.
 */
import type { Store } from '../store/store.ts';
import type { DatasetTarget, DatasetWriter } from './dataset.ts';
import type { LocationCache } from './location-cache.ts';
import { beginSqliteDataset } from './sqlite-writer.ts';
import { beginPostgresDataset } from './postgres-writer.ts';

export async function beginDataset(store: Store, target: DatasetTarget, cache: LocationCache): Promise<DatasetWriter> {
  return store.kind === 'sqlite' ? beginSqliteDataset(store, target, cache) : beginPostgresDataset(store, target, cache);
}
