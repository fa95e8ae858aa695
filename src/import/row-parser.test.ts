import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvRowParser, MAX_LINE_BYTES, type ParseOutput } from './row-parser.ts';
import { OUTCOMES, STREET, csv, csvLine, id, outcomeRow, streetRow } from './test-fixtures.ts';
import { emptyBatch, type StreetBatch } from './row-batch.ts';

/** Feeds `text` in chunks of `size` bytes, so rows and BOM straddle chunk edges. */
function parseAll(text: string | Buffer, name: string, size: number): ParseOutput {
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

describe('CsvRowParser on damaged lines', () => {
  const good = (n: number) => csvLine(streetRow(id(n), '2025-01', ['-1.131592', '52.629729'], 'Gallowtree Gate', 'Shoplifting'));
  const bad = [
    `${id(90)},2025-01,"Test Constabulary,unclosed`,
    `${id(91)},2025-01,Test "Constabulary",x`,
    `${id(92)},2025-01,"Test Constabulary"x,y`,
    '"',
    `${good(93)},"`,
    `${id(94)},2025-01,"a""`,
  ];
  // Good lines that quote every way RFC 4180 allows: doubled quotes, commas, an empty quoted field.
  const quotedGood = csvLine(streetRow(id(95), '2025-01', ['-1.1', '52.6'], 'The "Mall", East', 'Shoplifting')).replace(/,$/, ',""');
  const text = [STREET.join(','), good(1), ...bad.flatMap((b, i) => [b, good(10 + i)]), quotedGood].join('\r\n') + '\r\n';

  for (const size of [1, 7, 1 << 16]) {
    it(`spoils only the line a stray quote is on, in ${size}-byte chunks`, () => {
      const out = parseAll(text, '2025-01-x-street.csv', size);
      const b = out.rows as StreetBatch;
      assert.deepEqual(b.persistentId, [id(1), ...bad.map((_, i) => id(10 + i)), id(95)]);
      assert.equal(b.location.at(-1), 'On or near The "Mall", East');
      assert.deepEqual(out.rejections.map((r) => r.line), bad.map((_, i) => 3 + 2 * i));
      assert.match(out.rejections[0]!.reason, /quote is opened and not closed/);
      assert.match(out.rejections[1]!.reason, /quote inside a field/);
      assert.match(out.rejections[2]!.reason, /closing quote is followed by something other than a comma/);
    });
  }

  it('drops a line over MAX_LINE_BYTES however it is cut into chunks, and reads the next one', () => {
    const long = `${id(5)},"${'x'.repeat(MAX_LINE_BYTES)}"`;
    for (const size of [1000, MAX_LINE_BYTES - 1, 1 << 16]) {
      const out = parseAll(`${STREET.join(',')}\n${good(1)}\n${long}\n${good(2)}\n${long}`, '2025-01-x-street.csv', size);
      assert.deepEqual((out.rows as StreetBatch).persistentId, [id(1), id(2)]);
      assert.deepEqual(out.rejections, [
        { line: 3, reason: `the line is longer than ${MAX_LINE_BYTES} bytes` },
        { line: 5, reason: `the line is longer than ${MAX_LINE_BYTES} bytes` },
      ]);
    }
  });

  it('rejects a line with a NUL byte and reads a last line that ends in a lone CR', () => {
    const out = parseAll(`${STREET.join(',')}\n${good(1)}\n${good(2).replace('Gate', 'G\u0000ate')}\n${good(3)}\r`, '2025-01-x-street.csv', 5);
    assert.deepEqual((out.rows as StreetBatch).persistentId, [id(1), id(3)]);
    assert.deepEqual(out.rejections.map((r) => [r.line, /NUL/.test(r.reason)]), [[3, true]]);
  });

  it('refuses a UTF-16 file and one whose header is too long, naming the problem', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${STREET.join(',')}\n${good(1)}\n`, 'utf16le')]);
    assert.match(parseAll(utf16, '2025-01-x-street.csv', 100).refused ?? '', /line 1 should be the header, but the file is UTF-16 encoded/);
    const noBom = Buffer.from(`${STREET.join(',')}\n`, 'utf16le');
    assert.match(parseAll(noBom, '2025-01-x-street.csv', 100).refused ?? '', /line 1 should be the header, but the line holds a NUL byte/);
    assert.match(parseAll(`${'a'.repeat(MAX_LINE_BYTES + 1)}\n${good(1)}\n`, '2025-01-x-street.csv', 4096).refused ?? '', /line 1 should be the header, but the line is longer/);
  });
});
