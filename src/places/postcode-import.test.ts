import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { ONSPD_HEADER, onspdCsv, onspdLine } from './places.fixtures.ts';
import { importPostcodeFile, importPostcodes } from './postcode-import.service.ts';

const LIVE = [
  { pcds: 'SO23 8UA', lat: '51.062780', long: '-1.316350' },
  { pcds: 'SO23 8UB', lat: '51.063010', long: '-1.316170', oslaua: 'E07000094' },
  { pcds: 'M1 1AE', lat: '53.480890', long: '-2.236290', oslaua: 'E08000003' },
];

async function allPostcodes(store: Store) {
  return store.db.selectFrom('postcodes').selectAll().orderBy('postcode').execute();
}

function importText(store: Store, text: string) {
  return importPostcodes(store, Readable.from([text]), 'fixture.csv');
}

describeEachStore('import-postcodes', (getStore) => {
  beforeEach(async () => {
    await getStore().db.deleteFrom('postcodes').execute();
  });

  it('stores live ONSPD postcodes normalised, with their coordinates and local authority', async () => {
    const report = await importText(getStore(), onspdCsv(LIVE));
    assert.equal(report.status, 'imported');
    assert.equal(report.format, 'onspd');
    assert.equal(report.stored, 3);
    assert.deepEqual(await allPostcodes(getStore()), [
      { postcode: 'M1 1AE', outward: 'M1', latitude: 53.48089, longitude: -2.23629, local_authority_code: 'E08000003', source: 'onspd' },
      { postcode: 'SO23 8UA', outward: 'SO23', latitude: 51.06278, longitude: -1.31635, local_authority_code: 'E07000094', source: 'onspd' },
      { postcode: 'SO23 8UB', outward: 'SO23', latitude: 51.06301, longitude: -1.31617, local_authority_code: 'E07000094', source: 'onspd' },
    ]);
  });

  it('gives the same store when the same file is imported again', async () => {
    const text = onspdCsv(LIVE);
    await importText(getStore(), text);
    const first = await allPostcodes(getStore());
    const again = await importText(getStore(), text);
    assert.equal(again.status, 'imported');
    assert.deepEqual(await allPostcodes(getStore()), first);
  });

  it('skips terminated postcodes and those without coordinates, and removes them from the store', async () => {
    await importText(getStore(), onspdCsv(LIVE));
    const report = await importText(
      getStore(),
      onspdCsv([
        { pcds: 'SO23 8UA', lat: '51.062780', long: '-1.316350', doterm: '202403' },
        { pcds: 'SO23 8UB', lat: '99.999999', long: '0.000000' },
        { pcds: 'SO23 9ZZ', lat: '51.07', long: '-1.31', doterm: '199912' },
        { pcds: 'SO23 7AA', lat: '51.05', long: '-1.30' },
      ]),
    );
    assert.equal(report.status, 'imported');
    assert.deepEqual([report.stored, report.terminated, report.withoutCoordinates, report.rejected], [1, 2, 1, 0]);
    // M1 1AE is not in the second file, so it stays: per-area files add up.
    assert.deepEqual((await allPostcodes(getStore())).map((p) => p.postcode), ['M1 1AE', 'SO23 7AA']);
  });

  it('lists bad rows by line and reason and keeps the good ones', async () => {
    const text = [
      ONSPD_HEADER,
      onspdLine(LIVE[0]!),
      onspdLine({ pcds: 'NOT A PC', lat: '51', long: '-1' }),
      onspdLine({ pcds: 'SO23 8UC', lat: 'north', long: '-1' }),
      '"SO238UD","SO23 8UD"',
      '',
      onspdLine({ pcds: '', lat: '51', long: '-1' }),
      '"SO238UE","SO23 8UE","SO23 8UE"x,"",""',
      // csv-parse finds its feet again only after the next record, which is lost too, but listed.
      onspdLine({ pcds: 'SO23 8UF', lat: '51', long: '-1' }),
      onspdLine(LIVE[2]!),
    ].join('\n');
    const report = await importText(getStore(), text);
    assert.equal(report.status, 'imported');
    assert.equal(report.stored, 2);
    assert.equal(report.rejected, 6);
    assert.deepEqual(
      report.rejections.map((r) => r.line),
      [3, 4, 5, 7, 8, 9],
    );
    assert.match(report.rejections[0]!.reason, /"NOT A PC" is not a UK postcode/);
    assert.match(report.rejections[1]!.reason, /latitude "north" is not a number/);
    assert.match(report.rejections[2]!.reason, /has 2 fields/);
    assert.match(report.rejections[3]!.reason, /no postcode/);
    assert.match(report.rejections[4]!.reason, /not readable as CSV: Invalid Closing Quote/);
    assert.deepEqual((await allPostcodes(getStore())).map((p) => p.postcode), ['M1 1AE', 'SO23 8UA']);
  });

  it('leaves the store as it was when the file cannot be read to its end', async () => {
    await importText(getStore(), onspdCsv([LIVE[2]!]));
    const before = await allPostcodes(getStore());
    // More rows than one write batch, so some were written inside the transaction before the failure.
    const lines = Array.from({ length: 2500 }, (_, i) => onspdLine({ pcds: `ZZ${1 + (i % 9)} ${1 + Math.floor(i / 400)}${'ABDEFGHJ'[i % 8]!}${'ABDEFGHJLNPQRSTUWXYZ'[Math.floor(i / 8) % 20]!}`, lat: '51.5', long: '-0.1' }));
    async function* failing() {
      yield `${ONSPD_HEADER}\n${lines.join('\n')}\n`;
      throw new Error('disk read error');
    }
    const report = await importPostcodes(getStore(), Readable.from(failing()), 'broken.csv');
    assert.equal(report.status, 'failed');
    assert.match(report.error ?? '', /broken\.csv: disk read error.*nothing was imported/);
    assert.deepEqual(await allPostcodes(getStore()), before);
  });

  it('refuses a file it does not recognise, writing nothing', async () => {
    const unknown = await importText(getStore(), 'name,town\nAlice,Winchester\n');
    assert.equal(unknown.status, 'rejected');
    assert.match(unknown.error ?? '', /no postcode \(pcds\), latitude \(lat\), longitude \(long\) column/);
    const codePoint = await importText(getStore(), '"SO23 8UA",10,448100,129600,"E92000001","E19000002","E18000008","E10000014","E07000094","E05012345"\n');
    assert.equal(codePoint.status, 'rejected');
    assert.match(codePoint.error ?? '', /Code-Point Open/);
    const empty = await importText(getStore(), '');
    assert.equal(empty.status, 'rejected');
    assert.deepEqual(await allPostcodes(getStore()), []);
  });

  it('reads a postcode, latitude, longitude CSV from a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postcodes-'));
    try {
      const path = join(dir, 'points.csv');
      writeFileSync(path, '\uFEFFPostcode,Latitude,Longitude\nso238ua,51.06278,-1.31635\n');
      const report = await importPostcodeFile(getStore(), path);
      assert.equal(report.status, 'imported');
      assert.equal(report.format, 'csv');
      assert.deepEqual((await allPostcodes(getStore())).map((p) => [p.postcode, p.source]), [['SO23 8UA', 'csv']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
