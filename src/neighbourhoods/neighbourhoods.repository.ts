/**
 * Forces and neighbourhoods in the store. Each save replaces the whole record
 * with its people, events and priorities in one transaction, so a reader never
 * sees half of an update.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.ts';
import { parseJsonColumn } from '../forces/forces.repository.ts';
import type { Box } from '../geo/geo.ts';
import type {
  ContactDetails,
  ForceData,
  LatLng,
  NeighbourhoodData,
  NeighbourhoodEvent,
  NeighbourhoodLink,
  NeighbourhoodLocation,
  NeighbourhoodPriority,
  Person,
} from './neighbourhood.types.ts';

/** Inserts or replaces a force with its senior officers, atomically. */
export async function saveForce(db: Kysely<Database>, force: ForceData): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = {
      id: force.id,
      name: force.name,
      url: force.url,
      telephone: force.telephone,
      description: force.description,
      engagement_methods: JSON.stringify(force.engagement_methods),
      listed: force.listed ? 1 : 0,
      is_demo: force.isDemo ? 1 : 0,
    };
    await trx
      .insertInto('forces')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
      .execute();
    await trx.deleteFrom('force_people').where('force_id', '=', force.id).execute();
    if (force.people.length > 0) {
      await trx
        .insertInto('force_people')
        .values(
          force.people.map((p, position) => ({
            force_id: force.id,
            position,
            name: p.name,
            rank: p.rank,
            bio: p.bio,
            contact_details: JSON.stringify(p.contact_details),
          })),
        )
        .execute();
    }
  });
}

/** Inserts or replaces one neighbourhood with its team, events and priorities, atomically; keeps its bounding box for locate. */
export async function saveNeighbourhood(db: Kysely<Database>, forceId: string, n: NeighbourhoodData): Promise<void> {
  const lats = n.boundary.map((p) => p.latitude);
  const lngs = n.boundary.map((p) => p.longitude);
  const hasBoundary = n.boundary.length >= 3;
  const row = {
    force_id: forceId,
    id: n.id,
    name: n.name,
    description: n.description,
    url_force: n.url_force,
    population: n.population,
    centre_latitude: n.centre?.latitude ?? null,
    centre_longitude: n.centre?.longitude ?? null,
    contact_details: JSON.stringify(n.contact_details),
    links: JSON.stringify(n.links),
    locations: JSON.stringify(n.locations),
    boundary: JSON.stringify(n.boundary.map((p) => [p.latitude, p.longitude])),
    min_latitude: hasBoundary ? Math.min(...lats) : null,
    max_latitude: hasBoundary ? Math.max(...lats) : null,
    min_longitude: hasBoundary ? Math.min(...lngs) : null,
    max_longitude: hasBoundary ? Math.max(...lngs) : null,
  };
  const key = (t: 'neighbourhood_people' | 'neighbourhood_events' | 'neighbourhood_priorities') =>
    db.deleteFrom(t).where('force_id', '=', forceId).where('neighbourhood_id', '=', n.id);

  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('neighbourhoods')
      .values(row)
      .onConflict((oc) => oc.columns(['force_id', 'id']).doUpdateSet({ ...row }))
      .execute();
    for (const table of ['neighbourhood_people', 'neighbourhood_events', 'neighbourhood_priorities'] as const) {
      await trx.executeQuery(key(table).compile());
    }
    const base = { force_id: forceId, neighbourhood_id: n.id };
    if (n.people.length > 0) {
      await trx
        .insertInto('neighbourhood_people')
        .values(n.people.map((p, position) => ({ ...base, position, name: p.name, rank: p.rank, bio: p.bio, contact_details: JSON.stringify(p.contact_details) })))
        .execute();
    }
    await insertNeighbourhoodEvents(trx, forceId, n.id, 0, n.events);
    if (n.priorities.length > 0) {
      await trx
        .insertInto('neighbourhood_priorities')
        .values(n.priorities.map((p, position) => ({ ...base, position, ...p })))
        .execute();
    }
  });
}

/** An event's stored columns, less its place: the one place an event becomes a row. */
function eventColumns(e: NeighbourhoodEvent) {
  return {
    title: e.title,
    type: e.type,
    description: e.description,
    address: e.address,
    start_date: e.start_date,
    end_date: e.end_date,
    contact_details: JSON.stringify(e.contact_details),
  };
}

/**
 * Inserts events at positions `firstPosition`, `firstPosition + 1`, …: the one
 * writer of neighbourhood events, which fetch and the demo reach through
 * saveNeighbourhood and the staff tools one event at a time.
 */
export async function insertNeighbourhoodEvents(db: Kysely<Database>, forceId: string, id: string, firstPosition: number, events: readonly NeighbourhoodEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('neighbourhood_events')
    .values(events.map((e, i) => ({ force_id: forceId, neighbourhood_id: id, position: firstPosition + i, ...eventColumns(e) })))
    .execute();
}

/** Changes what the staff form edits of the event at `position`; its contact details stay as they were. False when there is no event there. */
export async function updateNeighbourhoodEvent(db: Kysely<Database>, forceId: string, id: string, position: number, e: NeighbourhoodEvent): Promise<boolean> {
  const { contact_details: _kept, ...columns } = eventColumns(e);
  const result = await db
    .updateTable('neighbourhood_events')
    .set(columns)
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .where('position', '=', position)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const CHILD_TABLES = ['neighbourhood_people', 'neighbourhood_events', 'neighbourhood_priorities'] as const;

/**
 * Removes a force's neighbourhoods that are not in `keepIds`, with their people,
 * events and priorities: after a full fetch, teams upstream has merged away must
 * not linger. Returns the ids removed.
 */
export async function deleteNeighbourhoodsExcept(db: Kysely<Database>, forceId: string, keepIds: readonly string[]): Promise<string[]> {
  return db.transaction().execute((trx) => deleteNeighbourhoodsExceptWithin(trx, forceId, keepIds));
}

/** deleteNeighbourhoodsExcept inside the caller's transaction, so it commits or rolls back with the rest of the caller's work. */
export async function deleteNeighbourhoodsExceptWithin(trx: Transaction<Database>, forceId: string, keepIds: readonly string[]): Promise<string[]> {
  const keep = new Set(keepIds);
  const rows = await trx.selectFrom('neighbourhoods').select('id').where('force_id', '=', forceId).execute();
  const stale = rows.map((r) => r.id).filter((id) => !keep.has(id));
  for (let i = 0; i < stale.length; i += 500) {
    const chunk = stale.slice(i, i + 500);
    for (const table of CHILD_TABLES) {
      await trx.deleteFrom(table).where('force_id', '=', forceId).where('neighbourhood_id', 'in', chunk).execute();
    }
    await trx.deleteFrom('neighbourhoods').where('force_id', '=', forceId).where('id', 'in', chunk).execute();
  }
  return stale;
}

/** A force's neighbourhoods, ordered by id (upstream's order is its own and not by name). */
export async function listNeighbourhoods(db: Kysely<Database>, forceId: string): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('neighbourhoods').select(['id', 'name']).where('force_id', '=', forceId).orderBy('id').execute();
}

/** Whether the force holds a neighbourhood of that id (case-sensitive, as upstream). */
export async function neighbourhoodExists(db: Kysely<Database>, forceId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom('neighbourhoods').select('id').where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

/** A neighbourhood's name, published centre and bounding box (any may be null but the name); undefined when unknown. */
export async function neighbourhoodCentreAndBounds(db: Kysely<Database>, forceId: string, id: string) {
  return db
    .selectFrom('neighbourhoods')
    .select(['name', 'centre_latitude', 'centre_longitude', 'min_latitude', 'max_latitude', 'min_longitude', 'max_longitude'])
    .where('force_id', '=', forceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export type NeighbourhoodRecord = Omit<NeighbourhoodData, 'people' | 'events' | 'priorities'>;

/** One neighbourhood with its boundary; undefined when unknown. Ids are case-sensitive, as upstream. */
export async function findNeighbourhood(db: Kysely<Database>, forceId: string, id: string): Promise<NeighbourhoodRecord | undefined> {
  const row = await db.selectFrom('neighbourhoods').selectAll().where('force_id', '=', forceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const centre =
    row.centre_latitude !== null && row.centre_longitude !== null ? { latitude: row.centre_latitude, longitude: row.centre_longitude } : null;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    url_force: row.url_force,
    population: row.population,
    centre,
    contact_details: parseJsonColumn<ContactDetails>(row.contact_details),
    links: parseJsonColumn<NeighbourhoodLink[]>(row.links),
    locations: parseJsonColumn<NeighbourhoodLocation[]>(row.locations),
    boundary: ringFromColumn(row.boundary),
  };
}

function ringFromColumn(text: string): LatLng[] {
  return parseJsonColumn<Array<[number, number]>>(text).map(([latitude, longitude]) => ({ latitude, longitude }));
}

/** The neighbourhood's team in published order. */
export async function listNeighbourhoodPeople(db: Kysely<Database>, forceId: string, id: string): Promise<Person[]> {
  const rows = await db
    .selectFrom('neighbourhood_people')
    .select(['name', 'rank', 'bio', 'contact_details'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ name: r.name, rank: r.rank, bio: r.bio, contact_details: parseJsonColumn<ContactDetails>(r.contact_details) }));
}

/**
 * Events not yet over at `now` (a local `YYYY-MM-DDTHH:MM:SS`, the form the dates
 * are stored in, so text comparison orders them), soonest first.
 */
export async function listUpcomingEvents(db: Kysely<Database>, forceId: string, id: string, now: string): Promise<NeighbourhoodEvent[]> {
  const rows = await db
    .selectFrom('neighbourhood_events')
    .select(['title', 'type', 'description', 'address', 'start_date', 'end_date', 'contact_details'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .where((eb) => eb(eb.fn.coalesce('end_date', 'start_date'), '>=', now))
    .orderBy('start_date')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ ...r, contact_details: parseJsonColumn<ContactDetails>(r.contact_details) }));
}

/** Priorities in published order. */
export async function listPriorities(db: Kysely<Database>, forceId: string, id: string): Promise<NeighbourhoodPriority[]> {
  return db
    .selectFrom('neighbourhood_priorities')
    .select(['issue', 'issue_date', 'action', 'action_date'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .orderBy('position')
    .execute();
}

export interface BoundaryCandidate {
  force_id: string;
  id: string;
  boundary: LatLng[];
}

/** A candidate with its force's name (the id when the force is not held) and its bounding box. */
export interface BoxedCandidate extends BoundaryCandidate {
  force_name: string;
  box: Box;
}

/**
 * Neighbourhoods whose bounding box meets the box, the cheap prefilter before
 * the exact polygon test. Listed forces come first so that a point also inside
 * an unlisted force's area (btp stations) answers with the territorial force.
 */
export async function neighbourhoodsWithBoxMeeting(db: Kysely<Database>, box: Box): Promise<BoxedCandidate[]> {
  const rows = await db
    .selectFrom('neighbourhoods as n')
    .leftJoin('forces as f', 'f.id', 'n.force_id')
    .select(['n.force_id', 'n.id', 'n.boundary', 'n.min_latitude', 'n.max_latitude', 'n.min_longitude', 'n.max_longitude', 'f.name as force_name'])
    .where('n.min_latitude', '<=', box.maxLat)
    .where('n.max_latitude', '>=', box.minLat)
    .where('n.min_longitude', '<=', box.maxLng)
    .where('n.max_longitude', '>=', box.minLng)
    .orderBy((eb) => eb.fn.coalesce('f.listed', eb.lit(0)), 'desc')
    .orderBy('n.force_id')
    .orderBy('n.id')
    .execute();
  return rows.map((r) => ({
    force_id: r.force_id,
    force_name: r.force_name ?? r.force_id,
    id: r.id,
    box: { minLat: r.min_latitude ?? 0, maxLat: r.max_latitude ?? 0, minLng: r.min_longitude ?? 0, maxLng: r.max_longitude ?? 0 },
    boundary: ringFromColumn(r.boundary),
  }));
}

/** Neighbourhoods whose bounding box holds the point (neighbourhoodsWithBoxMeeting of a box that is one point). */
export async function neighbourhoodsWithBoxAround(db: Kysely<Database>, point: LatLng): Promise<BoundaryCandidate[]> {
  return neighbourhoodsWithBoxMeeting(db, { minLat: point.latitude, maxLat: point.latitude, minLng: point.longitude, maxLng: point.longitude });
}

/** The name of the one force that has neighbourhoods, or undefined when none or several do. */
export async function onlyForceWithNeighbourhoods(db: Kysely<Database>): Promise<string | undefined> {
  const rows = await db.selectFrom('neighbourhoods as n').innerJoin('forces as f', 'f.id', 'n.force_id').select('f.name').distinct().limit(2).execute();
  return rows.length === 1 ? rows[0]!.name : undefined;
}
