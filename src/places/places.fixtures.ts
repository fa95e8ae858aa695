/**
 * Test data for place search, all fictional: ONSPD-shaped CSV text built row by
 * row, and three forces whose square neighbourhoods make every branch of the
 * search reachable (shared edges, one name in two forces, an unlisted force
 * overlapping a listed one, a name holding LIKE wildcards).
 */
import type { Kysely } from 'kysely';
import type { ForceData, LatLng, NeighbourhoodData } from '../neighbourhoods/neighbourhood.types.ts';
import { saveForce, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Database } from '../store/database.ts';
import { upsertPostcodes } from './postcodes.repository.ts';

/** A real ONSPD header, cut down: the columns keep their names and relative order. */
export const ONSPD_HEADER = '"pcd","pcd2","pcds","dointr","doterm","oscty","oslaua","osward","usertype","oseast1m","osnrth1m","osgrdind","ctry","lat","long","pfa"';

export interface OnspdRow {
  pcds: string;
  lat: string;
  long: string;
  doterm?: string;
  oslaua?: string;
}

/** One data line the way ONSPD writes it: every field quoted, pcd padded to 7 characters. */
export function onspdLine(r: OnspdRow): string {
  const compact = r.pcds.replace(/\s+/g, '');
  const pcd = compact.length >= 7 ? compact : `${compact.slice(0, -3).padEnd(4, ' ')}${compact.slice(-3)}`;
  const fields = [pcd, pcd, r.pcds, '198001', r.doterm ?? '', 'E99999999', r.oslaua ?? 'E07000094', 'E05012345', '0', '448100', '129600', '1', 'E92000001', r.lat, r.long, 'E23000030'];
  return fields.map((f) => `"${f}"`).join(',');
}

export function onspdCsv(rows: readonly OnspdRow[]): string {
  return [ONSPD_HEADER, ...rows.map(onspdLine)].join('\r\n') + '\r\n';
}

function square(south: number, west: number, size = 0.01): LatLng[] {
  const corners: Array<[number, number]> = [
    [south, west],
    [south + size, west],
    [south + size, west + size],
    [south, west + size],
    [south, west],
  ];
  return corners.map(([latitude, longitude]) => ({ latitude, longitude }));
}

function force(id: string, name: string, listed = true): ForceData {
  return { id, name, url: null, telephone: '101', description: null, engagement_methods: [], listed, isDemo: false, people: [] };
}

function hood(id: string, name: string, boundary: LatLng[]): NeighbourhoodData {
  return { id, name, description: null, url_force: null, population: '0', centre: null, contact_details: {}, links: [], locations: [], boundary, people: [], events: [], priorities: [] };
}

export const PLACES = {
  /** Inside alpha/town-centre (and inside gamma's station, which must lose to the listed force). */
  alphaCentre: { latitude: 51.005, longitude: -0.995 },
  alphaNorth: { latitude: 51.015, longitude: -0.995 },
  /** On the edge alpha/town-centre and alpha/northgate share. */
  alphaEdge: { latitude: 51.01, longitude: -0.995 },
  betaRiverside: { latitude: 52.015, longitude: -1.995 },
  /** Outside every fixture neighbourhood. */
  nowhere: { latitude: 53.5, longitude: -3.2 },
} as const;

/** Postcodes (fictional ZZ area): ZZ1 spans two alpha neighbourhoods, ZZ3 lies in one, ZZ9 outside all. */
export const FIXTURE_POSTCODES = [
  { postcode: 'ZZ1 1AA', ...PLACES.alphaCentre },
  { postcode: 'ZZ1 1AB', latitude: 51.004, longitude: -0.996 },
  { postcode: 'ZZ1 2AA', ...PLACES.alphaNorth },
  { postcode: 'ZZ3 1AA', ...PLACES.betaRiverside },
  { postcode: 'ZZ3 1AB', latitude: 52.016, longitude: -1.996 },
  { postcode: 'ZZ9 9ZZ', ...PLACES.nowhere },
] as const;

/** Saves the fixture forces, neighbourhoods and postcodes. */
export async function seedPlaces(db: Kysely<Database>): Promise<void> {
  await saveForce(db, force('alpha', 'Alphashire Police'));
  await saveForce(db, force('beta', 'Betashire Constabulary'));
  await saveForce(db, force('gamma', 'Gamma Transport Police', false));
  await saveNeighbourhood(db, 'alpha', hood('town-centre', 'Town Centre', square(51.0, -1.0)));
  await saveNeighbourhood(db, 'alpha', hood('northgate', 'Northgate and Millbrook', square(51.01, -1.0)));
  await saveNeighbourhood(db, 'beta', hood('town-centre', 'Town Centre', square(52.0, -2.0)));
  await saveNeighbourhood(db, 'beta', hood('riverside', 'Riverside', square(52.01, -2.0)));
  await saveNeighbourhood(db, 'beta', hood('riverside-east', 'Riverside East', square(52.0, -1.99, 0.02)));
  await saveNeighbourhood(db, 'beta', hood('upper-riverside', 'Upper Riverside', square(52.03, -2.0)));
  // No boundary, as some upstream neighbourhoods have none: found by name only.
  await saveNeighbourhood(db, 'beta', hood('old-gate', 'Old Gate End', []));
  await saveNeighbourhood(db, 'gamma', hood('station', 'Station 100%_Safe', square(51.0, -1.0, 0.008)));
  await upsertPostcodes(
    db,
    FIXTURE_POSTCODES.map((p) => ({ ...p, outward: p.postcode.split(' ')[0]!, local_authority_code: null, source: 'test' })),
  );
}
