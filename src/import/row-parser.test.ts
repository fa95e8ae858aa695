import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvRowParser, type ParseOutput } from './row-parser.ts';
import { OUTCOMES, STREET, csv, id, outcomeRow, streetRow } from './test-fixtures.ts';
import { emptyBatch, type StreetBatch } from './row-batch.ts';

/** Feeds `text` in chunks of `size` bytes, so rows and BOM straddle chunk edges. */
function parseAll(text: string, name: string, size: number): ParseOutput {
  const target = { month: name.slice(0, 7), forceId: 'x', kind: name.includes('outcomes') ? 'outcomes' : 'street' } as const;
  const parser = Object.assign(new CsvRowParser(name, target), { kind: target.kind });
  const bytes = Buffer.from(text);
  const all: ParseOutput = { rows: emptyBatch(parser.kind), points: [], rejections: [], rejected: 0 };
  const add = (o: ParseOutput) => {
    for (const [key, value] of Object.entries(o.rows)) {
      if (Array.isArray(value)) ((all.rows as unknown as Record<string, unknown[]>)[key]!).push(...value);
    }
    all.rows.length += o.rows.length;
    all.points.push(...o.points);
    all.rejections.push(...o.rejections);
    all.rejected += o.rejected;
    if (o.refused) all.refused = o.refused;
    if (o.forceName !== undefined) all.forceName = o.forceName;
  };
  for (let i = 0; i < bytes.length; i += size) add(parser.push(bytes.subarray(i, i + size)));
  add(parser.end());
  return all;
}

const rows = [
  streetRow(id(1), '2025-01', ['-1.131592', '52.629729'], 'Gallowtree Gate', 'Shoplifting'),
  streetRow('', '2025-01', ['-1.131592', '52.629729'], 'Gallowtree Gate', 'Anti-social behaviour', ''),
  streetRow(id(2), '2025-01', null, '', 'Robbery'),
  streetRow(id(3), '2025-02', null, '', 'Robbery'),
];

describe('CsvRowParser', () => {
  for (const [label, opts] of [['LF', {}], ['CRLF with BOM', { crlf: true, bom: true }]] as const) {
    for (const size of [1, 7, 1 << 16]) {
      it(`reads ${label} in ${size}-byte chunks: Longitude before Latitude, unplaced rows, line numbers`, () => {
        const out = parseAll(csv(STREET, rows, opts), '2025-01-leicestershire-street.csv', size);
        assert.equal(out.refused, undefined);
        assert.equal(out.forceName, 'Test Constabulary');
        const b = out.rows as StreetBatch;
        assert.equal(b.length, 3);
        assert.deepEqual([b.latitude[0], b.longitude[0]], [52.629729, -1.131592]);
        assert.equal(b.location[0], 'On or near Gallowtree Gate');
        assert.deepEqual(b.persistentId, [id(1), '', id(2)]);
        assert.deepEqual([b.latitude[2], b.longitude[2]], [NaN, NaN]);
        assert.equal(b.location[2], 'No Location');
        assert.deepEqual(out.points, [0, 0, -1], 'one snap point, numbered once; the unplaced row has none');
        assert.deepEqual(out.rejections, [{ line: 5, reason: "Month 2025-02 differs from the file's month 2025-01" }]);
      });
    }
  }

  it('keeps Location exactly as published, trailing space included', () => {
    const row = streetRow(id(9), '2025-01', ['-6.611920', '54.753594'], '', 'Shoplifting');
    const out = parseAll(csv(STREET, [row]), '2025-01-northern-ireland-street.csv', 1 << 16);
    assert.deepEqual((out.rows as StreetBatch).location, ['On or near ']);
  });

  it('rejects an outcome row without Crime ID and a row with too few fields', () => {
    const text = csv(OUTCOMES, [outcomeRow('', '2025-01', null, '', 'Local resolution')]) + `${id(5)},2025-01,short\n`;
    const out = parseAll(text, '2025-01-x-outcomes.csv', 1 << 16);
    assert.equal(out.rows.length, 0);
    assert.deepEqual(out.rejections.map((r) => r.line), [2, 3]);
    assert.match(out.rejections[1]!.reason, /has 3 fields where the header has 10/);
  });

  it('refuses an empty file and a header of another kind', () => {
    assert.match(parseAll('', '2025-01-x-street.csv', 10).refused ?? '', /the file is empty/);
    assert.match(parseAll(csv(OUTCOMES, []), '2025-01-x-street.csv', 10).refused ?? '', /header is that of a outcomes file but the name says street/);
  });
});
