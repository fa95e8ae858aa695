/**
 * Staff edits to a neighbourhood record itself: contact details, stations, the
 * "edited here" mark, and creating or describing a neighbourhood. Each function
 * takes the transaction it is part of; the service opens it and audits.
 */
import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../errors.ts';
import { findForce, type ForceRecord } from '../forces/forces.repository.ts';
import type { ContactDetails, LatLng, NeighbourhoodLocation } from '../neighbourhoods/neighbourhood.types.ts';
import { findNeighbourhood, type NeighbourhoodRecord } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Database } from '../store/database.ts';

export type Db = Kysely<Database> | Transaction<Database>;

export interface StaffNeighbourhood {
  force: ForceRecord;
  neighbourhood: NeighbourhoodRecord;
  /** When staff last changed it here; null while it is as upstream (fetch) left it. */
  editedLocallyAt: string | null;
}

/** The force and neighbourhood a staff page works on, or the not-found page. */
export async function loadStaffNeighbourhood(db: Kysely<Database>, forceId: string, id: string): Promise<StaffNeighbourhood> {
  const [force, neighbourhood, mark] = await Promise.all([
    findForce(db, forceId),
    findNeighbourhood(db, forceId, id),
    db.selectFrom('neighbourhoods').select('edited_locally_at').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst(),
  ]);
  if (!force || !neighbourhood) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
  return { force, neighbourhood, editedLocallyAt: mark?.edited_locally_at ?? null };
}

/** Marks the neighbourhood as edited here, so `fetch` no longer overwrites it. */
export async function markEditedLocally(db: Db, forceId: string, id: string, now: Date): Promise<void> {
  await db.updateTable('neighbourhoods').set({ edited_locally_at: now.toISOString() }).where('force_id', '=', forceId).where('id', '=', id).execute();
}

/** Ids of the force's neighbourhoods edited here: `fetch` skips them and never removes them. */
export async function locallyEditedNeighbourhoodIds(db: Kysely<Database>, forceId: string): Promise<string[]> {
  const rows = await db.selectFrom('neighbourhoods').select('id').where('force_id', '=', forceId).where('edited_locally_at', 'is not', null).execute();
  return rows.map((r) => r.id);
}

export async function saveContactDetails(db: Db, forceId: string, id: string, details: ContactDetails): Promise<void> {
  await db.updateTable('neighbourhoods').set({ contact_details: JSON.stringify(details) }).where('force_id', '=', forceId).where('id', '=', id).execute();
}

/** The neighbourhood's stations and other places as stored; empty when the neighbourhood is not held. */
export async function neighbourhoodLocations(db: Db, forceId: string, id: string): Promise<NeighbourhoodLocation[]> {
  const row = await db.selectFrom('neighbourhoods').select('locations').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.locations) as NeighbourhoodLocation[]) : [];
}

/** Every neighbourhood of these forces with its name, in no particular order. */
export async function neighbourhoodsOfForces(db: Kysely<Database>, forceIds: readonly string[]): Promise<Array<{ force_id: string; id: string; name: string }>> {
  return db.selectFrom('neighbourhoods').select(['force_id', 'id', 'name']).where('force_id', 'in', [...forceIds]).execute();
}

/** The neighbourhood's name; undefined when it is not held. */
export async function neighbourhoodName(db: Kysely<Database>, forceId: string, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('neighbourhoods').select('name').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  return row?.name;
}

export async function saveLocations(db: Db, forceId: string, id: string, locations: NeighbourhoodLocation[]): Promise<void> {
  await db.updateTable('neighbourhoods').set({ locations: JSON.stringify(locations) }).where('force_id', '=', forceId).where('id', '=', id).execute();
}

/** The boundary columns: the closed ring and its bounding box, which locate-neighbourhood uses. */
function boundaryColumns(ring: readonly LatLng[]) {
  const has = ring.length >= 4;
  const lats = ring.map((p) => p.latitude);
  const lngs = ring.map((p) => p.longitude);
  return {
    boundary: JSON.stringify(ring.map((p) => [p.latitude, p.longitude])),
    min_latitude: has ? Math.min(...lats) : null,
    max_latitude: has ? Math.max(...lats) : null,
    min_longitude: has ? Math.min(...lngs) : null,
    max_longitude: has ? Math.max(...lngs) : null,
    centre_latitude: has ? Number(((Math.min(...lats) + Math.max(...lats)) / 2).toFixed(6)) : null,
    centre_longitude: has ? Number(((Math.min(...lngs) + Math.max(...lngs)) / 2).toFixed(6)) : null,
  };
}

export interface NeighbourhoodDetails {
  name: string;
  description: string | null;
  /** A closed ring, or empty for no boundary. */
  boundary: LatLng[];
}

/** A new neighbourhood made here (so marked as edited here). Throws when the id is taken. */
export async function insertNeighbourhood(db: Db, forceId: string, id: string, details: NeighbourhoodDetails, now: Date): Promise<void> {
  await db
    .insertInto('neighbourhoods')
    .values({
      force_id: forceId,
      id,
      name: details.name,
      description: details.description,
      url_force: null,
      population: '0',
      contact_details: '{}',
      links: '[]',
      locations: '[]',
      ...boundaryColumns(details.boundary),
      edited_locally_at: now.toISOString(),
    })
    .execute();
}

/** Renames, redescribes and re-bounds a neighbourhood. */
export async function updateNeighbourhoodDetails(db: Db, forceId: string, id: string, details: NeighbourhoodDetails): Promise<void> {
  await db
    .updateTable('neighbourhoods')
    .set({ name: details.name, description: details.description, ...boundaryColumns(details.boundary) })
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .execute();
}

export async function neighbourhoodExists(db: Db, forceId: string, id: string): Promise<boolean> {
  return (await db.selectFrom('neighbourhoods').select('id').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** How many of each part the overview counts. */
export async function partCounts(db: Kysely<Database>, forceId: string, id: string): Promise<{ people: number; priorities: number; events: number }> {
  const count = (table: 'neighbourhood_people' | 'neighbourhood_priorities' | 'neighbourhood_events') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('force_id', '=', forceId)
      .where('neighbourhood_id', '=', id)
      .executeTakeFirstOrThrow()
      .then((r) => Number(r.n));
  const [people, priorities, events] = await Promise.all([count('neighbourhood_people'), count('neighbourhood_priorities'), count('neighbourhood_events')]);
  return { people, priorities, events };
}
