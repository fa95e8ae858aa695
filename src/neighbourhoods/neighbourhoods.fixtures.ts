/**
 * Forces and neighbourhoods for tests, shaped like real upstream records:
 * 10 dp boundaries, HTML entities in names, a Northern Ireland id with spaces,
 * a concave boundary, a neighbourhood with nothing but a name, and events in
 * the past, the far future and under way.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ForceData, LatLng, NeighbourhoodData } from './neighbourhood.types.ts';
import { saveForce, saveNeighbourhood } from './neighbourhoods.repository.ts';

const ring = (points: Array<[number, number]>): LatLng[] => {
  const closed = [...points, points[0]!];
  return closed.map(([latitude, longitude]) => ({ latitude, longitude }));
};

function force(id: string, name: string, extra: Partial<ForceData> = {}): ForceData {
  return { id, name, url: `https://www.${id}.police.uk/`, telephone: '101', description: null, engagement_methods: [], listed: true, isDemo: false, people: [], ...extra };
}

function neighbourhood(id: string, name: string, extra: Partial<NeighbourhoodData> = {}): NeighbourhoodData {
  return {
    id,
    name,
    description: null,
    url_force: null,
    population: '0',
    centre: null,
    contact_details: {},
    links: [],
    locations: [],
    boundary: [],
    people: [],
    events: [],
    priorities: [],
    ...extra,
  };
}

export const FIXTURE_FORCES: ForceData[] = [
  force('hampshire', 'Hampshire and Isle of Wight Constabulary', {
    description: '<p>Policing Hampshire &amp; the Isle of Wight.</p>',
    engagement_methods: [
      { type: 'facebook', title: 'Facebook', description: null, url: 'https://www.facebook.com/hampshireconstabulary' },
      { title: 'RSS', description: 'Keep informed', url: null },
    ],
    people: [
      { name: 'Scott Chilton', rank: 'Chief Constable', bio: '<p>Joined in 1995.</p>', contact_details: { twitter: 'https://twitter.com/hantspolice' } },
      { name: 'Sam de Reya', rank: 'Deputy Chief Constable', bio: null, contact_details: {} },
    ],
  }),
  force('leicestershire', 'Leicestershire Police', { telephone: '0116 222 2222' }),
  force('northern-ireland', 'Police Service of Northern Ireland', { url: null, telephone: null }),
  force('btp', 'British Transport Police', { listed: false }),
];

/** Square with corners given to 10 dp, as upstream boundaries are. */
const SO1_RING = ring([
  [50.9123456789, -1.3765432101],
  [50.9323456789, -1.3765432101],
  [50.9323456789, -1.3565432101],
  [50.9123456789, -1.3565432101],
]);
/** Shares SO1's eastern edge. */
const SO2_RING = ring([
  [50.9123456789, -1.3565432101],
  [50.9323456789, -1.3565432101],
  [50.9323456789, -1.3365432101],
  [50.9123456789, -1.3365432101],
]);
/** A U open to the north: the notch lat 52.62–52.66, lng -1.14…-1.12 lies inside the box but outside the area. */
export const CONCAVE_RING = ring([
  [52.6, -1.16],
  [52.66, -1.16],
  [52.66, -1.14],
  [52.62, -1.14],
  [52.62, -1.12],
  [52.66, -1.12],
  [52.66, -1.1],
  [52.6, -1.1],
]);

export const FIXTURE_NEIGHBOURHOODS: Array<{ forceId: string; data: NeighbourhoodData }> = [
  {
    forceId: 'hampshire',
    data: neighbourhood('SO1', 'Bitterne &amp; Harefield', {
      description: '<p>East of the Itchen.</p>',
      url_force: 'https://www.hampshire.police.uk/a/your-area/so1',
      population: '12345',
      centre: { latitude: 50.9223456789, longitude: -1.3665432101 },
      contact_details: { email: 'bitterne@hampshire.police.uk', telephone: '101', twitter: 'https://twitter.com/bitternecops' },
      links: [{ url: 'https://www.southampton.gov.uk/', title: 'Southampton City Council', description: null }],
      locations: [
        { name: 'Bitterne Police Station', type: 'station', address: 'Bitterne Road', postcode: 'SO18 1BW', latitude: '50.9201', longitude: '-1.3640', description: null },
      ],
      boundary: SO1_RING,
      people: [
        { name: 'PC Jane Smith', rank: 'PC', bio: null, contact_details: {} },
        { name: 'PCSO Ali Khan', rank: 'PCSO', bio: '<p>Your PCSO.</p>', contact_details: { email: 'ali.khan@hampshire.police.uk' } },
      ],
      events: [
        { title: 'Far future surgery', type: 'meeting', description: '<p>Meet the team.</p>', address: 'Library', start_date: '2099-06-01T10:00:00', end_date: '2099-06-01T12:00:00', contact_details: {} },
        { title: 'Long past', type: 'meeting', description: null, address: null, start_date: '2001-01-01T10:00:00', end_date: '2001-01-01T11:00:00', contact_details: {} },
        { title: 'Under way', type: 'other', description: null, address: 'Park', start_date: '2001-02-01T09:00:00', end_date: '2099-02-01T09:00:00', contact_details: { telephone: '101' } },
        { title: 'Past, no end', type: null, description: null, address: null, start_date: '2002-01-01T10:00:00', end_date: null, contact_details: {} },
        { title: 'Sooner future', type: 'meeting', description: null, address: null, start_date: '2098-01-01T10:00:00', end_date: null, contact_details: {} },
      ],
      priorities: [
        { issue: '<p>Speeding on Bitterne Road</p>', issue_date: '2025-10-08T00:00:00', action: '<p>Speed checks.</p>', action_date: '2025-12-22T00:00:00' },
        { issue: '<p>Anti-social behaviour &amp; drinking</p>', issue_date: '2026-01-01T00:00:00', action: null, action_date: null },
      ],
    }),
  },
  { forceId: 'hampshire', data: neighbourhood('SO2', 'Woolston', { boundary: SO2_RING, population: '0' }) },
  { forceId: 'hampshire', data: neighbourhood('EMPTY', 'Nothing known') },
  {
    forceId: 'leicestershire',
    data: neighbourhood('NC04', 'City Centre', {
      url_force: 'http://www.leics.police.uk/local-policing/city-centre',
      centre: { latitude: 52.6389, longitude: -1.13619 },
      contact_details: { twitter: 'http://www.twitter.com/centralleicsNPA', telephone: '101', email: 'centralleicester.npa@leicestershire.pnn.police.uk' },
      locations: [
        { name: 'Mansfield House', longitude: null, postcode: 'LE1 3GG', address: '74 Belgrave Gate\n, Leicester', latitude: null, type: 'station', description: null },
      ],
      boundary: CONCAVE_RING,
    }),
  },
  {
    forceId: 'northern-ireland',
    data: neighbourhood('Belfast City Centre', 'Belfast City Centre', {
      boundary: ring([
        [54.59, -5.94],
        [54.61, -5.94],
        [54.61, -5.91],
        [54.59, -5.91],
      ]),
      centre: { latitude: 54.6, longitude: -5.925 },
    }),
  },
];

/** Writes every fixture force and neighbourhood through the real save functions. */
export async function seedFixtures(db: Kysely<Database>): Promise<void> {
  for (const f of FIXTURE_FORCES) await saveForce(db, f);
  for (const n of FIXTURE_NEIGHBOURHOODS) await saveNeighbourhood(db, n.forceId, n.data);
}
