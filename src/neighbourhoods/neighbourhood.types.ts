/**
 * Forces and neighbourhoods as the platform holds them, independent of where
 * they came from (the demo generator, `fetch` from a data.police.uk-compatible
 * API, or staff editing them). Field names follow the upstream API.
 */

export interface ContactDetails {
  email?: string;
  telephone?: string;
  mobile?: string;
  fax?: string;
  web?: string;
  address?: string;
  facebook?: string;
  twitter?: string;
  youtube?: string;
  myspace?: string;
  bebo?: string;
  flickr?: string;
  'google-plus'?: string;
  forum?: string;
  'e-messaging'?: string;
  blog?: string;
  rss?: string;
  [other: string]: string | undefined;
}

export interface EngagementMethod {
  type?: string;
  title: string;
  description: string | null;
  url: string | null;
}

export interface Person {
  name: string;
  rank: string;
  bio: string | null;
  contact_details: ContactDetails;
}

export interface ForceData {
  id: string;
  name: string;
  url: string | null;
  telephone: string | null;
  description: string | null;
  engagement_methods: EngagementMethod[];
  /** False for forces upstream leaves out of /forces (btp). */
  listed: boolean;
  isDemo: boolean;
  /** Senior officers (/forces/{id}/people). */
  people: Person[];
}

export interface LatLng {
  latitude: number;
  longitude: number;
}

export interface NeighbourhoodLink {
  url: string;
  title: string;
  description: string | null;
}

/** A police station or other place the public can reach the team. */
export interface NeighbourhoodLocation {
  name: string | null;
  type: string;
  address: string;
  postcode: string | null;
  latitude: string | null;
  longitude: string | null;
  description: string | null;
  telephone?: string | null;
}

export interface NeighbourhoodEvent {
  title: string;
  type: string | null;
  description: string | null;
  address: string | null;
  /** `YYYY-MM-DDTHH:MM:SS`, local time as upstream gives it. */
  start_date: string;
  end_date: string | null;
  contact_details: ContactDetails;
}

export interface NeighbourhoodPriority {
  issue: string;
  issue_date: string | null;
  action: string | null;
  action_date: string | null;
}

export interface NeighbourhoodData {
  id: string;
  name: string;
  description: string | null;
  url_force: string | null;
  population: string;
  centre: LatLng | null;
  contact_details: ContactDetails;
  links: NeighbourhoodLink[];
  locations: NeighbourhoodLocation[];
  /** Closed ring of points; empty when the boundary is not known. */
  boundary: LatLng[];
  people: Person[];
  events: NeighbourhoodEvent[];
  priorities: NeighbourhoodPriority[];
}
