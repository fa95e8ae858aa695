import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { importSources } from './import.service.ts';
import {
  FORCE, OUTCOMES, STOPS, STREET, csv, hasZipTool, id, makeZip, outcomeRow, stopRow, streetRow, tableCounts, writeFiles,
} from './test-fixtures.ts';

const street = csv(
  STREET,
  [
    streetRow(id(1), '2024-12', ['-0.091000', '51.515000'], 'Cheapside', 'Burglary', 'Offender given penalty notice'),
    streetRow(id(2), '2024-12', ['-0.091000', '51.515000'], 'Cheapside', 'Robbery'),
    streetRow('', '2024-12', ['-0.092000', '51.516000'], "King'S Cross Bridge", 'Anti-social behaviour', ''),
    streetRow(id(3), '2024-12', null, '', 'Shoplifting'),
    // A quoted LSOA name with a comma, as Hampshire files carry for BCP.
    [id(4), '2024-12', FORCE, FORCE, '-0.093000', '51.517000', 'On or near Poole Road', 'E01000002',
      'Bournemouth, Christchurch and Poole 019C', 'Vehicle crime', 'Under investigation', ''],
  ],
  { crlf: true, bom: true },
);

const outcomesJan = csv(OUTCOMES, [
  outcomeRow(id(1), '2025-01', ['-0.091000', '51.515000'], 'Cheapside', 'Offender given a penalty notice'),
  outcomeRow(id(1), '2025-01', ['-0.091000', '51.515000'], 'Cheapside', 'Offender given a penalty notice'),
  outcomeRow(id(3), '2025-01', null, '', 'Unable to prosecute suspect'),
  outcomeRow(id(99), '2025-01', ['-0.094000', '51.518000'], 'Older Crime Street', 'Local resolution'),
]);
const outcomesFeb = csv(OUTCOMES, [outcomeRow(id(1), '2025-02', ['-0.091000', '51.515000'], 'Cheapside', 'Offender given a caution')]);

const stops = csv(STOPS, [
  stopRow('Person search', '2024-12-03T10:25:00+00:00', ['51.515000', '-0.091000'], 'True', 'False'),
  stopRow('Vehicle search', '2024-12-04T22:00:00+00:00', null, '', ''),
]);

async function crimeStatus(getStore: () => import('../store/store.ts').Store) {
  return getStore().db.selectFrom('crimes').select(['persistent_id', 'outcome_code', 'outcome_month', 'last_outcome'])
    .where('force_id', '=', 'city-of-london').orderBy('persistent_id').execute();
}

describeEachStore('import: files with the quirks of real ones', (getStore) => {
  let dir = '';
  it('imports a CRLF street file with a BOM, quoted commas, ASB and unplaced rows', async () => {
    dir = await writeFiles({
      '2024-12/2024-12-city-of-london-street.csv': street,
      '2024-12/2024-12-city-of-london-stop-and-search.csv': stops,
    });
    const report = await importSources(getStore(), [join(dir, '2024-12/2024-12-city-of-london-street.csv')]);
    assert.deepEqual(report.sourceErrors, []);
    assert.equal(report.files[0]?.status, 'imported', report.files[0]?.error);
    assert.equal(report.rowsImported, 5);
    const crimes = await getStore().db.selectFrom('crimes').selectAll().orderBy('id').execute();
    assert.equal(crimes.length, 5);
    assert.equal(crimes[0]?.location_id, crimes[1]?.location_id, 'one snap point, one location');
    assert.equal(crimes[2]?.persistent_id, '');
    assert.equal(crimes[2]?.category, 'anti-social-behaviour');
    assert.equal(crimes[3]?.location_id, null);
    assert.equal(crimes[4]?.lsoa_name, 'Bournemouth, Christchurch and Poole 019C');
    const force = await getStore().db.selectFrom('forces').selectAll().where('id', '=', 'city-of-london').executeTakeFirst();
    assert.equal(force?.name, FORCE);
  });

  it('re-imports the same file without duplicates and keeps street ids', async () => {
    const before = await tableCounts(getStore());
    const ids = await getStore().db.selectFrom('crimes').select(['persistent_id', 'location_id']).orderBy('id').execute();
    const locations = await getStore().db.selectFrom('locations').selectAll().orderBy('id').execute();
    const report = await importSources(getStore(), [dir]);
    assert.equal(report.files.filter((f) => f.status === 'imported').length, 2);
    const after = await tableCounts(getStore());
    assert.deepEqual({ ...after, stops: before.stops, publications: before.publications }, before);
    assert.deepEqual(await getStore().db.selectFrom('crimes').select(['persistent_id', 'location_id']).orderBy('id').execute(), ids);
    const locationsAfter = await getStore().db.selectFrom('locations').selectAll().orderBy('id').execute();
    assert.deepEqual(locationsAfter.filter((l) => locations.some((k) => k.id === l.id)), locations);
  });

  it('reads stop-and-search coordinates Latitude first, and its True/False columns', async () => {
    const rows = await getStore().db.selectFrom('stops').leftJoin('locations', 'locations.id', 'stops.location_id')
      .select(['type', 'involved_person', 'operation', 'outcome_linked', 'removal_of_outer_clothing', 'latitude', 'longitude'])
      .orderBy('datetime').execute();
    assert.deepEqual(rows, [
      { type: 'Person search', involved_person: 1, operation: 0, outcome_linked: 1, removal_of_outer_clothing: 0, latitude: 51.515, longitude: -0.091 },
      { type: 'Vehicle search', involved_person: 0, operation: 0, outcome_linked: null, removal_of_outer_clothing: null, latitude: null, longitude: null },
    ]);
  });

  it('takes outcome_status from the latest outcome, whatever the import order', async () => {
    const files = await writeFiles({
      '2025-01-city-of-london-outcomes.csv': outcomesJan,
      '2025-02-city-of-london-outcomes.csv': outcomesFeb,
    });
    await importSources(getStore(), [join(files, '2025-02-city-of-london-outcomes.csv'), join(files, '2025-01-city-of-london-outcomes.csv')]);
    const expected = [
      { persistent_id: '', outcome_code: null, outcome_month: null, last_outcome: '' },
      { persistent_id: id(1), outcome_code: 'cautioned', outcome_month: '2025-02', last_outcome: 'Offender given penalty notice' },
      { persistent_id: id(2), outcome_code: null, outcome_month: null, last_outcome: 'Under investigation' },
      { persistent_id: id(3), outcome_code: 'unable-to-prosecute', outcome_month: '2025-01', last_outcome: 'Under investigation' },
      { persistent_id: id(4), outcome_code: null, outcome_month: null, last_outcome: 'Under investigation' },
    ];
    assert.deepEqual(await crimeStatus(getStore), expected);
    // Street file after its outcomes: the same answer.
    await importSources(getStore(), [join(dir, '2024-12/2024-12-city-of-london-street.csv')]);
    assert.deepEqual(await crimeStatus(getStore), expected);

    const outcomes = await getStore().db.selectFrom('outcomes').select(['persistent_id', 'outcome_code', 'month', 'location_id'])
      .where('month', '=', '2025-01').orderBy('id').execute();
    assert.equal(outcomes.length, 3, 'the duplicate outcome row is stored once');
    assert.equal(outcomes[0]?.outcome_code, 'penalty-notice-issued');
    assert.equal(outcomes[1]?.location_id, null, '`No location` rows have no point');

    // A February file with no rows replaces nothing: a month is never emptied by a file with nothing in it.
    const empty = await writeFiles({ '2025-02-city-of-london-outcomes.csv': csv(OUTCOMES, []) });
    const refused = await importSources(getStore(), [join(empty, '2025-02-city-of-london-outcomes.csv')]);
    assert.equal(refused.files[0]?.status, 'rejected');
    assert.deepEqual(await crimeStatus(getStore), expected);

    // The February file loses crime 1's row: crime 1 falls back to its January outcome.
    const lost = await writeFiles({
      '2025-02-city-of-london-outcomes.csv': csv(OUTCOMES, [outcomeRow(id(3), '2025-02', null, '', 'Unable to prosecute suspect')]),
    });
    await importSources(getStore(), [join(lost, '2025-02-city-of-london-outcomes.csv')]);
    const status = await crimeStatus(getStore);
    assert.deepEqual(status[1], { persistent_id: id(1), outcome_code: 'penalty-notice-issued', outcome_month: '2025-01', last_outcome: 'Offender given penalty notice' });
  });

  it('records each force/month/kind in publications', async () => {
    const rows = await getStore().db.selectFrom('publications').select(['force_id', 'month', 'kind', 'rows', 'rejected'])
      .orderBy('month').orderBy('kind').execute();
    assert.deepEqual(rows, [
      { force_id: 'city-of-london', month: '2024-12', kind: 'stop-and-search', rows: 2, rejected: 0 },
      { force_id: 'city-of-london', month: '2024-12', kind: 'street', rows: 5, rejected: 0 },
      { force_id: 'city-of-london', month: '2025-01', kind: 'outcomes', rows: 4, rejected: 0 },
      { force_id: 'city-of-london', month: '2025-02', kind: 'outcomes', rows: 1, rejected: 0 },
    ]);
  });

  it('refuses a file with an unknown header, naming the file and the header', async () => {
    const before = await tableCounts(getStore());
    const bad = await writeFiles({ '2024-11-city-of-london-street.csv': 'Crime ID,Month,Colour\nx,2024-11,red\n' });
    const report = await importSources(getStore(), [bad]);
    assert.equal(report.files[0]?.status, 'rejected');
    assert.match(report.files[0]?.error ?? '', /2024-11-city-of-london-street\.csv: unknown header "Crime ID,Month,Colour"/);
    assert.deepEqual(await tableCounts(getStore()), before);
  });

  it('skips a bad row with its file, line and reason and keeps the good rows', async () => {
    const text = csv(STREET, [
      streetRow(id(10), '2024-10', ['-0.091', '51.515'], 'Cheapside', 'Burglary'),
      streetRow(id(11), '2024-09', ['-0.091', '51.515'], 'Cheapside', 'Burglary'),
      streetRow(id(12), '2024-10', ['east', '51.515'], 'Cheapside', 'Burglary'),
      streetRow(id(13), '2024-10', ['-0.091', '51.515'], 'Cheapside', 'Burglary'),
    ]);
    const files = await writeFiles({ '2024-10-city-of-london-street.csv': text });
    // Half the rows bad: far past the default limit, so the limit is raised for this file.
    const report = await importSources(getStore(), [files], {}, { maxRejectedShare: 0.5 });
    const file = report.files[0]!;
    assert.equal(file.status, 'imported');
    assert.equal(file.rows, 2);
    assert.equal(file.rejected, 2);
    assert.match(file.file, /2024-10-city-of-london-street\.csv$/);
    assert.deepEqual(file.rejections, [
      { line: 3, reason: "Month 2024-09 differs from the file's month 2024-10" },
      { line: 4, reason: 'coordinates "51.515, east" are not numbers' },
    ]);
    const kept = await getStore().db.selectFrom('crimes').select('persistent_id').where('month', '=', '2024-10').orderBy('id').execute();
    assert.deepEqual(kept.map((k) => k.persistent_id), [id(10), id(13)]);
  });

  it('imports a custom-download zip whose entries sit under a hash folder', { skip: hasZipTool ? false : 'the zip command is not installed' }, async () => {
    const zip = await makeZip({
      '3228c05a10f136b972bcc8c7a1cf333e9bf76b84/2024-08/2024-08-city-of-london-street.csv': csv(STREET, [
        streetRow(id(20), '2024-08', ['-0.091', '51.515'], 'Cheapside', 'Drugs'),
      ]),
      '3228c05a10f136b972bcc8c7a1cf333e9bf76b84/2024-08/2024-08-city-of-london-outcomes.csv': csv(OUTCOMES, [
        outcomeRow(id(20), '2024-08', ['-0.091', '51.515'], 'Cheapside', 'Offender given a caution'),
      ]),
    });
    const report = await importSources(getStore(), [zip]);
    assert.deepEqual(report.files.map((f) => [f.month, f.kind, f.status, f.rows]).sort(), [
      ['2024-08', 'outcomes', 'imported', 1],
      ['2024-08', 'street', 'imported', 1],
    ]);
    const crime = await getStore().db.selectFrom('crimes').select('outcome_code').where('persistent_id', '=', id(20)).executeTakeFirst();
    assert.equal(crime?.outcome_code, 'cautioned');
  });
});
