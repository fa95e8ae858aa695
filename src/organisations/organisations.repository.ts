/**
 * Organisations and the roles people hold in them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, OrganisationTable } from '../store/database.ts';
import type { OrganisationType, Role, Tier } from '../access/permissions.ts';
import type { HeldRole, HeldSchemeRole } from '../access/policy.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type Organisation = OrganisationTable;

export interface NewOrganisation {
  id: string;
  name: string;
  type: OrganisationType;
  tier: Tier;
  forceId?: string | null;
  neighbourhoodId?: string | null;
}

export async function createOrganisation(db: Db, org: NewOrganisation, now = new Date()): Promise<Organisation> {
  const row: Organisation = {
    id: org.id,
    name: org.name,
    type: org.type,
    tier: org.tier,
    force_id: org.forceId ?? null,
    neighbourhood_id: org.neighbourhoodId ?? null,
    status: 'active',
    created_at: now.toISOString(),
  };
  await db.insertInto('organisations').values(row).execute();
  return row;
}

export async function findOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  return db.selectFrom('organisations').selectAll().orderBy('name').execute();
}

/** The names of these organisations, alphabetical. */
export async function organisationNames(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('organisations').select('name').where('id', 'in', [...ids]).orderBy('name').execute();
  return rows.map((o) => o.name);
}

/** A force's neighbourhood team organisations, keyed by the neighbourhood each serves. */
export async function neighbourhoodTeamsOfForce(db: Db, forceId: string): Promise<Map<string, { id: string; name: string }>> {
  const rows = await db.selectFrom('organisations').select(['id', 'name', 'neighbourhood_id']).where('type', '=', 'neighbourhood_team').where('force_id', '=', forceId).execute();
  return new Map(rows.filter((r) => r.neighbourhood_id !== null).map((r) => [r.neighbourhood_id!, { id: r.id, name: r.name }]));
}

/** The roles a person holds, joined to what the policy needs of each organisation. Suspended organisations grant nothing. */
export async function heldRoles(db: Db, personId: string): Promise<HeldRole[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .select(['m.role', 'm.organisation_id', 'o.type', 'o.force_id', 'o.neighbourhood_id'])
    .where('m.person_id', '=', personId)
    .where('o.status', '=', 'active')
    .orderBy('m.organisation_id')
    .orderBy('m.role')
    .execute();
  return rows.map((r) => ({
    role: r.role,
    organisationId: r.organisation_id,
    organisationType: r.type,
    forceId: r.force_id,
    neighbourhoodId: r.neighbourhood_id,
  }));
}

/** Active roles in Neighbourhood Watch schemes that are still running (or awaiting approval, so a founder can see theirs). */
export async function heldSchemeRoles(db: Db, personId: string): Promise<HeldSchemeRole[]> {
  const rows = await db
    .selectFrom('watch_memberships as m')
    .innerJoin('watch_schemes as s', 's.id', 'm.scheme_id')
    .select(['m.scheme_id', 'm.role'])
    .where('m.person_id', '=', personId)
    .where('m.status', '=', 'active')
    .where('s.status', 'in', ['active', 'pending'])
    .orderBy('m.scheme_id')
    .execute();
  return rows.map((r) => ({ role: `scheme_${r.role}`, schemeId: r.scheme_id }));
}

export async function addMembership(db: Db, personId: string, organisationId: string, role: Role, grantedBy: string | null, now = new Date()): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ person_id: personId, organisation_id: organisationId, role, granted_by: grantedBy, created_at: now.toISOString() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeMembership(db: Db, personId: string, organisationId: string, role: Role): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('person_id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
