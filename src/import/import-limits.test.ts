/**
 * What a bad file may do to the store: nothing. A file whose rows are mostly
 * bad, or that has none good, replaces nothing and lists no month; a bad line
 * spoils only itself; a huge field costs neither memory nor the month it names.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import type { Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { importSources } from './import.service.ts';
import { MAX_INDEXED_CHARS } from './csv-formats.ts';
import { MAX_LINE_BYTES } from './row-parser.ts';
import { STREET, csv, csvLine, hasZipTool, id, makeZip, peakRetainedMB, streetRow, writeFiles } from './test-fixtures.ts';

const noZip = hasZipTool ? false : 'the zip command is not installed';
const FILE = '2024-03-limitshire-street.csv';

function goodRows(n: number, from = 0): string[][] {
  return Array.from({ length: n }, (_, i) => streetRow(id(from + i), '2024-03', ['-1.100000', '52.600000'], `Street ${i % 7}`, 'Burglary'));
}

/** Ten kinds of bad row, the ones that used to swallow the lines after them among them. */
function badLine(i: number): string {
  const good = streetRow(id(900_000 + i), '2024-03', ['-1.1', '52.6'], 'Bad Street', 'Burglary');
  switch (i % 10) {
    case 0: return `${id(i)},2024-03,"Test Constabulary,unclosed`;
    case 1: return csvLine(good.slice(0, 4));
    case 2: return csvLine(streetRow(id(i), '2024-03', ['east', 'north'], 'X', 'Burglary'));
    case 3: return csvLine(good).replace('Bad Street', 'Bad "Street');
    case 4: return csvLine(streetRow(id(i), '2024-02', ['-1.1', '52.6'], 'X', 'Burglary'));
    case 5: return `"${csvLine(good)}`;
    case 6: return csvLine(good).replace('Bad Street', '"Bad" Street');
    case 7: return `${csvLine(good)},"`;
    case 8: return csvLine(good).replace('Burglary', 'Alien abduction');
    default: return '"';
  }
}

async function monthState(store: Store) {
  const crimes = await store.db.selectFrom('crimes').select(['persistent_id', 'location_id', 'category'])
    .where('force_id', '=', 'limitshire').where('month', '=', '2024-03').orderBy('id').execute();
  const publications = await store.db.selectFrom('publications').select(['month', 'kind', 'rows', 'rejected', 'source'])
    .where('force_id', '=', 'limitshire').orderBy('month').execute();
  return { crimes, publications };
}

describeEachStore('import: a bad file replaces nothing', (getStore) => {
  it('imports the month that the bad files below must leave alone', async () => {
    const dir = await writeFiles({ [FILE]: csv(STREET, goodRows(300)) });
    const report = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false });
    assert.equal(report.files[0]?.status, 'imported', report.files[0]?.error);
    assert.equal((await monthState(getStore())).crimes.length, 300);
  });

  it('refuses a file of 10,000 bad rows, counts every one by its line and keeps the month', async () => {
    const before = await monthState(getStore());
    const bad = Array.from({ length: 10_000 }, (_, i) => badLine(i));
    const dir = await writeFiles({ [FILE]: `${STREET.join(',')}\n${bad.join('\n')}\n` });
    const report = await importSources(getStore(), [join(dir, FILE)]);
    const file = report.files[0]!;
    assert.equal(file.status, 'rejected');
    assert.equal(file.rows, 0);
    assert.equal(file.rejected, 10_000, 'every bad line counted, none swallowed by a quote');
    assert.deepEqual(file.rejections.map((r) => r.line), Array.from({ length: 50 }, (_, i) => i + 2));
    assert.match(file.error ?? '', /2024-03-limitshire-street\.csv: no row could be imported/);
    assert.equal(file.code, 'SC_ERR_IMPORT_NO_ROWS');
    assert.equal(report.rowsImported, 0);
    assert.deepEqual(await monthState(getStore()), before);
  });

  it('refuses a file whose rejected share passes the limit, and imports one under it', async () => {
    const before = await monthState(getStore());
    // 97 good rows and 3 bad: 3% rejected.
    const lines = goodRows(97, 5_000).map(csvLine);
    lines.splice(10, 0, badLine(0), badLine(3), badLine(5));
    const dir = await writeFiles({ [FILE]: `${STREET.join(',')}\n${lines.join('\n')}\n` });

    const over = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false, maxRejectedShare: 0.02 });
    assert.equal(over.files[0]?.status, 'rejected');
    assert.equal(over.files[0]?.rejected, 3);
    assert.match(over.files[0]?.error ?? '', /3 of 100 rows \(3%\) were rejected, more than the 2% allowed \(IMPORT_MAX_REJECTED_SHARE\)/);
    assert.equal(over.files[0]?.code, 'SC_ERR_IMPORT_TOO_MANY_REJECTED');
    assert.deepEqual(await monthState(getStore()), before);

    const under = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false, maxRejectedShare: 0.05 });
    assert.equal(under.files[0]?.status, 'imported', under.files[0]?.error);
    assert.deepEqual(under.files[0]?.rejections.map((r) => r.line), [12, 13, 14]);
    const after = await monthState(getStore());
    assert.equal(after.crimes.length, 97);
    assert.deepEqual(after.publications.map((p) => [p.rows, p.rejected]), [[97, 3]]);
  });

  it('confines an unclosed quote to its own line: the lines after it are read', async () => {
    const lines = goodRows(5, 7_000).map(csvLine);
    lines.splice(1, 0, `${id(1)},2024-03,"Test Constabulary,unclosed and`, 'a "second" bad line');
    const dir = await writeFiles({ [FILE]: `${STREET.join(',')}\r\n${lines.join('\r\n')}\r\n` });
    const report = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false, maxRejectedShare: 0.5 });
    const file = report.files[0]!;
    assert.equal(file.status, 'imported', file.error);
    assert.equal(file.rows, 5);
    assert.deepEqual(file.rejections.map((r) => r.line), [3, 4]);
    assert.match(file.rejections[0]!.reason, /quote/i);
  });

  it('refuses a header-only file: the month is neither emptied nor listed', async () => {
    const before = await monthState(getStore());
    const dir = await writeFiles({ [FILE]: csv(STREET, []), '2024-04-limitshire-street.csv': csv(STREET, []) });
    const report = await importSources(getStore(), [dir], {}, { worker: false });
    assert.deepEqual(report.files.map((f) => f.status), ['rejected', 'rejected']);
    assert.match(report.files[0]?.error ?? '', /no row could be imported \(the file has a header and no rows\)/);
    assert.deepEqual(await monthState(getStore()), before);
  });

  it('skips a line over the size limit without holding it, and the rest of the file is read', async () => {
    const lines = goodRows(40, 8_000).map(csvLine);
    lines.splice(20, 0, `${id(2)},2024-03,"${'x'.repeat(MAX_LINE_BYTES * 3)}",a`);
    const dir = await writeFiles({ [FILE]: `${STREET.join(',')}\n${lines.join('\n')}\n` });
    const report = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false, maxRejectedShare: 0.05 });
    const file = report.files[0]!;
    assert.equal(file.status, 'imported', file.error);
    assert.equal(file.rows, 40);
    assert.deepEqual(file.rejections, [{ line: 22, reason: `the line is longer than ${MAX_LINE_BYTES} bytes` }]);
  });

  it('rejects a row whose Crime ID or Location is too long to index, alone, on either store', async () => {
    const letters = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + ((i * 7919 + seed) % 26))).join('');
    const rows = goodRows(300, 9_000);
    rows.splice(5, 0, streetRow(letters(3_000, 1), '2024-03', ['-1.1', '52.6'], 'X', 'Burglary'));
    rows.splice(9, 0, streetRow(id(3), '2024-03', ['-1.1', '52.6'], letters(3_000, 2), 'Burglary'));
    const dir = await writeFiles({ [FILE]: csv(STREET, rows) });
    const report = await importSources(getStore(), [join(dir, FILE)], {}, { worker: false });
    const file = report.files[0]!;
    assert.equal(file.status, 'imported', file.error);
    assert.equal(file.rows, 300);
    assert.deepEqual(file.rejections, [
      { line: 7, reason: `Crime ID is longer than ${MAX_INDEXED_CHARS} characters` },
      { line: 11, reason: `Location is longer than ${MAX_INDEXED_CHARS} characters` },
    ]);
  });

  it('reads a zip of a header, a quote and a huge field in flat memory, and refuses it', { skip: noZip, timeout: 60_000 }, async () => {
    const before = await monthState(getStore());
    const header = `${STREET.join(',')}\n"`;
    /** Memory held while importing one entry that holds a field of `mb` megabytes. */
    const held = async (mb: number) => {
      const zip = await makeZip({ [`2024-03/${FILE}`]: Buffer.concat([Buffer.from(header), Buffer.alloc(mb << 20, 'a')]) });
      return peakRetainedMB(async () => {
        // Parsed in this thread, where its memory can be measured; the worker runs the same parser.
        const report = await importSources(getStore(), [zip], {}, { worker: false });
        assert.equal(report.files[0]?.status, 'rejected', report.files[0]?.error);
        assert.equal(report.files[0]?.rejected, 1);
      });
    };
    const small = await held(2);
    const large = await held(48);
    assert.ok(large < small + 8, `${large.toFixed(1)} MB held while reading a 48 MB field, ${small.toFixed(1)} MB for 2 MB`);
    assert.deepEqual(await monthState(getStore()), before);
  });
});
