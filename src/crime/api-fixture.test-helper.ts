/**
 * A small, hand-made force for API tests: two months of street crime around one
 * point, an outcomes file and a stop-and-search file, imported through the real
 * importer so the tests cover the same path real data takes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { importSources } from '../import/import.service.ts';
import type { Store } from '../store/store.ts';

export const CENTRE = { lat: 52.0, lng: -1.0 };
export const ID = {
  burglary: 'a'.repeat(64),
  theft: 'b'.repeat(64),
  far: 'c'.repeat(64),
  unplaced: 'd'.repeat(64),
  penalty: 'e'.repeat(64),
  older: 'f'.repeat(64),
};

const STREET_HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const force = 'Testshire Police,Testshire Police';

// About 0.005° of latitude is 556 m: inside the mile. 0.02° is 2.2 km: outside.
export const STREET_2025_01 = [
  STREET_HEADER,
  `${ID.older},2025-01,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Burglary,Under investigation,`,
].join('\n');

export const STREET_2025_02 = [
  STREET_HEADER,
  `${ID.burglary},2025-02,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Burglary,Under investigation,`,
  `${ID.theft},2025-02,${force},-1.000000,52.005000,On or near Mill Lane,E01000002,Testtown 002A,Other theft,Unable to prosecute suspect,`,
  `,2025-02,${force},-1.000000,52.005000,On or near Mill Lane,E01000002,Testtown 002A,Anti-social behaviour,,`,
  `${ID.far},2025-02,${force},-1.000000,52.020000,On or near Far Road,E01000003,Testtown 003A,Burglary,Investigation complete; no suspect identified,`,
  `${ID.unplaced},2025-02,${force},,,No Location,,,Vehicle crime,Under investigation,`,
  `${ID.penalty},2025-02,${force},-1.002000,52.001000,On or near Church Road,E01000001,"Testtown, North 001A",Public order,Offender given penalty notice,`,
].join('\r\n');

const OUTCOME_HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type';
export const OUTCOMES_2025_02 = [
  OUTCOME_HEADER,
  `${ID.burglary},2025-02,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Under investigation`,
  `${ID.burglary},2025-02,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Suspect charged`,
  `${ID.burglary},2025-02,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Suspect charged`,
  `${ID.older},2025-02,${force},-1.000000,52.000000,On or near High Street,E01000001,"Testtown, North 001A",Unable to prosecute suspect`,
].join('\n');

const STOP_HEADER =
  'Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more than just outer clothing';
export const STOPS_2025_02 = [
  STOP_HEADER,
  'Person search,2025-02-03T10:25:00+00:00,False,,52.000000,-1.000000,Male,18-24,Other ethnic group - Not stated,White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,False,False',
  'Vehicle search,2025-02-04T11:00:00+00:00,,,,,,,,,Police and Criminal Evidence Act 1984 (section 1),Stolen goods,Arrest,True,',
].join('\n');

export async function loadFixture(store: Store): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'safe-fixture-'));
  const files: [string, string][] = [
    ['2025-01-testshire-street.csv', STREET_2025_01],
    ['2025-02-testshire-street.csv', STREET_2025_02],
    ['2025-02-testshire-outcomes.csv', OUTCOMES_2025_02],
    ['2025-02-testshire-stop-and-search.csv', STOPS_2025_02],
  ];
  try {
    for (const [name, text] of files) await writeFile(join(dir, name), text);
    const report = await importSources(store, [dir]);
    const bad = report.files.filter((f) => f.status !== 'imported' || f.rejected > 0);
    if (bad.length > 0 || report.files.length !== files.length) throw new Error(`fixture did not import: ${JSON.stringify(report)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An app over the store with quiet logs; extra settings as environment strings. */
export function testApp(store: Store, settings: Record<string, string> = {}) {
  return buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0', ...settings }));
}
