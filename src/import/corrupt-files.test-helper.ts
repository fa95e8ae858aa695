/**
 * Generated data.police.uk files and the ways they get damaged, for the
 * importer's property tests: stray quotes, huge fields, cut lines and files,
 * repeated headers, Latin-1 and UTF-16, NUL and other stray bytes, broken zips.
 * Each file remembers which of its rows no damage touched, so a test can ask
 * that every one of them was read whatever happened to its neighbours.
 */
import fc from 'fast-check';
import type { DatasetKind } from '../store/database.ts';
import { HEADERS } from './csv-formats.ts';
import { csvLine, id, outcomeRow, stopRow, streetRow } from './test-fixtures.ts';

export const FORCE_ID = 'fuzzshire';
export const MONTHS = ['2024-01', '2024-02'] as const;
export const KINDS: DatasetKind[] = ['street', 'outcomes', 'stop-and-search'];

export type Damage =
  | { t: 'quote'; line: number; at: number }
  | { t: 'huge'; line: number; field: number; size: number; fill: 'a' | 'é' | 'random'; quoted: boolean }
  | { t: 'header'; line: number }
  | { t: 'blank'; line: number }
  | { t: 'latin1'; line: number }
  | { t: 'bytes'; line: number; at: number; bytes: Uint8Array }
  | { t: 'cut'; line: number; at: number }
  | { t: 'truncate'; at: number }
  | { t: 'utf16' };

export interface FilePlan {
  kind: DatasetKind;
  month: (typeof MONTHS)[number];
  rows: number;
  crlf: boolean;
  bom: boolean;
  damage: Damage[];
}

const at = fc.nat({ max: 10_000 });
const line = fc.nat({ max: 100 });

export const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ t: fc.constant('quote' as const), line, at }),
  fc.record({
    t: fc.constant('huge' as const), line, field: fc.nat({ max: 14 }),
    // Under and over the line limit; random letters do not compress, as PostgreSQL's index entries would need.
    size: fc.constantFrom(3_000, 12_000, 40_000), fill: fc.constantFrom('a' as const, 'é' as const, 'random' as const), quoted: fc.boolean(),
  }),
  fc.record({ t: fc.constant('header' as const), line }),
  fc.record({ t: fc.constant('blank' as const), line }),
  fc.record({ t: fc.constant('latin1' as const), line }),
  fc.record({ t: fc.constant('bytes' as const), line, at, bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }) }),
  fc.record({ t: fc.constant('cut' as const), line, at }),
  fc.record({ t: fc.constant('truncate' as const), at }),
  fc.record({ t: fc.constant('utf16' as const) }),
);

export const filePlanArb: fc.Arbitrary<FilePlan> = fc.record({
  kind: fc.constantFrom(...KINDS),
  month: fc.constantFrom(...MONTHS),
  rows: fc.nat({ max: 30 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  damage: fc.array(damageArb, { maxLength: 4 }),
});

let serial = 0;

/** A good row of `kind` and the key it is stored under (Crime ID, or a stop's date): unique for the whole test run. */
export function goodRow(kind: DatasetKind, month: string): { cells: string[]; key: string } {
  const n = ++serial;
  const point: [string, string] = [(-1 - (n % 50) / 1000).toFixed(6), (52 + (n % 50) / 1000).toFixed(6)];
  if (kind === 'street') {
    return { cells: streetRow(id(n), month, n % 9 === 0 ? null : point, `Fuzz Street ${n % 5}`, 'Burglary'), key: id(n) };
  }
  if (kind === 'outcomes') {
    // Crime IDs of their own, so no outcome reaches into the street data of another month.
    const crime = id(1_000_000_000 + n);
    return { cells: outcomeRow(crime, month, point, `Fuzz Street ${n % 5}`, 'Local resolution'), key: crime };
  }
  const date = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)) - 1, 1) + n * 1000).toISOString();
  const datetime = `${date.slice(0, 19)}+00:00`;
  return { cells: stopRow('Person search', datetime, [point[1], point[0]], 'True', 'False'), key: datetime };
}

export interface BuiltFile {
  name: string;
  bytes: Buffer;
  /** Keys of rows no damage touched, all read when the file is imported; undefined when the header itself was hit. */
  intact: Set<string> | undefined;
}

function filler(size: number, fill: 'a' | 'é' | 'random', seed: number): string {
  if (fill !== 'random') return fill.repeat(size);
  let x = seed * 2654435761 + 1;
  let text = '';
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    text += String.fromCharCode(97 + ((x >>> 16) % 26));
  }
  return text;
}

/** Writes the file a plan describes, damage and all. */
export function buildFile(plan: FilePlan): BuiltFile {
  const name = `${plan.month}-${FORCE_ID}-${plan.kind}.csv`;
  const rows = Array.from({ length: plan.rows }, () => goodRow(plan.kind, plan.month));
  const lines: { bytes: Buffer; row?: number }[] = rows.map((r, i) => ({ bytes: Buffer.from(csvLine(r.cells)), row: i }));
  const touched = new Set<number>();
  const rowLine = (n: number) => lines.findIndex((l) => l.row === n % plan.rows);
  let whole: 'truncate' | 'utf16' | undefined;
  let truncateAt = 0;
  for (const d of plan.damage) {
    if (d.t === 'header' || d.t === 'blank') {
      const text = d.t === 'header' ? HEADERS[plan.kind].join(',') : '';
      lines.splice(d.line % (lines.length + 1), 0, { bytes: Buffer.from(text) });
      continue;
    }
    if (d.t === 'truncate' || d.t === 'utf16') {
      whole = d.t;
      truncateAt = d.t === 'truncate' ? d.at : 0;
      continue;
    }
    if (plan.rows === 0) continue;
    const target = lines[rowLine(d.line)]!;
    touched.add(target.row!);
    const b = target.bytes;
    const pos = (d.t === 'quote' || d.t === 'bytes' || d.t === 'cut') ? d.at % (b.length + 1) : 0;
    if (d.t === 'quote') target.bytes = Buffer.concat([b.subarray(0, pos), Buffer.from('"'), b.subarray(pos)]);
    else if (d.t === 'bytes') target.bytes = Buffer.concat([b.subarray(0, pos), Buffer.from(d.bytes), b.subarray(pos)]);
    else if (d.t === 'cut') target.bytes = b.subarray(0, pos);
    else if (d.t === 'latin1') target.bytes = Buffer.from(b.toString().replace('Fuzz', 'Fûzz Café'), 'latin1');
    else {
      const cells = rows[target.row!]!.cells.map((c) => csvLine([c]));
      const text = filler(d.size, d.fill, d.line + d.field);
      cells[d.field % cells.length] = d.quoted ? `"${text}"` : text;
      target.bytes = Buffer.from(cells.join(','));
    }
  }
  const eol = Buffer.from(plan.crlf ? '\r\n' : '\n');
  const parts: Buffer[] = [Buffer.from(plan.bom ? '\uFEFF' : ''), Buffer.from(HEADERS[plan.kind].join(',')), eol];
  const ends: { row?: number; end: number }[] = [];
  let length = parts[0]!.length + parts[1]!.length + eol.length;
  for (const l of lines) {
    parts.push(l.bytes, eol);
    length += l.bytes.length;
    ends.push({ row: l.row, end: length });
    length += eol.length;
  }
  let bytes = Buffer.concat(parts);
  let headerHit = false;
  if (whole === 'utf16') {
    bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
    headerHit = true;
  } else if (whole === 'truncate') {
    const cut = truncateAt % (bytes.length + 1);
    bytes = bytes.subarray(0, cut);
    headerHit = cut < parts[0]!.length + parts[1]!.length;
    for (const e of ends) if (e.row !== undefined && e.end > cut) touched.add(e.row);
  }
  const intact = headerHit ? undefined : new Set(rows.filter((_, i) => !touched.has(i)).map((r) => r.key));
  return { name, bytes, intact };
}
