/**
 * The people of Demoshire Constabulary: senior officers and each neighbourhood's
 * team, plus the contact details and web addresses they publish. All names are
 * made up, and every address is under the reserved `.example` domain so nothing
 * in the demo can point at a real person or site.
 */
import type { ContactDetails, EngagementMethod, Person } from '../neighbourhoods/neighbourhood.types.ts';
import type { DemoArea, Sector } from './geography.ts';
import { Rng } from './random.ts';

export const FORCE_WEB = 'https://www.demoshire-police.example';
const MAIL_DOMAIN = 'demoshire-police.example';
/** 101 is the real non-emergency number, as every force publishes; it is not a fictional detail. */
export const NON_EMERGENCY = '101';

const FIRST_NAMES = [
  'Amelia', 'Oliver', 'Priya', 'James', 'Grace', 'Mohammed', 'Sophie', 'Daniel', 'Chloe', 'Thomas', 'Aisha', 'Harry',
  'Emily', 'Jack', 'Hannah', 'Samuel', 'Zara', 'Ben', 'Lucy', 'Kwame', 'Megan', 'Tom', 'Rachel', 'Owen', 'Niamh',
  'Callum', 'Fatima', 'Luke', 'Ellie', 'Ryan', 'Katie', 'Adam', 'Jessica', 'Marek', 'Bethany', 'Sean', 'Laura', 'Imran',
];
const SURNAMES = [
  'Ashworth', 'Blackwood', 'Carver', 'Dunmore', 'Ellery', 'Fairbrother', 'Gillingham', 'Hartley', 'Ingram', 'Jessop',
  'Kendrick', 'Lowther', 'Marchbank', 'Northcott', 'Okafor', 'Pennington', 'Quayle', 'Rushworth', 'Sandford', 'Thackeray',
  'Underwood', 'Vickers', 'Whitlock', 'Yardley', 'Bhatti', 'Nowak', 'Mensah', 'Holloway', 'Pryce', 'Somerville',
];

/** Draws names without repeats, so no two officers in the force share one. */
class NamePool {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  next(): string {
    for (;;) {
      const name = `${this.rng.pick(FIRST_NAMES)} ${this.rng.pick(SURNAMES)}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}

function mailbox(name: string): string {
  return `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${MAIL_DOMAIN}`;
}

export function teamEmail(area: DemoArea): string {
  return `${area.id}.snt@${MAIL_DOMAIN}`;
}

export function areaContacts(area: DemoArea): ContactDetails {
  const handle = area.id.replace(/(^|-)([a-z])/g, (_, __: string, c: string) => c.toUpperCase());
  return {
    email: teamEmail(area),
    telephone: NON_EMERGENCY,
    web: `${FORCE_WEB}/neighbourhoods/${area.id}`,
    twitter: `https://social.example/@${handle}Police`,
    facebook: `https://social.example/${handle}Police`,
  };
}

export const FORCE_ENGAGEMENT: EngagementMethod[] = [
  { type: 'web', title: 'Demoshire Constabulary website', description: 'Report crime online, find your local team and read the latest appeals.', url: `${FORCE_WEB}/` },
  { type: 'facebook', title: 'Facebook', description: 'News, appeals and crime prevention advice from across Demoshire.', url: 'https://social.example/DemoshirePolice' },
  { type: 'twitter', title: 'X (Twitter)', description: 'Live updates from the force control room and local teams.', url: 'https://social.example/@DemoshirePolice' },
  { type: 'email', title: 'Demoshire Alert', description: 'Free community messaging: sign up for crime alerts and appeals for your neighbourhood.', url: `${FORCE_WEB}/alert` },
];

export function forcePeople(): Person[] {
  const names = new NamePool(new Rng('demo-force-people'));
  const senior: [string, string][] = [
    ['Chief Constable', 'Leads Demoshire Constabulary and is accountable to the Police and Crime Commissioner for policing across the county.'],
    ['Deputy Chief Constable', 'Responsible for professional standards, performance and the force\u2019s change programme.'],
    ['Assistant Chief Constable', 'Leads local policing, neighbourhood teams and partnership work with Brackenford District Council.'],
    ['Chief Superintendent', 'Commands the Brackenford policing area and chairs the community safety partnership.'],
  ];
  return senior.map(([rank, bio]) => {
    const name = names.next();
    return { name, rank, bio, contact_details: { email: mailbox(name) } };
  });
}

const SECTOR_NAMES: Record<Sector, string> = { west: 'West Brackenford', central: 'Brackenford Town', east: 'East Brackenford' };

/**
 * A neighbourhood team: the sector inspector and sergeant (shared by every
 * neighbourhood in the sector, as real teams are), then the area's own PCs and PCSOs.
 */
export function neighbourhoodTeams(areas: readonly DemoArea[]): Map<string, Person[]> {
  const names = new NamePool(new Rng('demo-team-people'));
  const rng = new Rng('demo-team-bios');
  const sectorLeads = new Map<Sector, Person[]>();
  for (const sector of ['west', 'central', 'east'] as const) {
    const inspector = names.next();
    const sergeant = names.next();
    sectorLeads.set(sector, [
      { name: inspector, rank: 'Inspector', bio: `Sector inspector for ${SECTOR_NAMES[sector]}, responsible for the neighbourhood teams and their priorities.`, contact_details: { email: mailbox(inspector) } },
      { name: sergeant, rank: 'Sergeant', bio: `Supervises the neighbourhood officers and PCSOs across ${SECTOR_NAMES[sector]}.`, contact_details: { email: mailbox(sergeant) } },
    ]);
  }
  const teams = new Map<string, Person[]>();
  for (const area of areas) {
    const place = area.places[0] ?? area.name;
    const pcs = area.kind === 'town' ? 2 : 1;
    const pcsos = area.kind === 'rural' ? 1 : 2;
    const own: Person[] = [];
    for (let i = 0; i < pcs; i++) {
      const name = names.next();
      const years = rng.int(3, 18);
      own.push({ name, rank: 'PC', bio: `Neighbourhood officer for ${place}, ${years} years in policing. Ask about ${rng.pick(['bike marking', 'home security checks', 'Neighbourhood Watch', 'rural crime', 'speed watch'])}.`, contact_details: { email: mailbox(name) } });
    }
    for (let i = 0; i < pcsos; i++) {
      const name = names.next();
      own.push({ name, rank: 'PCSO', bio: `Police community support officer for ${area.places[i % area.places.length] ?? place}; runs the regular drop-in and works with local schools.`, contact_details: { email: mailbox(name) } });
    }
    teams.set(area.id, [...(sectorLeads.get(area.sector) ?? []), ...own]);
  }
  return teams;
}
