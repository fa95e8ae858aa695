/**
 * The only code that shapes crime and outcome JSON, exactly as data.police.uk
 * does: coordinates as 6-decimal strings, numeric ids, `YYYY-MM` months, empty
 * strings rather than nulls where upstream sends them.
 */
import type { SnapPoint } from './locations.repository.ts';
import type { AreaOutcomeRow, CrimeRow, OutcomeEventRow } from './crime.repository.ts';
import { outcomeName, outcomeStatusName } from './categories.ts';

export interface LocationJson {
  latitude: string;
  street: { id: number; name: string };
  longitude: string;
}

export function presentLocation(point: SnapPoint | undefined): LocationJson | null {
  if (!point) return null;
  return {
    latitude: point.latitude.toFixed(6),
    street: { id: point.id, name: point.street_name },
    longitude: point.longitude.toFixed(6),
  };
}

/**
 * The latest outcome: from the outcomes files when the crime has any, else the
 * street file's last outcome dated to the crime's month. Anti-social behaviour
 * has no crime id and never an outcome.
 */
function outcomeStatus(row: CrimeRow): { category: string; date: string } | null {
  if (row.persistent_id === '') return null;
  if (row.outcome_code && row.outcome_month) return { category: outcomeStatusName(row.outcome_code), date: row.outcome_month };
  if (row.last_outcome !== '') return { category: row.last_outcome, date: row.month };
  return null;
}

export function presentCrime(row: CrimeRow, point: SnapPoint | undefined) {
  return {
    category: row.category,
    location_type: point ? row.location_type : null,
    location: presentLocation(point),
    context: row.context,
    outcome_status: outcomeStatus(row),
    persistent_id: row.persistent_id,
    id: row.id,
    location_subtype: row.location_subtype,
    month: row.month,
  };
}

/** The crime as embedded in an outcome: the same fields less outcome_status. */
function presentEmbeddedCrime(row: CrimeRow, point: SnapPoint | undefined) {
  return {
    category: row.category,
    persistent_id: row.persistent_id,
    location_subtype: row.location_subtype,
    location_type: point ? row.location_type : null,
    location: presentLocation(point),
    context: row.context,
    month: row.month,
    id: row.id,
  };
}

function presentOutcomeCategory(code: string) {
  return { code, name: outcomeName(code) };
}

export function presentAreaOutcome(row: AreaOutcomeRow, point: SnapPoint | undefined) {
  return {
    category: presentOutcomeCategory(row.outcome_event_code),
    date: row.outcome_event_month,
    person_id: null,
    crime: presentEmbeddedCrime(row, point),
  };
}

export function presentCrimeHistory(crime: CrimeRow, point: SnapPoint | undefined, outcomes: OutcomeEventRow[]) {
  return {
    crime: presentEmbeddedCrime(crime, point),
    outcomes: outcomes.map((o) => ({ category: presentOutcomeCategory(o.outcome_code), date: o.month, person_id: null })),
  };
}
