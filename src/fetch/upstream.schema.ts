/**
 * Reads data.police.uk answers into the platform's own types. Tolerant where
 * upstream is inconsistent (missing keys, nulls, numeric ids, contact channels
 * set to null) and strict only where a record would be useless without the
 * field (ids and names), so one odd record does not stop a whole fetch.
 */
import { z } from 'zod';
import type {
  ContactDetails,
  EngagementMethod,
  LatLng,
  NeighbourhoodEvent,
  NeighbourhoodLink,
  NeighbourhoodLocation,
  NeighbourhoodPriority,
  Person,
} from '../neighbourhoods/neighbourhood.types.ts';

const id = z.union([z.string(), z.number()]).transform(String);
const text = z.string().nullish().transform((v) => v ?? null);

const coordinate = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  });

const coordinateText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : String(v)));

/** Channels whose value is not a string (null, empty objects) are dropped: absent and null mean the same to clients. */
const contactDetails = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((record): ContactDetails => {
    const out: ContactDetails = {};
    for (const [key, value] of Object.entries(record ?? {})) if (typeof value === 'string') out[key] = value;
    return out;
  });

export const forceListSchema = z.array(z.object({ id: z.string().min(1), name: z.string() }));

export const forceDetailSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  url: text,
  telephone: text,
  description: text,
  engagement_methods: z
    .array(
      z.object({ type: z.string().nullish(), title: z.string().nullish(), description: text, url: text }).transform(
        (m): EngagementMethod => ({ ...(typeof m.type === 'string' ? { type: m.type } : {}), title: m.title ?? '', description: m.description, url: m.url }),
      ),
    )
    .nullish()
    .transform((v) => v ?? []),
});

export const peopleSchema = z.array(
  z
    .object({ name: z.string(), rank: z.string().nullish(), bio: text, contact_details: contactDetails })
    .transform((p): Person => ({ name: p.name, rank: p.rank ?? '', bio: p.bio, contact_details: p.contact_details })),
);

export const neighbourhoodListSchema = z.array(z.object({ id, name: z.string() }));

const linkSchema = z
  .object({ url: z.string().nullish(), title: z.string().nullish(), description: text })
  .transform((l): NeighbourhoodLink => ({ url: l.url ?? '', title: l.title ?? '', description: l.description }));

const locationSchema = z
  .object({
    name: text,
    type: z.string().nullish(),
    address: z.string().nullish(),
    postcode: text,
    latitude: coordinateText,
    longitude: coordinateText,
    description: text,
    telephone: z.string().nullish(),
  })
  .transform(
    (l): NeighbourhoodLocation => ({
      name: l.name,
      type: l.type ?? 'station',
      address: l.address ?? '',
      postcode: l.postcode,
      latitude: l.latitude,
      longitude: l.longitude,
      description: l.description,
      ...(l.telephone !== undefined ? { telephone: l.telephone } : {}),
    }),
  );

export const neighbourhoodDetailSchema = z.object({
  id,
  name: z.string(),
  description: text,
  url_force: text,
  population: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? '0' : String(v))),
  centre: z
    .object({ latitude: coordinate, longitude: coordinate })
    .nullish()
    .transform((c): LatLng | null => (c && c.latitude !== null && c.longitude !== null ? { latitude: c.latitude, longitude: c.longitude } : null)),
  contact_details: contactDetails,
  links: z.array(linkSchema).nullish().transform((v) => v ?? []),
  locations: z.array(locationSchema).nullish().transform((v) => v ?? []),
});

export const boundarySchema = z.array(
  z.object({ latitude: coordinate, longitude: coordinate }).transform((p) => (p.latitude !== null && p.longitude !== null ? { latitude: p.latitude, longitude: p.longitude } : null)),
).transform((points) => points.filter((p): p is LatLng => p !== null));

export const eventsSchema = z.array(
  z
    .object({
      title: z.string(),
      type: text,
      description: text,
      address: text,
      start_date: z.string(),
      end_date: text,
      contact_details: contactDetails,
    })
    .transform((e): NeighbourhoodEvent => e),
);

export const prioritiesSchema = z.array(
  z
    .object({ issue: z.string(), 'issue-date': text, action: text, 'action-date': text })
    .transform((p): NeighbourhoodPriority => ({ issue: p.issue, issue_date: p['issue-date'], action: p.action, action_date: p['action-date'] })),
);
