/**
 * The JSON data.police.uk gives for neighbourhoods. Coordinates are strings
 * there, population too, and priorities use hyphenated date keys; clients
 * decode by those exact keys and types.
 */
import { presentContactDetails } from '../forces/forces.presenter.ts';
import type { LatLng, NeighbourhoodEvent, NeighbourhoodLocation, NeighbourhoodPriority } from './neighbourhood.types.ts';
import type { NeighbourhoodRecord } from './neighbourhoods.repository.ts';

/**
 * A stored coordinate as the string upstream would send: the stored value's own
 * digits (boundaries arrive with up to 10 dp), never exponent notation, which
 * String() produces for values within 1e-7 of the meridian or equator.
 */
export function coordinateString(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  return value.toFixed(10).replace(/\.?0+$/, '');
}

function presentPoint(p: LatLng) {
  return { latitude: coordinateString(p.latitude), longitude: coordinateString(p.longitude) };
}

/** `/{force}/neighbourhoods`. Names are sent as stored, HTML entities (`&amp;`) included. */
export function presentNeighbourhoodList(rows: ReadonlyArray<{ id: string; name: string }>) {
  return rows.map((r) => ({ id: r.id, name: r.name }));
}

function presentLocation(l: NeighbourhoodLocation) {
  return {
    name: l.name,
    type: l.type,
    address: l.address,
    postcode: l.postcode,
    latitude: l.latitude,
    longitude: l.longitude,
    description: l.description,
    ...(l.telephone !== undefined ? { telephone: l.telephone } : {}),
  };
}

/** `/{force}/{neighbourhood}`. */
export function presentNeighbourhood(n: NeighbourhoodRecord) {
  return {
    id: n.id,
    name: n.name,
    url_force: n.url_force,
    description: n.description,
    population: n.population,
    centre: n.centre ? presentPoint(n.centre) : null,
    contact_details: presentContactDetails(n.contact_details),
    links: n.links.map((l) => ({ url: l.url, title: l.title, description: l.description })),
    locations: n.locations.map(presentLocation),
  };
}

/** `/{force}/{neighbourhood}/boundary`: the closed ring as stored. */
export function presentBoundary(ring: readonly LatLng[]) {
  return ring.map(presentPoint);
}

/** `/{force}/{neighbourhood}/events`. */
export function presentEvents(events: readonly NeighbourhoodEvent[]) {
  return events.map((e) => ({
    title: e.title,
    type: e.type,
    description: e.description,
    address: e.address,
    start_date: e.start_date,
    end_date: e.end_date,
    contact_details: presentContactDetails(e.contact_details),
  }));
}

/** `/{force}/{neighbourhood}/priorities`, with upstream's hyphenated date keys. */
export function presentPriorities(priorities: readonly NeighbourhoodPriority[]) {
  return priorities.map((p) => ({ issue: p.issue, 'issue-date': p.issue_date, action: p.action, 'action-date': p.action_date }));
}

/** `/locate-neighbourhood`. */
export function presentLocated(found: { force_id: string; id: string }) {
  return { force: found.force_id, neighbourhood: found.id };
}
