/**
 * Changes to one person, made from their page in an organisation. Each is one
 * transaction with exactly one audit entry, and bumps the person's privilege
 * version so their live sessions get new ids on their next request.
 *
 * Guard rails, checked inside the transaction (which holds the audit chain lock,
 * so two administrators cannot race past one): nobody suspends, removes or closes
 * themselves or takes away their own administrator role, and the last working
 * platform administrator is never suspended, removed or demoted.
 */
import type { Kysely } from 'kysely';
import { ROLES, type Action, type Role } from '../access/permissions.ts';
import { bumpPrivilegeVersion, findPersonById, updatePerson, type Person } from '../accounts/people.repository.ts';
import type { AuditEntryInput } from '../audit/audit.schema.ts';
import { AppError } from '../errors.ts';
import { addMembership, findOrganisation, removeMembership, type Organisation } from '../organisations/organisations.repository.ts';
import { deleteSessionsOf } from '../sessions/session.repository.ts';
import type { Database } from '../store/database.ts';
import { isOneOf } from '../store/column-values.ts';
import { actorOrgFor } from './admin-access.ts';
import { refuse, roleProblem } from './admin-forms.ts';
import { deleteAccountTokensOf, deleteMemberships, deleteSessionOf, holdsPlatformAdminRole, platformAdminsLeftWithout, rolesIn, type PlatformAdminGrant } from './admin.repository.ts';
import { roleLabel } from './admin.presenter.ts';
import { auditedChange } from './audited-change.ts';
import { sendInvitation } from './invite.service.ts';
import type { ChangeContext } from './organisations.service.ts';

const ADMIN_ROLES: readonly Role[] = ['org_admin', 'platform_admin'];

interface Loaded {
  db: Kysely<Database>;
  person: Person;
  organisation: Organisation;
  roles: Role[];
  now: Date;
  entry: (action: AuditEntryInput['action'], details: Record<string, unknown>, reason?: string | null) => AuditEntryInput;
}

/** Loads the person and organisation inside the change, runs `work`, and appends its one entry. */
async function change<T>(c: ChangeContext, action: Action, organisationId: string, personId: string, work: (l: Loaded) => Promise<{ result: T; audit: AuditEntryInput }>): Promise<T> {
  const { ctx, actor } = c;
  const now = ctx.now();
  return auditedChange(ctx.store, ctx.now, async (db) => {
    const organisation = await findOrganisation(db, organisationId);
    const person = await findPersonById(db, personId);
    const roles = person ? await rolesIn(db, personId, organisationId) : [];
    if (!organisation || !person || roles.length === 0) throw new AppError('SC_ERR_UNKNOWN_PERSON');
    // Authority over a platform administrator comes only from being one: an organisation
    // administrator who happens to share the platform organisation cannot demote,
    // suspend or sign out the people above them.
    const targetIsPlatformAdmin = await holdsPlatformAdminRole(db, personId);
    const actorIsPlatformAdmin = actor?.roles.some((r) => r.role === 'platform_admin') ?? false;
    if (targetIsPlatformAdmin && !actorIsPlatformAdmin) refuse('reason', 'Only a platform administrator can change a platform administrator’s account');
    const entry: Loaded['entry'] = (auditAction, details, reason = null) => ({
      action: auditAction,
      actorId: actor?.personId ?? null,
      actorOrg: actor ? actorOrgFor(actor, action, organisationId) : null,
      subjectType: 'person',
      subjectId: personId,
      reason,
      clientAddress: c.clientAddress,
      details: { organisationId, ...details },
    });
    const { result, audit } = await work({ db, person, organisation, roles, now, entry });
    return { result, audit: [audit] };
  });
}

function notSelf(c: ChangeContext, personId: string, what: string): void {
  if (c.actor?.personId === personId) refuse('reason', `You cannot ${what} yourself; ask another administrator`);
}

async function notLastPlatformAdmin(db: Kysely<Database>, lost: (g: PlatformAdminGrant) => boolean, what: string): Promise<void> {
  const { before, after } = await platformAdminsLeftWithout(db, lost);
  if (before > 0 && after === 0) refuse('reason', `This is the last working platform administrator, so they cannot be ${what}; make someone else a platform administrator first`);
}

/** Adds a role the organisation's type allows. The caller has checked who may grant platform_admin. */
export async function addRole(c: ChangeContext, organisationId: string, personId: string, role: string): Promise<void> {
  await change(c, 'person.change_roles', organisationId, personId, async ({ db, person, organisation, roles, now, entry }) => {
    // An unknown role gets roleProblem's own answer, given here so that `role` is a Role from here on.
    if (!isOneOf(ROLES, role)) refuse('role', 'Select a role');
    const problem = roleProblem(role, organisation.type);
    if (problem) refuse('role', problem.text, problem.code);
    if (roles.includes(role)) refuse('role', `They already have the ${roleLabel(role).toLowerCase()} role here`);
    if (person.status === 'removed') refuse('role', 'This account is closed');
    await addMembership(db, personId, organisationId, role, c.actor?.personId ?? null, now);
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('role.change', { added: role }) };
  });
}

export async function removeRole(c: ChangeContext, organisationId: string, personId: string, role: string): Promise<void> {
  await change(c, 'person.change_roles', organisationId, personId, async ({ db, roles, now, entry }) => {
    if (!isOneOf(roles, role)) refuse('role', 'They do not have that role here');
    if (c.actor?.personId === personId && ADMIN_ROLES.includes(role)) refuse('role', 'You cannot take away your own administrator role; ask another administrator');
    if (role === 'platform_admin') await notLastPlatformAdmin(db, (g) => g.personId === personId && g.organisationId === organisationId, 'demoted');
    await removeMembership(db, personId, organisationId, role);
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('role.change', { removed: role }) };
  });
}

/** Suspends the whole account: status 'suspended', every session ended, every emailed link withdrawn. */
export async function suspendPerson(c: ChangeContext, organisationId: string, personId: string, reason: string | null): Promise<void> {
  await change(c, 'person.suspend', organisationId, personId, async ({ db, person, now, entry }) => {
    notSelf(c, personId, 'suspend');
    if (person.status === 'suspended' || person.status === 'removed') refuse('reason', person.status === 'suspended' ? 'This account is already suspended' : 'This account is closed');
    await notLastPlatformAdmin(db, (g) => g.personId === personId, 'suspended');
    await updatePerson(db, personId, { status: 'suspended' }, now);
    const sessionsEnded = await deleteSessionsOf(db, personId);
    await deleteAccountTokensOf(db, personId);
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('account.suspend', { status: { from: person.status, to: 'suspended' }, sessionsEnded }, reason) };
  });
}

/** Lifts a suspension: active again, or invited again if they never set a password. */
export async function reactivatePerson(c: ChangeContext, organisationId: string, personId: string, reason: string | null): Promise<void> {
  await change(c, 'person.suspend', organisationId, personId, async ({ db, person, now, entry }) => {
    if (person.status !== 'suspended') refuse('reason', 'Only a suspended account can be reactivated');
    const status = person.password_hash === null ? 'unverified' : 'active';
    await updatePerson(db, personId, { status }, now);
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('record.update', { status: { from: 'suspended', to: status } }, reason) };
  });
}

/** Takes away every role the person holds in this organisation; their account and other memberships stay. */
export async function removeFromOrganisation(c: ChangeContext, organisationId: string, personId: string, reason: string | null): Promise<void> {
  await change(c, 'person.remove', organisationId, personId, async ({ db, now, entry }) => {
    notSelf(c, personId, 'remove');
    await notLastPlatformAdmin(db, (g) => g.personId === personId && g.organisationId === organisationId, 'removed');
    const removed = await deleteMemberships(db, personId, organisationId);
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('account.remove', { scope: 'organisation', roles: removed.map((r) => r.role) }, reason) };
  });
}

/** Closes the account everywhere (platform administrators only): status 'removed', no roles, no sessions, no links. */
export async function closeAccount(c: ChangeContext, organisationId: string, personId: string, reason: string | null): Promise<void> {
  await change(c, 'person.remove', organisationId, personId, async ({ db, person, now, entry }) => {
    notSelf(c, personId, 'close the account of');
    await notLastPlatformAdmin(db, (g) => g.personId === personId, 'removed');
    const removed = await deleteMemberships(db, personId);
    await updatePerson(db, personId, { status: 'removed' }, now);
    const sessionsEnded = await deleteSessionsOf(db, personId);
    await deleteAccountTokensOf(db, personId);
    await bumpPrivilegeVersion(db, personId, now);
    return {
      result: undefined,
      audit: entry('account.remove', { scope: 'account', status: { from: person.status, to: 'removed' }, roles: removed, sessionsEnded }, reason),
    };
  });
}

/** Ends one session (by the hash that names it) or, with `idHash` null, all of them but the actor's own current one. */
export async function endSessions(c: ChangeContext, organisationId: string, personId: string, idHash: string | null, spareIdHash?: string): Promise<number> {
  return change(c, 'person.end_sessions', organisationId, personId, async ({ db, entry }) => {
    let ended: number;
    if (idHash !== null) {
      if (idHash === spareIdHash) refuse('session', 'That is the session you are using; sign out instead');
      ended = (await deleteSessionOf(db, personId, idHash)) ? 1 : 0;
      if (ended === 0) refuse('session', 'That session has already ended');
    } else {
      ended = await deleteSessionsOf(db, personId, spareIdHash);
    }
    return { result: ended, audit: entry('auth.sign_out', { sessionsEnded: ended, endedBy: 'administrator' }) };
  });
}

/** Sends a new invitation to someone who has not yet set up their account; earlier links stop working. */
export async function resendInvitation(c: ChangeContext, organisationId: string, personId: string): Promise<void> {
  await change(c, 'person.invite', organisationId, personId, async ({ db, person, organisation, roles, now, entry }) => {
    if (person.status !== 'unverified') refuse('resend-invitation', 'Only someone who has not yet accepted an invitation can be sent one again');
    const role = roles.find((r) => ADMIN_ROLES.includes(r)) ?? roles[0]!;
    await sendInvitation(db, c.ctx.config, { person, organisation, role, inviterName: c.actor?.displayName ?? c.ctx.config.SITE_NAME, inviterId: c.actor?.personId ?? null, now });
    await bumpPrivilegeVersion(db, personId, now);
    return { result: undefined, audit: entry('account.invite', { role, resent: true }) };
  });
}
