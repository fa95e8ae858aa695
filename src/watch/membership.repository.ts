/**
 * Memberships of Neighbourhood Watch schemes: applications (memberships not yet
 * active), members, deputies and the coordinator. A membership holds the name and
 * street the person gave; those are shown to the scheme's coordinators and deputies
 * only, and an email address is never read from here for display: the queries
 * that return one are for sending mail.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, WatchMembershipTable } from '../store/database.ts';
import type { MembershipRole, MembershipStatus } from '../store/column-values.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type Membership = Selectable<WatchMembershipTable>;
export type { MembershipRole, MembershipStatus };

/** Statuses someone may apply again from (a fresh application replaces the old row). */
export const REAPPLICABLE: readonly MembershipStatus[] = ['unconfirmed', 'declined', 'left', 'removed'];

export async function findMembership(db: Db, schemeId: string, personId: string): Promise<Membership | undefined> {
  return db.selectFrom('watch_memberships').selectAll().where('scheme_id', '=', schemeId).where('person_id', '=', personId).executeTakeFirst();
}

export interface Application {
  schemeId: string;
  personId: string;
  name: string;
  street: string;
  outsideArea: boolean;
  status: MembershipStatus;
  now: Date;
}

/** Creates the application, or replaces one the person may apply again from (always as a plain member). */
export async function saveApplication(db: Db, a: Application): Promise<void> {
  const at = a.now.toISOString();
  const values: Omit<Insertable<WatchMembershipTable>, 'scheme_id' | 'person_id'> = {
    role: 'member',
    status: a.status,
    name: a.name,
    street: a.street,
    outside_area: a.outsideArea ? 1 : 0,
    consented_at: at,
    updates_opted_out_at: null,
    applied_at: at,
    decided_at: a.status === 'active' ? at : null,
    decided_by: null,
  };
  await db
    .insertInto('watch_memberships')
    .values({ scheme_id: a.schemeId, person_id: a.personId, ...values })
    .onConflict((oc) => oc.columns(['scheme_id', 'person_id']).doUpdateSet(values))
    .execute();
}

/** Changes a membership's status; `from` guards against a change someone else made first. Returns whether it changed. */
export async function setMembershipStatus(
  db: Db,
  key: { schemeId: string; personId: string },
  change: { from: readonly MembershipStatus[]; to: MembershipStatus; decidedBy?: string | null; role?: MembershipRole; now: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('watch_memberships')
    .set({
      status: change.to,
      // 'pending' is still waiting for a decision.
      ...(change.to !== 'pending' ? { decided_at: change.now.toISOString() } : {}),
      ...(change.decidedBy !== undefined ? { decided_by: change.decidedBy } : {}),
      ...(change.role !== undefined ? { role: change.role } : {}),
    })
    .where('scheme_id', '=', key.schemeId)
    .where('person_id', '=', key.personId)
    .where('status', 'in', [...change.from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Changes an active member's role. Returns whether it changed. */
export async function setRole(db: Db, schemeId: string, personId: string, from: MembershipRole, to: MembershipRole): Promise<boolean> {
  const result = await db
    .updateTable('watch_memberships')
    .set({ role: to })
    .where('scheme_id', '=', schemeId)
    .where('person_id', '=', personId)
    .where('status', '=', 'active')
    .where('role', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Applications waiting for a coordinator, oldest first: for the coordinator tools only. */
export async function pendingApplications(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_memberships')
    .select(['person_id', 'name', 'street', 'outside_area', 'applied_at'])
    .where('scheme_id', '=', schemeId)
    .where('status', '=', 'pending')
    .orderBy('applied_at')
    .execute();
}

/** Active members with their role, name and street: for the coordinator tools only. */
export async function activeMembers(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_memberships')
    .select(['person_id', 'name', 'street', 'role', 'applied_at', 'outside_area'])
    .where('scheme_id', '=', schemeId)
    .where('status', '=', 'active')
    .orderBy('name')
    .execute();
}

/** For sending mail only: the active coordinator and deputies with their addresses. */
export async function schemeLeaders(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id', 'm.name', 'm.role', 'p.email'])
    .where('m.scheme_id', '=', schemeId)
    .where('m.status', '=', 'active')
    .where('m.role', 'in', ['coordinator', 'deputy'])
    .where('p.status', '=', 'active')
    .execute();
}

/** For sending mail only: active members who have not opted out of updates. */
export async function updateRecipients(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id', 'm.name', 'p.email'])
    .where('m.scheme_id', '=', schemeId)
    .where('m.status', '=', 'active')
    .where('m.updates_opted_out_at', 'is', null)
    .where('p.status', '=', 'active')
    .execute();
}

/** Every membership of a person, with the scheme's name and status: for their own data page. */
export async function membershipsOf(db: Db, personId: string) {
  return db
    .selectFrom('watch_memberships as m')
    .innerJoin('watch_schemes as s', 's.id', 'm.scheme_id')
    .selectAll('m')
    .select(['s.name as scheme_name', 's.status as scheme_status'])
    .where('m.person_id', '=', personId)
    .orderBy('m.applied_at', 'desc')
    .execute();
}

/** Sets or clears the opt-out from a scheme's updates. Returns whether a membership changed. */
export async function setUpdatesOptOut(db: Db, schemeId: string, personId: string, optedOutAt: Date | null): Promise<boolean> {
  const result = await db
    .updateTable('watch_memberships')
    .set({ updates_opted_out_at: optedOutAt === null ? null : optedOutAt.toISOString() })
    .where('scheme_id', '=', schemeId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The first word of a name as given (what one side of a conversation sees of the other). */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** For sending mail only: every active member with their address (service messages such as closing ignore the opt-out). */
export async function activeMemberAddresses(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_memberships as m')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['m.person_id', 'm.name', 'p.email'])
    .where('m.scheme_id', '=', schemeId)
    .where('m.status', '=', 'active')
    .where('p.status', '=', 'active')
    .execute();
}
