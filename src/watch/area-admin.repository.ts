/**
 * What a force area's Watch administrators see: the schemes of their forces by
 * status, each with the other schemes (active or pending) whose areas overlap it,
 * found by a bounding-box query and then the exact polygon test.
 */
import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Actor } from '../access/policy.ts';
import { boxAround, distanceMetres, MILE_METRES } from '../geo/geo.ts';
import type { Database, WatchSchemeTable } from '../store/database.ts';
import type { MembershipRole, SchemeStatus } from '../store/column-values.ts';
import { schemeRing, type Scheme } from './schemes.repository.ts';
import { ringsIntersect } from './watch-geo.ts';

/** The forces in which the actor holds watch_admin. */
export function administeredForces(actor: Actor | null): string[] {
  const forces = new Set<string>();
  for (const held of actor?.roles ?? []) if (held.role === 'watch_admin' && held.forceId !== null) forces.add(held.forceId);
  return [...forces].sort();
}

/**
 * The badge the actor's approval gives in the force: police verification when they
 * hold watch_admin in a police force organisation there, otherwise the association's.
 */
export function verifiedBadgeFor(actor: Actor, forceId: string): 'police_verified' | 'association_verified' {
  const held = actor.roles.filter((r) => r.role === 'watch_admin' && r.forceId === forceId);
  return held.some((r) => r.organisationType === 'police_force') ? 'police_verified' : 'association_verified';
}

/** The organisation the actor acts for in the force (for the audit log). */
export function actingOrganisation(actor: Actor, forceId: string | null): string | null {
  return actor.roles.find((r) => r.role === 'watch_admin' && r.forceId === forceId)?.organisationId ?? actor.roles[0]?.organisationId ?? null;
}

export type OverlapScheme = Pick<Scheme, 'id' | 'name' | 'status'>;

/** Active or pending schemes, other than this one, whose areas overlap its area. */
export async function overlappingSchemes(db: Kysely<Database>, scheme: Scheme): Promise<OverlapScheme[]> {
  const rows = await db
    .selectFrom('watch_schemes')
    .select(['id', 'name', 'status', 'area'])
    .where('status', 'in', ['active', 'pending'])
    .where('id', '!=', scheme.id)
    .where('min_latitude', '<=', scheme.max_latitude)
    .where('max_latitude', '>=', scheme.min_latitude)
    .where('min_longitude', '<=', scheme.max_longitude)
    .where('max_longitude', '>=', scheme.min_longitude)
    .orderBy('name')
    .execute();
  const ring = schemeRing(scheme);
  return rows.filter((r) => ringsIntersect(ring, schemeRing(r))).map(({ id, name, status }) => ({ id, name, status }));
}

/** The schemes of the forces with the given statuses, oldest first. */
export async function schemesInForces(db: Kysely<Database>, forceIds: readonly string[], statuses: readonly SchemeStatus[]): Promise<Scheme[]> {
  if (forceIds.length === 0) return [];
  return db
    .selectFrom('watch_schemes')
    .selectAll()
    .where('force_id', 'in', [...forceIds])
    .where('status', 'in', [...statuses])
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** Schemes another can be merged into: active, same force, overlapping or within two miles; nearest first. */
export async function mergeCandidates(db: Kysely<Database>, scheme: Scheme): Promise<OverlapScheme[]> {
  if (scheme.force_id === null) return [];
  const centre = { latitude: scheme.centre_latitude, longitude: scheme.centre_longitude };
  const box = boxAround(centre, 2 * MILE_METRES);
  const rows = await db
    .selectFrom('watch_schemes')
    .select(['id', 'name', 'status', 'centre_latitude', 'centre_longitude'])
    .where('status', '=', 'active')
    .where('force_id', '=', scheme.force_id)
    .where('id', '!=', scheme.id)
    .where('min_latitude', '<=', box.maxLat)
    .where('max_latitude', '>=', box.minLat)
    .where('min_longitude', '<=', box.maxLng)
    .where('max_longitude', '>=', box.minLng)
    .execute();
  const distance = (r: (typeof rows)[number]) => distanceMetres(centre, { latitude: r.centre_latitude, longitude: r.centre_longitude });
  return rows.sort((a, b) => distance(a) - distance(b)).map(({ id, name, status }) => ({ id, name, status }));
}

/** The active main coordinators and deputies of a scheme, with their addresses, to tell them of a decision. */
export async function schemeLeaders(db: Kysely<Database>, schemeId: string, roles: readonly MembershipRole[] = ['coordinator']): Promise<{ personId: string; email: string; name: string }[]> {
  const rows = await db
    .selectFrom('watch_memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.email', 'm.name'])
    .where('m.scheme_id', '=', schemeId)
    .where('m.status', '=', 'active')
    .where('m.role', 'in', [...roles])
    .where('p.status', '=', 'active')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ personId: r.id, email: r.email, name: r.name.trim().split(/\s+/)[0] ?? '' }));
}

/** Conversations reported as abuse in schemes of these forces, newest first: what the administrators must read. */
export async function reportedThreadsInForces(db: Kysely<Database>, forces: readonly string[]): Promise<{ id: string; subject: string; schemeName: string; lastMessageAt: string }[]> {
  if (forces.length === 0) return [];
  const rows = await db
    .selectFrom('watch_threads as t')
    .innerJoin('watch_schemes as s', 's.id', 't.scheme_id')
    .select(['t.id', 't.subject', 's.name', 't.last_message_at'])
    .where('t.status', '=', 'reported')
    .where('s.force_id', 'in', [...forces])
    .orderBy('t.last_message_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, subject: r.subject, schemeName: r.name, lastMessageAt: r.last_message_at }));
}

/** Applies an administrator's decision to the scheme only if it still has the status it was decided on; false when it changed meanwhile. */
export async function changeSchemeIfStatus(tx: Transaction<Database>, schemeId: string, status: SchemeStatus, changes: Updateable<WatchSchemeTable>): Promise<boolean> {
  const updated = await tx.updateTable('watch_schemes').set(changes).where('id', '=', schemeId).where('status', '=', status).executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * Moves A's active members into B (see area-admin.service.ts): each joins B (coordinators
 * and deputies as deputies) unless already active in B or removed or declined there,
 * and their membership of A ends. Returns how many joined B.
 */
export async function moveMembers(tx: Transaction<Database>, fromId: string, intoId: string, adminId: string, now: string): Promise<number> {
  const members = await tx.selectFrom('watch_memberships').selectAll().where('scheme_id', '=', fromId).where('status', '=', 'active').execute();
  let moved = 0;
  for (const m of members) {
    const role = m.role === 'member' ? 'member' : 'deputy';
    const existing = await tx.selectFrom('watch_memberships').select('status').where('scheme_id', '=', intoId).where('person_id', '=', m.person_id).executeTakeFirst();
    const decided = { decided_at: now, decided_by: adminId };
    if (!existing) {
      await tx.insertInto('watch_memberships').values({ ...m, scheme_id: intoId, role, status: 'active', ...decided }).execute();
      moved += 1;
    } else if (!['active', 'removed', 'declined'].includes(existing.status)) {
      await tx
        .updateTable('watch_memberships')
        .set({ role, status: 'active', name: m.name, street: m.street, outside_area: m.outside_area, consented_at: m.consented_at, ...decided })
        .where('scheme_id', '=', intoId)
        .where('person_id', '=', m.person_id)
        .execute();
      moved += 1;
    }
    await tx.updateTable('watch_memberships').set({ status: 'removed', ...decided }).where('scheme_id', '=', fromId).where('person_id', '=', m.person_id).execute();
  }
  return moved;
}
