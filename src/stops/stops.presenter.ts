/**
 * Stop and search JSON as data.police.uk shapes it. The CSV gives the outcome's
 * name only; upstream's `outcome_object.id` codes are derived from it.
 */
import { presentLocation } from '../crime/crime.presenter.ts';
import type { SnapPoint } from '../crime/locations.repository.ts';
import type { StopRow } from './stops.repository.ts';

const OUTCOME_IDS: Record<string, string> = {
  'a no further action disposal': 'bu-no-further-action',
  'nothing found - no further action': 'bu-no-further-action',
  arrest: 'bu-arrest',
  'suspect arrested': 'bu-arrest',
  'community resolution': 'bu-community-resolution',
  'local resolution': 'bu-community-resolution',
  'summons / charged by post': 'bu-summons',
  'suspect summonsed to court': 'bu-summons',
  'caution (simple or conditional)': 'bu-caution',
  'penalty notice for disorder': 'bu-penalty-notice',
  'offender given penalty notice': 'bu-penalty-notice',
  'khat or cannabis warning': 'bu-khat-or-cannabis-warning',
  'offender given drugs possession warning': 'bu-khat-or-cannabis-warning',
};

export function stopOutcomeObject(outcome: string): { id: string; name: string } {
  if (outcome === '') return { id: '', name: '' };
  const known = OUTCOME_IDS[outcome.toLowerCase()];
  return { id: known ?? `bu-${outcome.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`, name: outcome };
}

function bool(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function presentStop(row: StopRow, point: SnapPoint | undefined) {
  return {
    age_range: row.age_range,
    officer_defined_ethnicity: row.officer_defined_ethnicity,
    involved_person: row.involved_person === 1,
    self_defined_ethnicity: row.self_defined_ethnicity,
    gender: row.gender,
    legislation: row.legislation,
    outcome_linked_to_object_of_search: bool(row.outcome_linked),
    datetime: row.datetime,
    outcome_object: stopOutcomeObject(row.outcome),
    location: presentLocation(point),
    object_of_search: row.object_of_search,
    operation: bool(row.operation),
    outcome: row.outcome,
    type: row.type,
    operation_name: row.operation_name,
    removal_of_more_than_outer_clothing: bool(row.removal_of_outer_clothing),
  };
}
