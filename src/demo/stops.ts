/**
 * Stop and search records, with the vocabulary forces publish today (the City
 * of London 2026 files): mostly drugs searches of young men that find nothing,
 * some arrests, and a share published without a location.
 */
import type { StopRow } from '../import/csv-formats.ts';
import { daysIn } from './months.ts';
import { Rng, WeightedTable } from './random.ts';
import { SNAP_POINTS, type PlaceKind, type SnapPoint } from './snap-points.ts';
import { season } from './crimes.ts';

type Table<T> = readonly (readonly [T, number])[];

const TYPES: Table<string> = [['Person search', 84], ['Person and Vehicle search', 12], ['Vehicle search', 4]];

const MISUSE_OF_DRUGS = 'Misuse of Drugs Act 1971 (section 23)';
const PACE = 'Police and Criminal Evidence Act 1984 (section 1)';
const SECTION_60 = 'Criminal Justice and Public Order Act 1994 (section 60)';
const FIREARMS = 'Firearms Act 1968 (section 47)';
const LEGISLATION: Table<string | null> = [[MISUSE_OF_DRUGS, 62], [PACE, 32], [SECTION_60, 3], [FIREARMS, 1], [null, 2]];

const PACE_OBJECTS: Table<string> = [
  ['Stolen goods', 35], ['Offensive weapons', 30], ['Articles for use in criminal damage', 10],
  ['Anything to threaten or harm anyone', 10], ['Article for use in theft', 10], ['Fireworks', 5],
];

const GENDERS: Table<string | null> = [['Male', 87], ['Female', 12], ['Other', 0.5], [null, 0.5]];
const AGES: Table<string | null> = [['under 10', 0.2], ['10-17', 18], ['18-24', 36], ['25-34', 25], ['over 34', 19], [null, 1.8]];

/** Self-defined ethnicity with the broad group an officer would most likely record. */
const ETHNICITIES: Table<readonly [string, string | null]> = [
  [['White - English/Welsh/Scottish/Northern Irish/British', 'White'], 70],
  [['White - Any other White background', 'White'], 7],
  [['Black/African/Caribbean/Black British - African', 'Black'], 4],
  [['Black/African/Caribbean/Black British - Caribbean', 'Black'], 2],
  [['Asian/Asian British - Pakistani', 'Asian'], 2],
  [['Asian/Asian British - Indian', 'Asian'], 1.5],
  [['Asian/Asian British - Bangladeshi', 'Asian'], 1],
  [['Mixed/Multiple ethnic groups - White and Black Caribbean', 'Black'], 2],
  [['Other ethnic group - Any other ethnic group', 'Other'], 1.5],
  [['Other ethnic group - Not stated', 'White'], 9],
];

const OUTCOMES: Table<string> = [
  ['A no further action disposal', 70], ['Arrest', 13], ['Community resolution', 8], ['Khat or Cannabis warning', 4],
  ['Penalty Notice for Disorder', 2], ['Summons / charged by post', 2], ['Caution (simple or conditional)', 1],
];

/** Hours of the day, weighted towards afternoons and evenings as searches are. */
const HOURS: Table<number> = Array.from({ length: 24 }, (_, h) => [h, h < 6 ? 2 : h < 12 ? 3 : h < 16 ? 5 : h < 23 ? 8 : 4] as const);

const STOP_PULL: Partial<Record<PlaceKind, number>> = { main: 2, night: 2.5, transport: 2.5, open: 1.5, street: 0.8, parking: 1.2, public: 0.7 };
const UNPLACED_SHARE = 0.15;

/**
 * Searches happen where crime is, and using only busy points means a search
 * point has already been named by a crime: the writer would otherwise store it
 * as a location with no street name.
 */
function busiestPoints(): SnapPoint[] {
  const sorted = [...SNAP_POINTS].sort((a, b) => b.popularity - a.popularity);
  return sorted.slice(0, Math.ceil(sorted.length / 3));
}

const tables = {
  type: new WeightedTable(TYPES),
  legislation: new WeightedTable(LEGISLATION),
  paceObject: new WeightedTable(PACE_OBJECTS),
  gender: new WeightedTable(GENDERS),
  age: new WeightedTable(AGES),
  ethnicity: new WeightedTable(ETHNICITIES),
  // Cannabis warnings are only given after drugs searches.
  outcome: new WeightedTable(OUTCOMES.filter(([o]) => o !== 'Khat or Cannabis warning')),
  drugsOutcome: new WeightedTable(OUTCOMES),
  hour: new WeightedTable(HOURS),
  place: new WeightedTable(busiestPoints().map((s) => [s, s.popularity * (STOP_PULL[s.kind] ?? 1)] as const)),
};

function objectFor(legislation: string | null, rng: Rng): string | null {
  if (legislation === MISUSE_OF_DRUGS) return 'Controlled drugs';
  if (legislation === PACE) return tables.paceObject.sample(rng);
  if (legislation === SECTION_60) return 'Offensive weapons';
  if (legislation === FIREARMS) return 'Firearms';
  return null;
}

function stop(month: string, rng: Rng): StopRow {
  const type = tables.type.sample(rng);
  const legislation = tables.legislation.sample(rng);
  const outcome = (legislation === MISUSE_OF_DRUGS ? tables.drugsOutcome : tables.outcome).sample(rng);
  // A search of an empty vehicle has nobody to describe.
  const person = type !== 'Vehicle search';
  const [selfDefined, officerDefined] = person ? tables.ethnicity.sample(rng) : [null, null];
  const snap: SnapPoint | null = rng.chance(UNPLACED_SHARE) ? null : tables.place.sample(rng);
  const operation = rng.chance(0.06);
  const day = String(rng.int(1, daysIn(month))).padStart(2, '0');
  // Some records carry only the date, published as midnight, as upstream warns.
  const time = rng.chance(0.04) ? '00:00' : `${String(tables.hour.sample(rng)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
  return {
    type,
    datetime: `${month}-${day}T${time}:00+00:00`,
    operation: rng.chance(0.05) ? null : operation,
    operationName: operation ? rng.pick(['Operation Bracken', 'Operation Nightguard']) : null,
    point: snap ? snap.point : null,
    gender: person ? tables.gender.sample(rng) : null,
    ageRange: person ? tables.age.sample(rng) : null,
    selfDefinedEthnicity: selfDefined,
    officerDefinedEthnicity: officerDefined,
    legislation,
    objectOfSearch: objectFor(legislation, rng),
    outcome,
    outcomeLinked: outcome === 'A no further action disposal' ? false : rng.chance(0.7),
    removalOfOuterClothing: rng.chance(0.02) ? null : rng.chance(0.03),
  };
}

/** Between roughly 50 and 150 searches a month, more in summer; sorted by time as published. */
export function stopsForMonth(seed: number, month: string): StopRow[] {
  const rng = new Rng(`demo-stops-${seed}-${month}`);
  const count = Math.max(50, Math.min(150, Math.round(90 * (1 + 0.15 * season(month)) + rng.int(-30, 30))));
  const rows = Array.from({ length: count }, () => stop(month, rng));
  return rows.sort((a, b) => (a.datetime < b.datetime ? -1 : a.datetime > b.datetime ? 1 : 0));
}
