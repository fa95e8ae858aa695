/**
 * The queries administration needs beyond the people and organisation
 * repositories: members of an organisation, a person's memberships, who the
 * platform administrators are, and organisation status.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../access/permissions.ts';
import type { Database } from '../store/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface Member {
  id: string;
  email: string;
  displayName: string;
  status: string;
  roles: Role[];
}

/** People holding any role in the organisation, by name, each with their roles there. */
export async function listMembers(db: Db, organisationId: string): Promise<Member[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.email', 'p.display_name', 'p.status', 'm.role'])
    .where('m.organisation_id', '=', organisationId)
    .orderBy('p.display_name')
    .orderBy('p.email')
    .orderBy('m.role')
    .execute();
  const byId = new Map<string, Member>();
  for (const r of rows) {
    const member = byId.get(r.id) ?? { id: r.id, email: r.email, displayName: r.display_name, status: r.status, roles: [] };
    member.roles.push(r.role);
    byId.set(r.id, member);
  }
  return [...byId.values()];
}

/** The roles the person holds in the organisation (whatever its status). */
export async function rolesIn(db: Db, personId: string, organisationId: string): Promise<Role[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('role')
    .where('person_id', '=', personId)
    .where('organisation_id', '=', organisationId)
    .orderBy('role')
    .execute();
  return rows.map((r) => r.role);
}

/** Whether the person holds the platform administrator role in any organisation (whatever its or their status). */
export async function holdsPlatformAdminRole(db: Db, personId: string): Promise<boolean> {
  const row = await db.selectFrom('memberships').select('role').where('person_id', '=', personId).where('role', '=', 'platform_admin').executeTakeFirst();
  return row !== undefined;
}

/** Every organisation the person holds a role in, active or not. */
export async function organisationIdsOf(db: Db, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').select('organisation_id').distinct().where('person_id', '=', personId).orderBy('organisation_id').execute();
  return rows.map((r) => r.organisation_id);
}

/** Deletes the person's memberships in one organisation (or everywhere); returns what was removed. */
export async function deleteMemberships(db: Db, personId: string, organisationId?: string): Promise<{ organisationId: string; role: Role }[]> {
  let select = db.selectFrom('memberships').select(['organisation_id', 'role']).where('person_id', '=', personId);
  let remove = db.deleteFrom('memberships').where('person_id', '=', personId);
  if (organisationId !== undefined) {
    select = select.where('organisation_id', '=', organisationId);
    remove = remove.where('organisation_id', '=', organisationId);
  }
  const rows = await select.orderBy('organisation_id').orderBy('role').execute();
  await remove.execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, role: r.role }));
}

export async function memberIds(db: Db, organisationId: string): Promise<string[]> {
  const rows = await db.selectFrom('memberships').select('person_id').distinct().where('organisation_id', '=', organisationId).execute();
  return rows.map((r) => r.person_id);
}

/** A platform administrator role that works today: active person, in an active platform organisation. */
export interface PlatformAdminGrant {
  personId: string;
  organisationId: string;
}

export async function activePlatformAdminGrants(db: Db): Promise<PlatformAdminGrant[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id', 'm.organisation_id'])
    .where('m.role', '=', 'platform_admin')
    .where('o.type', '=', 'platform')
    .where('o.status', '=', 'active')
    .where('p.status', '=', 'active')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, organisationId: r.organisation_id }));
}

/**
 * How many people would still be working platform administrators once the grants
 * matching `lost` are gone: the last one must never be suspended or removed.
 */
export async function platformAdminsLeftWithout(db: Db, lost: (grant: PlatformAdminGrant) => boolean): Promise<{ before: number; after: number }> {
  const grants = await activePlatformAdminGrants(db);
  const before = new Set(grants.map((g) => g.personId)).size;
  const after = new Set(grants.filter((g) => !lost(g)).map((g) => g.personId)).size;
  return { before, after };
}

export async function setOrganisationStatus(db: Db, organisationId: string, status: 'active' | 'suspended'): Promise<void> {
  await db.updateTable('organisations').set({ status }).where('id', '=', organisationId).execute();
}

/** Deletes the person's one-time links (invitations, recovery, verification): a suspended or closed account must not be revived by one. */
export async function deleteAccountTokensOf(db: Db, personId: string): Promise<number> {
  const result = await db.deleteFrom('account_tokens').where('person_id', '=', personId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteInvitationsOf(db: Db, personId: string): Promise<void> {
  await db.deleteFrom('account_tokens').where('person_id', '=', personId).where('purpose', '=', 'invite').execute();
}

/** One session of the person, by the hash that identifies it (never the token). */
export async function deleteSessionOf(db: Db, personId: string, idHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('person_id', '=', personId).where('id_hash', '=', idHash).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
