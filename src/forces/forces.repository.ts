/**
 * Reads forces and their senior officers. Structured columns hold JSON text (one
 * schema for SQLite and PostgreSQL), so they are parsed here and the rest of the
 * code only ever sees the domain types.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { EngagementMethod, ForceData, Person } from '../neighbourhoods/neighbourhood.types.ts';

export type ForceRecord = Omit<ForceData, 'people'>;

/** JSON columns are written only by our own save functions, so their shape is known. */
export function parseJsonColumn<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** Forces upstream lists in /forces (so not btp), alphabetical by id. */
export async function listListedForces(db: Kysely<Database>): Promise<Array<{ id: string; name: string }>> {
  return db.selectFrom('forces').select(['id', 'name']).where('listed', '=', 1).orderBy('id').execute();
}

/** A force by id, listed or not; undefined when unknown. */
export async function findForce(db: Kysely<Database>, forceId: string): Promise<ForceRecord | undefined> {
  const row = await db.selectFrom('forces').selectAll().where('id', '=', forceId).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    telephone: row.telephone,
    description: row.description,
    engagement_methods: parseJsonColumn<EngagementMethod[]>(row.engagement_methods),
    listed: row.listed === 1,
    isDemo: row.is_demo === 1,
  };
}

/** Whether a force of that id is held at all (listed or not): neighbourhood routes answer for any. */
export async function forceExists(db: Kysely<Database>, forceId: string): Promise<boolean> {
  const row = await db.selectFrom('forces').select('id').where('id', '=', forceId).executeTakeFirst();
  return row !== undefined;
}

/** Senior officers in the order they were published. */
export async function listForcePeople(db: Kysely<Database>, forceId: string): Promise<Person[]> {
  const rows = await db
    .selectFrom('force_people')
    .select(['name', 'rank', 'bio', 'contact_details'])
    .where('force_id', '=', forceId)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ name: r.name, rank: r.rank, bio: r.bio, contact_details: parseJsonColumn(r.contact_details) }));
}
