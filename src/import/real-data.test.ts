import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { sql } from 'kysely';
import { describeEachStore } from '../store/test-stores.ts';
import { importSources, type ImportReport } from './import.service.ts';
import { REAL_DATA_DIR, hasRealData } from './test-fixtures.ts';

const skip = hasRealData ? false : `real data not found in ${REAL_DATA_DIR}: skipped`;
if (!hasRealData) console.log(`# real police data: skipped (${REAL_DATA_DIR} is absent)`);

/** Rows per file as the data README counts them. */
const EXPECTED: Record<string, number> = {
  '2025-01-hampshire-street.csv': 13_481,
  '2025-08-hampshire-street.csv': 14_544,
  '2025-12-hampshire-street.csv': 12_302,
  '2025-01-leicestershire-street.csv': 8_448,
  '2025-01-city-of-london-street.csv': 629,
  '2025-01-avon-and-somerset-street.csv': 14_828,
  '2025-01-northern-ireland-street.csv': 10_202,
  '2025-01-btp-street.csv': 3_304,
  '2026-02-city-of-london-street.csv': 688,
  '2026-02-city-of-london-outcomes.csv': 765,
  '2026-02-city-of-london-stop-and-search.csv': 111,
};

describeEachStore('import: the real published files', (getStore) => {
  let report: ImportReport | undefined;

  it('imports both archives with every row', { skip, timeout: 600_000 }, async () => {
    report = await importSources(getStore(), [join(REAL_DATA_DIR, '2025-street.zip'), join(REAL_DATA_DIR, '2026-02-city-of-london.zip')]);
    assert.deepEqual(report.sourceErrors, []);
    assert.equal(report.files.length, 42);
    assert.equal(report.rowsRejected, 0);
    const rows = new Map(report.files.map((f) => [f.file.split(/[/:]/).pop()!, f]));
    for (const [name, count] of Object.entries(EXPECTED)) {
      assert.equal(rows.get(name)?.status, 'imported', name);
      assert.equal(rows.get(name)?.rows, count, name);
    }
  });

  it('puts Hampshire 2025-01 on 6,431 distinct points and Avon and Somerset has 1,069 unplaced rows', { skip }, async () => {
    const { db } = getStore();
    const points = await db.selectFrom('crimes').innerJoin('locations', 'locations.id', 'crimes.location_id')
      .select(sql<number>`count(distinct locations.latitude || ',' || locations.longitude)`.as('n'))
      .where('force_id', '=', 'hampshire').where('month', '=', '2025-01').executeTakeFirstOrThrow();
    assert.equal(Number(points.n), 6_431);
    const unplaced = await db.selectFrom('crimes').select((eb) => eb.fn.countAll().as('n'))
      .where('force_id', '=', 'avon-and-somerset').where('location_id', 'is', null).executeTakeFirstOrThrow();
    assert.equal(Number(unplaced.n), 1_069);
    const ni = await db.selectFrom('crimes').select((eb) => eb.fn.countAll().as('n'))
      .where('force_id', '=', 'northern-ireland').where('persistent_id', '=', '').executeTakeFirstOrThrow();
    assert.equal(Number(ni.n), 3_012);
  });

  it('stores City of London 2026-02 outcomes once each and links them to this month\'s crimes', { skip }, async () => {
    const { db } = getStore();
    const distinct = await db.selectFrom('outcomes').select(sql<number>`count(distinct persistent_id)`.as('n'))
      .where('force_id', '=', 'city-of-london').where('month', '=', '2026-02').executeTakeFirstOrThrow();
    assert.equal(Number(distinct.n), 759);
    const linked = await db.selectFrom('crimes').select((eb) => eb.fn.countAll().as('n'))
      .where('force_id', '=', 'city-of-london').where('month', '=', '2026-02').where('outcome_month', '=', '2026-02')
      .executeTakeFirstOrThrow();
    assert.equal(Number(linked.n), 336);
    const stops = await db.selectFrom('stops').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(stops.n), 111);
  });
});
