/**
 * Writes forces and neighbourhoods. Each save replaces the whole record with its
 * people, events and priorities in one transaction, so a reader never sees half
 * of an update.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { ForceData, NeighbourhoodData } from './neighbourhood.types.ts';

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
    if (n.events.length > 0) {
      await trx
        .insertInto('neighbourhood_events')
        .values(
          n.events.map((e, position) => ({
            ...base,
            position,
            title: e.title,
            type: e.type,
            description: e.description,
            address: e.address,
            start_date: e.start_date,
            end_date: e.end_date,
            contact_details: JSON.stringify(e.contact_details),
          })),
        )
        .execute();
    }
    if (n.priorities.length > 0) {
      await trx
        .insertInto('neighbourhood_priorities')
        .values(n.priorities.map((p, position) => ({ ...base, position, ...p })))
        .execute();
    }
  });
}
