/**
 * Hands generated rows to the importer's dataset writers, exactly as a CSV
 * import would: one transaction per force/month/kind that replaces what was
 * there. Kept apart so a change to the writers' interface is met in one place.
 */
import type { OutcomeRow, StopRow, StreetRow } from '../import/csv-formats.ts';
import { beginDataset } from '../import/dataset-writer.ts';
import { LocationCache } from '../import/location-cache.ts';
import { appendRow, emptyBatch } from '../import/row-batch.ts';
import { PointIndex } from '../import/row-parser.ts';
import type { DatasetKind } from '../store/database.ts';
import type { Store } from '../store/store.ts';

type Row = StreetRow | OutcomeRow | StopRow;

/** Rows per call to the writer: a PostgreSQL statement of a few thousand rows. */
const CHUNK = 5000;

/** Snap point ids and their numbering, shared by every dataset of one build as by every file of one import. */
export class DemoWriteRun {
  readonly cache = new LocationCache();
  private readonly index = new PointIndex();

  constructor(
    private readonly store: Store,
    private readonly force: { id: string; name: string },
  ) {}

  /** Same key the CSV parser makes: latitude, longitude and street, `*` for stop-and-search points. */
  private pointNumber(row: Row): number {
    if (!row.point) return -1;
    const street = 'location' in row ? row.location : '*';
    return this.index.numberOf(`${row.point.latitude}|${row.point.longitude}|${street}`);
  }

  /** Writes one month of one kind; returns how many rows it held. */
  async write(month: string, kind: DatasetKind, rows: readonly Row[]): Promise<number> {
    const target = { forceId: this.force.id, forceName: this.force.name, month, kind, source: 'demo' };
    const writer = await beginDataset(this.store, target, this.cache);
    try {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const batch = emptyBatch(kind);
        const points: number[] = [];
        for (const row of rows.slice(i, i + CHUNK)) {
          appendRow(batch, row);
          points.push(this.pointNumber(row));
        }
        await writer.addRows(batch, points);
      }
      await writer.commit({ rows: rows.length, rejected: 0 });
    } catch (error) {
      await writer.rollback();
      throw error;
    }
    return rows.length;
  }
}
