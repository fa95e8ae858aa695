/**
 * What starting a scheme writes and reads: the founder's schemes still waiting
 * for approval, the force area's Watch administrators to tell, and the new scheme
 * with its neighbourhoods and its coordinator's membership (start.service.ts runs
 * them in one transaction with the audit entry and the emails).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { JoinPolicy } from '../store/column-values.ts';

/** How many schemes the person founded that still wait for approval. */
export async function pendingSchemesOf(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('watch_schemes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('created_by', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Everyone holding watch_admin in an active organisation of the force, with their address. */
export async function forceWatchAdmins(db: Kysely<Database>, forceId: string): Promise<{ personId: string; email: string; name: string }[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.email', 'p.display_name'])
    .where('m.role', '=', 'watch_admin')
    .where('o.force_id', '=', forceId)
    .where('o.status', '=', 'active')
    .where('o.type', 'in', ['watch_association', 'police_force'])
    .where('p.status', '=', 'active')
    .distinct()
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ personId: r.id, email: r.email, name: r.display_name }));
}

export interface NewScheme {
  id: string;
  name: string;
  forceId: string;
  /** The area's corners as [latitude, longitude] pairs. */
  area: [number, number][];
  centre: { latitude: number; longitude: number };
  box: { minLat: number; minLng: number; maxLat: number; maxLng: number };
  joinPolicy: JoinPolicy;
  neighbourhoods: { forceId: string; id: string }[];
  founder: { personId: string; name: string; street: string };
  /** ISO time: when it was started, the code of conduct accepted and the founder made coordinator. */
  now: string;
}

/** Inserts a pending, self-declared scheme, its neighbourhoods and its founder as active coordinator. */
export async function insertPendingScheme(db: Kysely<Database>, s: NewScheme): Promise<void> {
  await db
    .insertInto('watch_schemes')
    .values({
      id: s.id,
      name: s.name,
      force_id: s.forceId,
      area: JSON.stringify(s.area),
      centre_latitude: s.centre.latitude,
      centre_longitude: s.centre.longitude,
      min_latitude: s.box.minLat,
      min_longitude: s.box.minLng,
      max_latitude: s.box.maxLat,
      max_longitude: s.box.maxLng,
      status: 'pending',
      badge: 'self_declared',
      join_policy: s.joinPolicy,
      merged_into: null,
      created_by: s.founder.personId,
      code_of_conduct_accepted_at: s.now,
      created_at: s.now,
      approved_at: null,
      approved_by: null,
      closed_at: null,
    })
    .execute();
  await db
    .insertInto('watch_scheme_neighbourhoods')
    .values(s.neighbourhoods.map((n) => ({ scheme_id: s.id, force_id: n.forceId, neighbourhood_id: n.id })))
    .execute();
  await db
    .insertInto('watch_memberships')
    .values({
      scheme_id: s.id,
      person_id: s.founder.personId,
      role: 'coordinator',
      status: 'active',
      name: s.founder.name,
      street: s.founder.street,
      outside_area: 0,
      consented_at: s.now,
      updates_opted_out_at: null,
      applied_at: s.now,
      decided_at: s.now,
      decided_by: s.founder.personId,
    })
    .execute();
}
