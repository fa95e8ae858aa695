/**
 * The JSON data.police.uk gives for forces and people. Clients decode these by
 * key and type, so every field is always present and null stays null.
 */
import type { ContactDetails, EngagementMethod, Person } from '../neighbourhoods/neighbourhood.types.ts';
import type { ForceRecord } from './forces.repository.ts';

export interface ForceSummaryJson {
  id: string;
  name: string;
}

/** `/forces`: ids and names only. */
export function presentForceList(forces: ReadonlyArray<{ id: string; name: string }>): ForceSummaryJson[] {
  return forces.map((f) => ({ id: f.id, name: f.name }));
}

function presentEngagementMethod(m: EngagementMethod) {
  // Upstream sends `type` on some forces' methods and not others; an absent key stays absent.
  return {
    ...(m.type !== undefined ? { type: m.type } : {}),
    title: m.title,
    description: m.description,
    url: m.url,
  };
}

/** `/forces/{id}`. */
export function presentForce(force: ForceRecord) {
  return {
    id: force.id,
    name: force.name,
    url: force.url,
    telephone: force.telephone,
    description: force.description,
    engagement_methods: force.engagement_methods.map(presentEngagementMethod),
  };
}

/** Drops keys whose value is missing, as upstream leaves unknown channels out rather than nulling them. */
export function presentContactDetails(details: ContactDetails): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) if (typeof value === 'string') out[key] = value;
  return out;
}

/** A senior officer or neighbourhood team member. */
export function presentPerson(p: Person) {
  return { name: p.name, rank: p.rank, bio: p.bio, contact_details: presentContactDetails(p.contact_details) };
}
