/**
 * The neighbourhood page's view model: the team, how to reach it, "you said, we
 * did" and upcoming events, shaped so the templates only print. Every upstream
 * HTML field arrives here as text paragraphs and every link is checked.
 */
import type { ContactDetails, NeighbourhoodEvent, NeighbourhoodPriority, Person } from '../neighbourhoods/neighbourhood.types.ts';
import type { NeighbourhoodRecord } from '../neighbourhoods/neighbourhoods.repository.ts';
import { eventId } from './events-ics.ts';
import { htmlToParagraphs, htmlToText, safeWebUrl } from './text.ts';

/** One way to reach someone: a label, the text shown and a link when there is a safe one. */
export interface ContactLink {
  label: string;
  text: string;
  href: string | null;
  /** A link off the site, given rel="noreferrer noopener". */
  external: boolean;
}

const SOCIAL: ReadonlyArray<[keyof ContactDetails & string, string]> = [
  ['web', 'Website'],
  ['facebook', 'Facebook'],
  ['twitter', 'X (Twitter)'],
  ['youtube', 'YouTube'],
  ['flickr', 'Flickr'],
  ['blog', 'Blog'],
  ['forum', 'Forum'],
  ['e-messaging', 'Messaging alerts'],
  ['rss', 'RSS feed'],
];

/** Contact details as labelled rows: email and phone as mailto:/tel: links, social accounts only when they are web addresses. */
export function presentContacts(details: ContactDetails): ContactLink[] {
  const out: ContactLink[] = [];
  const email = details.email?.trim();
  if (email) out.push({ label: 'Email', text: email, href: /^[^\s@<>"]+@[^\s@<>"]+$/.test(email) ? `mailto:${email}` : null, external: false });
  for (const [key, label] of [['telephone', 'Phone'], ['mobile', 'Mobile']] as const) {
    const phone = details[key]?.trim();
    if (phone) out.push({ label, text: phone, href: `tel:${phone.replace(/[^\d+]/g, '')}`, external: false });
  }
  for (const [key, label] of SOCIAL) {
    const href = safeWebUrl(details[key]);
    if (href) out.push({ label, text: href.replace(/^https?:\/\/(www\.)?/, '').replace(/\/$/, ''), href, external: true });
  }
  const address = details.address?.trim();
  if (address) out.push({ label: 'Address', text: htmlToText(address), href: null, external: false });
  return out;
}

/** A team member as the page shows them; a photo only when they agreed to it being published. */
export interface TeamMember {
  name: string;
  rank: string;
  bio: string[];
  contacts: ContactLink[];
  photoUrl: string | null;
}

/** The team in published order with names, ranks and bios as plain text. */
export function presentTeam(people: ReadonlyArray<Person & { photoPath?: string | null }>): TeamMember[] {
  return people.map((p) => ({
    name: htmlToText(p.name),
    rank: htmlToText(p.rank),
    bio: htmlToParagraphs(p.bio),
    contacts: presentContacts(p.contact_details),
    photoUrl: p.photoPath ?? null,
  }));
}

const weekdayFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' });
const shortDateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
// GOV.UK style has no comma after the weekday, which Intl puts in.
const dateFormat = { format: (d: Date) => `${weekdayFormat.format(d)} ${shortDateFormat.format(d)}` };

/** Upstream's wall-clock `YYYY-MM-DDTHH:MM:SS` as its fields, without any time zone conversion. */
export function wallClock(value: string): { date: Date; hour: number; minute: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0'] = m;
  return { date: new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))), hour: Number(h), minute: Number(mi) };
}

function clock(hour: number, minute: number): string {
  if (hour === 12 && minute === 0) return 'midday';
  const h = hour % 12 === 0 ? 12 : hour % 12;
  return `${h}${minute ? `:${String(minute).padStart(2, '0')}` : ''}${hour < 12 ? 'am' : 'pm'}`;
}

/** `Saturday 10 October 2026, 10am to 12pm` in GOV.UK style. */
export function eventWhen(start: string, end: string | null): string {
  const s = wallClock(start);
  if (!s) return start;
  const e = end ? wallClock(end) : null;
  const day = dateFormat.format(s.date);
  if (!e) return `${day}, ${clock(s.hour, s.minute)}`;
  if (e.date.getTime() === s.date.getTime()) return `${day}, ${clock(s.hour, s.minute)} to ${clock(e.hour, e.minute)}`;
  return `${day}, ${clock(s.hour, s.minute)} to ${dateFormat.format(e.date)}, ${clock(e.hour, e.minute)}`;
}

/** `12 March 2026`, or null for no date. */
export function shortDate(value: string | null): string | null {
  const d = value ? wallClock(value) : null;
  return d ? shortDateFormat.format(d.date) : null;
}

/** An upcoming event as the page shows it, with its own calendar file. */
export interface EventView {
  id: string;
  title: string;
  type: string | null;
  when: string;
  startIso: string;
  address: string | null;
  description: string[];
  contacts: ContactLink[];
  icsHref: string;
}

/** Events with their times in words and each one's `.ics` link under `basePath`. */
export function presentEvents(events: readonly NeighbourhoodEvent[], basePath: string): EventView[] {
  return events.map((e) => {
    const id = eventId(e);
    return {
      id,
      title: htmlToText(e.title),
      type: e.type ? htmlToText(e.type) : null,
      when: eventWhen(e.start_date, e.end_date),
      startIso: e.start_date,
      address: e.address ? htmlToText(e.address) : null,
      description: htmlToParagraphs(e.description),
      contacts: presentContacts(e.contact_details),
      icsHref: `${basePath}/events/${id}.ics`,
    };
  });
}

/** One "you said, we did" pair with its dates. */
export interface PriorityView {
  issue: string[];
  issueDate: string | null;
  action: string[];
  actionDate: string | null;
}

/** Priorities as text paragraphs with dates in words; `action` is empty while nothing is reported. */
export function presentPriorities(priorities: readonly NeighbourhoodPriority[]): PriorityView[] {
  return priorities.map((p) => ({
    issue: htmlToParagraphs(p.issue),
    issueDate: shortDate(p.issue_date),
    action: htmlToParagraphs(p.action),
    actionDate: shortDate(p.action_date),
  }));
}

/** A police station or front counter; opening times come from upstream's description. */
export interface StationView {
  name: string;
  type: string;
  address: string;
  postcode: string | null;
  openingTimes: string[];
  telephone: string | null;
}

/** The neighbourhood itself: text, contacts, links and stations. */
export interface NeighbourhoodView {
  id: string;
  name: string;
  description: string[];
  /** `19,345`, or null when upstream gives none. */
  population: string | null;
  centre: { latitude: string; longitude: string } | null;
  forcePageUrl: string | null;
  contacts: ContactLink[];
  links: Array<{ title: string; href: string; description: string | null }>;
  stations: StationView[];
}

/** The neighbourhood record shaped for the page, every upstream HTML field as text. */
export function presentNeighbourhood(n: NeighbourhoodRecord): NeighbourhoodView {
  const population = Number(n.population);
  return {
    id: n.id,
    name: htmlToText(n.name),
    description: htmlToParagraphs(n.description),
    population: Number.isFinite(population) && population > 0 ? population.toLocaleString('en-GB') : null,
    centre: n.centre ? { latitude: n.centre.latitude.toFixed(5), longitude: n.centre.longitude.toFixed(5) } : null,
    forcePageUrl: safeWebUrl(n.url_force),
    contacts: presentContacts(n.contact_details),
    links: n.links.flatMap((l) => {
      const href = safeWebUrl(l.url);
      return href ? [{ title: htmlToText(l.title) || href, href, description: l.description ? htmlToText(l.description) : null }] : [];
    }),
    stations: n.locations.map((l) => ({
      name: htmlToText(l.name) || 'Police station',
      type: l.type,
      address: htmlToText(l.address),
      postcode: l.postcode,
      openingTimes: htmlToParagraphs(l.description),
      telephone: l.telephone ?? null,
    })),
  };
}
