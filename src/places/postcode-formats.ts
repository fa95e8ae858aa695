/**
 * The postcode files the importer reads, recognised by their header, and the
 * check of each row. A row becomes a postcode to store, a postcode to remove
 * (terminated, or no longer placed), or a rejection with its reason.
 */
import type { PostcodeRow } from './postcodes.repository.ts';
import { normalisePostcode, outwardCode } from './postcode.ts';

export type PostcodeFormat = 'onspd' | 'csv';

export interface ColumnMap {
  format: PostcodeFormat;
  /** Fields a row must have: one past the highest column used. */
  width: number;
  postcode: number;
  latitude: number;
  longitude: number;
  terminated?: number;
  localAuthority?: number;
}

export type RowResult =
  | { kind: 'live'; row: PostcodeRow }
  | { kind: 'terminated'; postcode: string }
  | { kind: 'no-coordinates'; postcode: string }
  | { kind: 'bad'; reason: string };

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; reason: string };

/** ONSPD writes this latitude (with longitude 0) for a postcode it cannot place. */
const ONSPD_NO_LATITUDE = 99.999999;
/** ONS pseudo-codes (E99999999…) mean "no local authority". */
const PSEUDO_CODE = /^[A-Z]99999999$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

const CODE_POINT_HINT =
  'This looks like OS Code-Point Open, which places postcodes by eastings and northings (British National Grid), ' +
  'not latitude and longitude. Import the ONS Postcode Directory (ONSPD) instead, or convert the file to ' +
  'postcode, latitude and longitude columns first.';

function firstOf(names: readonly string[], wanted: readonly string[]): number | undefined {
  for (const w of wanted) {
    const i = names.indexOf(w);
    if (i >= 0) return i;
  }
  return undefined;
}

/**
 * Recognises the file by its first record: the ONS Postcode Directory (`pcds`,
 * `lat`, `long`, `doterm`, `oslaua` or `lad..cd`) or any CSV with postcode,
 * latitude and longitude columns (Code-Point Open converted to WGS84, say).
 */
export function columnsFromHeader(fields: readonly string[]): HeaderResult {
  const names = fields.map((f) => f.trim().toLowerCase());
  const onspd = names.includes('pcds') || (names.includes('pcd') && names.includes('doterm'));
  const postcode = firstOf(names, onspd ? ['pcds', 'pcd', 'pcd2', 'pcd7', 'pcd8'] : ['postcode', 'pcds', 'pcd', 'post_code', 'post code']);
  const latitude = firstOf(names, ['lat', 'latitude']);
  const longitude = firstOf(names, ['long', 'longitude', 'lng', 'lon']);
  if (postcode === undefined || latitude === undefined || longitude === undefined) {
    if (fields.length >= 4 && normalisePostcode(fields[0] ?? '') !== undefined && NUMBER.test((fields[2] ?? '').trim())) {
      return { ok: false, reason: CODE_POINT_HINT };
    }
    const missing = [postcode === undefined ? 'postcode (pcds)' : '', latitude === undefined ? 'latitude (lat)' : '', longitude === undefined ? 'longitude (long)' : '']
      .filter((m) => m !== '')
      .join(', ');
    return {
      ok: false,
      reason: `the first line must be a header naming the columns; no ${missing} column was found. Expected an ONS Postcode Directory CSV (pcds, lat, long, doterm) or a CSV with postcode, latitude and longitude columns.`,
    };
  }
  const terminated = firstOf(names, ['doterm']);
  const localAuthority = names.findIndex((n) => n === 'oslaua' || /^lad\d{2}cd$/.test(n) || n === 'local_authority_code' || n === 'admin_district_code');
  const used = [postcode, latitude, longitude, terminated ?? -1, localAuthority];
  return {
    ok: true,
    columns: {
      format: onspd ? 'onspd' : 'csv',
      width: Math.max(...used) + 1,
      postcode,
      latitude,
      longitude,
      ...(terminated !== undefined ? { terminated } : {}),
      ...(localAuthority >= 0 ? { localAuthority } : {}),
    },
  };
}

function coordinate(text: string, name: string, limit: number): number | string {
  if (!NUMBER.test(text)) return `${name} "${text}" is not a number`;
  const value = Number(text);
  if (Math.abs(value) > limit) return `${name} ${text} is outside -${limit} to ${limit}`;
  return value;
}

/** Checks one data row against the header's columns. */
export function convertRow(fields: readonly string[], columns: ColumnMap): RowResult {
  if (fields.length < columns.width) return { kind: 'bad', reason: `has ${fields.length} fields; the header promises at least ${columns.width}` };
  const cell = (i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());
  const rawPostcode = cell(columns.postcode);
  const postcode = normalisePostcode(rawPostcode);
  if (postcode === undefined) return { kind: 'bad', reason: rawPostcode === '' ? 'no postcode' : `"${rawPostcode}" is not a UK postcode` };
  if (cell(columns.terminated) !== '') return { kind: 'terminated', postcode };

  const latText = cell(columns.latitude);
  const lngText = cell(columns.longitude);
  if (latText === '' || lngText === '') return { kind: 'no-coordinates', postcode };
  // Before the range check: the marker is itself out of range.
  if (columns.format === 'onspd' && Number(latText) === ONSPD_NO_LATITUDE) return { kind: 'no-coordinates', postcode };
  const latitude = coordinate(latText, 'latitude', 90);
  const longitude = coordinate(lngText, 'longitude', 180);
  if (typeof latitude === 'string') return { kind: 'bad', reason: `${postcode}: ${latitude}` };
  if (typeof longitude === 'string') return { kind: 'bad', reason: `${postcode}: ${longitude}` };

  const la = cell(columns.localAuthority);
  return {
    kind: 'live',
    row: {
      postcode,
      outward: outwardCode(postcode),
      latitude,
      longitude,
      local_authority_code: la === '' || PSEUDO_CODE.test(la) ? null : la,
      source: columns.format,
    },
  };
}
