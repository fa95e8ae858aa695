/**
 * Rows travel from the parser to the writer column by column: a batch of plain
 * arrays crosses between threads several times faster than the same rows as
 * objects (no property names to copy for every row), and PostgreSQL's `unnest`
 * takes the columns as they are.
 */
import type { OutcomeRow, StopRow, StreetRow } from './csv-formats.ts';

interface Placed {
  /** Row count. */
  length: number;
  /** NaN when the row has no coordinates. */
  latitude: number[];
  longitude: number[];
}

export interface StreetBatch extends Placed {
  kind: 'street';
  persistentId: string[];
  location: string[];
  lsoaCode: string[];
  lsoaName: string[];
  category: string[];
  lastOutcome: string[];
  context: string[];
}

export interface OutcomeBatch extends Placed {
  kind: 'outcomes';
  persistentId: string[];
  location: string[];
  lsoaCode: string[];
  lsoaName: string[];
  outcomeCode: string[];
}

export interface StopBatch extends Placed {
  kind: 'stop-and-search';
  type: string[];
  datetime: string[];
  operation: (boolean | null)[];
  operationName: (string | null)[];
  gender: (string | null)[];
  ageRange: (string | null)[];
  selfDefinedEthnicity: (string | null)[];
  officerDefinedEthnicity: (string | null)[];
  legislation: (string | null)[];
  objectOfSearch: (string | null)[];
  outcome: string[];
  outcomeLinked: (boolean | null)[];
  removalOfOuterClothing: (boolean | null)[];
}

export type RowBatch = StreetBatch | OutcomeBatch | StopBatch;

export function emptyBatch(kind: RowBatch['kind']): RowBatch {
  const placed = { length: 0, latitude: [], longitude: [] };
  if (kind === 'street') {
    return { kind, ...placed, persistentId: [], location: [], lsoaCode: [], lsoaName: [], category: [], lastOutcome: [], context: [] };
  }
  if (kind === 'outcomes') return { kind, ...placed, persistentId: [], location: [], lsoaCode: [], lsoaName: [], outcomeCode: [] };
  return {
    kind, ...placed, type: [], datetime: [], operation: [], operationName: [], gender: [], ageRange: [], selfDefinedEthnicity: [],
    officerDefinedEthnicity: [], legislation: [], objectOfSearch: [], outcome: [], outcomeLinked: [], removalOfOuterClothing: [],
  };
}

/** Appends a row converted by csv-formats to a batch of its kind. */
export function appendRow(batch: RowBatch, row: StreetRow | OutcomeRow | StopRow): void {
  batch.length += 1;
  batch.latitude.push(row.point ? row.point.latitude : NaN);
  batch.longitude.push(row.point ? row.point.longitude : NaN);
  if (batch.kind === 'street') {
    const r = row as StreetRow;
    batch.persistentId.push(r.persistentId);
    batch.location.push(r.location);
    batch.lsoaCode.push(r.lsoaCode);
    batch.lsoaName.push(r.lsoaName);
    batch.category.push(r.category);
    batch.lastOutcome.push(r.lastOutcome);
    batch.context.push(r.context);
  } else if (batch.kind === 'outcomes') {
    const r = row as OutcomeRow;
    batch.persistentId.push(r.persistentId);
    batch.location.push(r.location);
    batch.lsoaCode.push(r.lsoaCode);
    batch.lsoaName.push(r.lsoaName);
    batch.outcomeCode.push(r.outcomeCode);
  } else {
    const r = row as StopRow;
    batch.type.push(r.type);
    batch.datetime.push(r.datetime);
    batch.operation.push(r.operation);
    batch.operationName.push(r.operationName);
    batch.gender.push(r.gender);
    batch.ageRange.push(r.ageRange);
    batch.selfDefinedEthnicity.push(r.selfDefinedEthnicity);
    batch.officerDefinedEthnicity.push(r.officerDefinedEthnicity);
    batch.legislation.push(r.legislation);
    batch.objectOfSearch.push(r.objectOfSearch);
    batch.outcome.push(r.outcome);
    batch.outcomeLinked.push(r.outcomeLinked);
    batch.removalOfOuterClothing.push(r.removalOfOuterClothing);
  }
}
