/**
 * The three data.police.uk CSV formats: their headers, and the check and
 * conversion of each row. A row that fails gets a reason a person can act on;
 * the caller skips it and keeps the rest of the file.
 */
import type { DatasetKind, Month } from '../store/database.ts';
import { DATASET_KINDS } from '../store/column-values.ts';
import { crimeCategorySlug, outcomeCode } from '../crime/categories.ts';

export const HEADERS: Record<DatasetKind, readonly string[]> = {
  street: [
    'Crime ID', 'Month', 'Reported by', 'Falls within', 'Longitude', 'Latitude', 'Location',
    'LSOA code', 'LSOA name', 'Crime type', 'Last outcome category', 'Context',
  ],
  outcomes: [
    'Crime ID', 'Month', 'Reported by', 'Falls within', 'Longitude', 'Latitude', 'Location',
    'LSOA code', 'LSOA name', 'Outcome type',
  ],
  'stop-and-search': [
    'Type', 'Date', 'Part of a policing operation', 'Policing operation', 'Latitude', 'Longitude',
    'Gender', 'Age range', 'Self-defined ethnicity', 'Officer-defined ethnicity', 'Legislation',
    'Object of search', 'Outcome', 'Outcome linked to object of search', 'Removal of more than just outer clothing',
  ],
};

/** Which kind a header row belongs to, or undefined when it matches none. */
export function kindOfHeader(header: readonly string[]): DatasetKind | undefined {
  const cleaned = header.map((h) => h.trim());
  for (const kind of DATASET_KINDS) {
    const expected = HEADERS[kind];
    if (cleaned.length === expected.length && expected.every((h, i) => h === cleaned[i])) return kind;
  }
  return undefined;
}

export class RowError extends Error {}

export interface Point {
  latitude: number;
  longitude: number;
}

export interface StreetRow {
  persistentId: string;
  month: Month;
  point: Point | null;
  location: string;
  lsoaCode: string;
  lsoaName: string;
  category: string;
  lastOutcome: string;
  context: string;
}

export interface OutcomeRow {
  persistentId: string;
  month: Month;
  point: Point | null;
  location: string;
  lsoaCode: string;
  lsoaName: string;
  outcomeCode: string;
}

export interface StopRow {
  type: string;
  datetime: string;
  operation: boolean | null;
  operationName: string | null;
  point: Point | null;
  gender: string | null;
  ageRange: string | null;
  selfDefinedEthnicity: string | null;
  officerDefinedEthnicity: string | null;
  legislation: string | null;
  objectOfSearch: string | null;
  outcome: string;
  outcomeLinked: boolean | null;
  removalOfOuterClothing: boolean | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

function month(value: string, fileMonth: Month): Month {
  const m = value.trim();
  if (!MONTH.test(m)) throw new RowError(`Month "${value}" is not YYYY-MM`);
  // Re-importing a file replaces its force and month; a stray month would escape that.
  if (m !== fileMonth) throw new RowError(`Month ${m} differs from the file's month ${fileMonth}`);
  return m;
}

/** Longitude and latitude are both present and valid, or both empty (an unplaced crime). */
function point(lngText: string, latText: string): Point | null {
  const lng = lngText.trim();
  const lat = latText.trim();
  if (lng === '' && lat === '') return null;
  if (lng === '' || lat === '') throw new RowError('only one of Latitude and Longitude is given');
  if (!NUMBER.test(lat) || !NUMBER.test(lng)) throw new RowError(`coordinates "${latText}, ${lngText}" are not numbers`);
  const latitude = Number(lat);
  const longitude = Number(lng);
  if (latitude < -90 || latitude > 90) throw new RowError(`Latitude ${lat} is outside -90 to 90`);
  if (longitude < -180 || longitude > 180) throw new RowError(`Longitude ${lng} is outside -180 to 180`);
  return { latitude, longitude };
}

/**
 * The longest Crime ID or Location kept, in characters. Both are indexed, and
 * PostgreSQL refuses an index entry over 2,704 bytes, failing the whole file
 * for one row; published ones are 64 and under 100.
 */
export const MAX_INDEXED_CHARS = 500;

function crimeId(value: string): string {
  const id = value.trim();
  if (id.length > MAX_INDEXED_CHARS) throw new RowError(`Crime ID is longer than ${MAX_INDEXED_CHARS} characters`);
  if (id !== '' && /\s/.test(id)) throw new RowError(`Crime ID "${value}" contains spaces`);
  return id;
}

function checkedLocation(value: string): string {
  if (value.length > MAX_INDEXED_CHARS) throw new RowError(`Location is longer than ${MAX_INDEXED_CHARS} characters`);
  return value;
}

function optional(value: string): string | null {
  const v = value.trim();
  return v === '' ? null : v;
}

function bool(value: string, column: string): boolean | null {
  const v = value.trim().toLowerCase();
  if (v === '') return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new RowError(`${column} "${value}" is not True or False`);
}

// Cells are indexed by position: the header has been checked already, and
// noUncheckedIndexedAccess is satisfied by the length check in each parser.
function cells(record: string[], kind: DatasetKind): string[] {
  const expected = HEADERS[kind].length;
  if (record.length !== expected) {
    throw new RowError(`has ${record.length} fields where the header has ${expected}`);
  }
  return record;
}

export function parseStreetRow(record: string[], fileMonth: Month): StreetRow {
  const [id, m, , , lng, lat, location, lsoaCode, lsoaName, type, lastOutcome, context] = cells(record, 'street') as [
    string, string, string, string, string, string, string, string, string, string, string, string,
  ];
  const category = crimeCategorySlug(type);
  if (!category) throw new RowError(`Crime type "${type}" is not a known category`);
  return {
    persistentId: crimeId(id),
    month: month(m, fileMonth),
    point: point(lng, lat),
    // Kept as published: the API gives `On or near ` (trailing space) for unnamed Northern Ireland streets.
    location: checkedLocation(location),
    lsoaCode: lsoaCode.trim(),
    lsoaName: lsoaName.trim(),
    category,
    lastOutcome: lastOutcome.trim(),
    context: context.trim(),
  };
}

export function parseOutcomeRow(record: string[], fileMonth: Month): OutcomeRow {
  const [id, m, , , lng, lat, location, lsoaCode, lsoaName, type] = cells(record, 'outcomes') as [
    string, string, string, string, string, string, string, string, string, string,
  ];
  const persistentId = crimeId(id);
  if (persistentId === '') throw new RowError('Crime ID is empty; an outcome must name its crime');
  if (type.trim() === '') throw new RowError('Outcome type is empty');
  return {
    persistentId,
    month: month(m, fileMonth),
    point: point(lng, lat),
    // Kept as published: the API gives `On or near ` (trailing space) for unnamed Northern Ireland streets.
    location: checkedLocation(location),
    lsoaCode: lsoaCode.trim(),
    lsoaName: lsoaName.trim(),
    outcomeCode: outcomeCode(type),
  };
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseStopRow(record: string[]): StopRow {
  const [type, date, partOf, operationName, lat, lng, gender, age, selfEth, officerEth, legislation, object, outcome, linked, removal] =
    cells(record, 'stop-and-search') as [
      string, string, string, string, string, string, string, string, string, string, string, string, string, string, string,
    ];
  const t = type.trim();
  if (t === '') throw new RowError('Type is empty');
  const d = date.trim();
  if (!ISO_DATETIME.test(d) || Number.isNaN(Date.parse(d))) throw new RowError(`Date "${date}" is not an ISO 8601 date and time`);
  return {
    type: t,
    datetime: d,
    operation: bool(partOf, 'Part of a policing operation'),
    operationName: optional(operationName),
    point: point(lng, lat),
    gender: optional(gender),
    ageRange: optional(age),
    selfDefinedEthnicity: optional(selfEth),
    officerDefinedEthnicity: optional(officerEth),
    legislation: optional(legislation),
    objectOfSearch: optional(object),
    outcome: outcome.trim(),
    outcomeLinked: bool(linked, 'Outcome linked to object of search'),
    removalOfOuterClothing: bool(removal, 'Removal of more than just outer clothing'),
  };
}
