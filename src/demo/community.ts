/**
 * What each neighbourhood team tells the public: its events and its priorities
 * ("you said, we did"). Dates are set relative to the data's last month so the
 * demo reads as current, plus a few years ahead, because the API lists only
 * events that have not yet started by the real clock.
 */
import type { NeighbourhoodEvent, NeighbourhoodPriority } from '../neighbourhoods/neighbourhood.types.ts';
import type { DemoArea } from './geography.ts';
import { daysIn, shiftMonth } from './months.ts';
import { teamEmail } from './people.ts';
import { Rng } from './random.ts';

interface EventPlan {
  title: string;
  type: string;
  description: string;
  venue: (place: string) => string;
  hours: [number, number];
}

const EVENTS: readonly EventPlan[] = [
  { title: 'Police surgery', type: 'meeting', description: 'Drop in to talk to your neighbourhood team about anything that worries you. No appointment needed.', venue: (p) => `${p} Library`, hours: [10, 12] },
  { title: 'Beat meeting', type: 'meeting', description: 'Hear what the team has done about the current priorities and help choose the next ones.', venue: (p) => `${p} Village Hall`, hours: [19, 20] },
  { title: 'Bike marking', type: 'Community engagement', description: 'Free security marking and registration for bicycles and e-scooters. Bring proof of ownership if you have it.', venue: (p) => `${p} Market Square`, hours: [10, 14] },
  { title: 'Coffee with a cop', type: 'Community engagement', description: 'An informal chat with your local officers over a hot drink.', venue: (p) => `The Bracken Café, ${p}`, hours: [9, 11] },
  { title: 'Scams and fraud advice session', type: 'Crime prevention', description: 'How to spot doorstep, phone and online scams, with help from Demoshire Trading Standards.', venue: (p) => `${p} Community Centre`, hours: [14, 16] },
  { title: 'Neighbourhood Watch coordinators\u2019 meeting', type: 'meeting', description: 'For existing and new coordinators: local crime picture, alerts and how to start a scheme.', venue: (p) => `${p} Parish Rooms`, hours: [18, 20] },
  { title: 'Home security stall', type: 'Crime prevention', description: 'Advice on locks, lighting and shed security, with free timer switches while stocks last.', venue: (p) => `${p} Garden Centre`, hours: [10, 13] },
];

/** Upstream's local-time form: `YYYY-MM-DDTHH:MM:SS`. */
function at(month: string, day: number, hour: number): string {
  const d = Math.min(day, daysIn(month));
  return `${month}-${String(d).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00`;
}

export function eventsFor(area: DemoArea, index: number, endMonth: string): NeighbourhoodEvent[] {
  const rng = new Rng(`demo-events-${area.id}`);
  const plans = rng.shuffle(EVENTS);
  const endYear = Number(endMonth.slice(0, 4));
  const farYear = Math.max(2027, endYear + 1);
  // Two past, two just after the data's last month, and two years ahead, so some are upcoming whatever today is.
  const months = [
    shiftMonth(endMonth, -2),
    shiftMonth(endMonth, -1),
    shiftMonth(endMonth, 1),
    shiftMonth(endMonth, 2),
    `${farYear}-${String((index % 12) + 1).padStart(2, '0')}`,
    `${farYear + 3}-${String(((index + 5) % 12) + 1).padStart(2, '0')}`,
  ];
  return months.map((month, i) => {
    const plan = plans[i % plans.length]!;
    const place = area.places[i % area.places.length] ?? area.name;
    const day = rng.int(1, 28);
    return {
      title: `${plan.title}: ${place}`,
      type: plan.type,
      description: plan.description,
      address: plan.venue(place),
      start_date: at(month, day, plan.hours[0]),
      end_date: at(month, day, plan.hours[1]),
      contact_details: { email: teamEmail(area) },
    };
  });
}

interface PriorityPlan {
  issue: (street: string, place: string) => string;
  action: (street: string, place: string) => string;
}

const PRIORITIES: Record<DemoArea['kind'], readonly PriorityPlan[]> = {
  town: [
    { issue: (s) => `Anti-social behaviour and drinking in public around ${s} on Friday and Saturday evenings.`, action: (s) => `Joint evening patrols with the council\u2019s town rangers; a dispersal order used on four weekends; licensed premises on ${s} reminded of their conditions and two young people referred to the youth diversion scheme.` },
    { issue: () => 'Shoplifting from town centre shops, including repeat thefts by the same people.', action: () => 'Shop radio scheme relaunched with 23 retailers; five repeat offenders charged and two given criminal behaviour orders banning them from the town centre.' },
    { issue: (s) => `Cycling and e-scooter riding on the pavement along ${s}.`, action: () => 'Twice-weekly patrols at peak times; 31 riders spoken to and advised, 4 e-scooters seized under section 59 of the Police Reform Act.' },
  ],
  suburb: [
    { issue: (s) => `Speeding on ${s}, especially at school opening and closing times.`, action: () => 'Community Speed Watch volunteers trained; 212 drivers sent warning letters and speed checks run with the roads policing unit.' },
    { issue: (_s, p) => `Burglaries and attempted burglaries of homes and garages in ${p}.`, action: () => 'Crime prevention visits to 140 homes near recent burglaries; an arrest made and property recovered; free property-marking kits given out.' },
    { issue: () => 'Drug dealing reported near the recreation ground and the subway.', action: () => 'Intelligence from residents led to two warrants; drugs and cash seized and three people charged. Please keep reporting what you see.' },
  ],
  rural: [
    { issue: (_s, p) => `Thefts of machinery, fuel and tools from farms and outbuildings around ${p}.`, action: () => 'Rural crime team patrols at night; CESAR marking of quad bikes and trailers offered at two farm events; a stolen tractor recovered.' },
    { issue: (s) => `Speeding through the village on ${s}.`, action: () => 'Speed checks on 9 occasions; mobile speed sign installed with the parish council.' },
    { issue: () => 'Hare coursing and trespass on farmland in autumn and winter.', action: () => 'Joint operation with neighbouring forces; vehicles seized and dispersal notices issued. Report coursing in progress on 999.' },
  ],
};

export function prioritiesFor(area: DemoArea, street: string, endMonth: string): NeighbourhoodPriority[] {
  const place = area.places[0] ?? area.name;
  return PRIORITIES[area.kind].map((plan, i) => {
    const raised = shiftMonth(endMonth, -(7 - i * 2));
    // The newest priority has been raised but not yet reported on.
    const answered = i < 2;
    return {
      issue: plan.issue(street, place),
      issue_date: at(raised, 5 + i * 7, 0),
      action: answered ? plan.action(street, place) : null,
      action_date: answered ? at(shiftMonth(endMonth, -1), 20 + i, 0) : null,
    };
  });
}
