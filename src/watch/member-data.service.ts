/**
 * Members' control of their own data: what is held about them (memberships, the
 * conversations they started, the messages they wrote), a download of all of it,
 * leaving a scheme, stopping or restarting updates, and deleting the account.
 *
 * Deleting an account removes its memberships, anonymises the conversations it
 * started (sender "Deleted member", no address), ends its sessions and tokens, and
 * keeps the person row only as status 'removed' with the name "Deleted member" and
 * the email replaced by `removed:<id>`, which is not an address: the real one can
 * register again, and ids in the audit log still point at something.
 */
import type { Actor } from '../access/policy.ts';
import type { AppContext } from '../app-context.ts';
import type { Kysely } from 'kysely';
import { bumpPrivilegeVersion, type Person } from '../accounts/people.repository.ts';
import type { Database } from '../store/database.ts';
import { auditedChange } from './audited-change.ts';
import { coordinatesOpenScheme, eraseMemberAccount, holdsOrganisationRole, messagesInThreads, messagesWrittenBy, schemeStatus, threadsStartedBy } from './member-data.repository.ts';
import { findMembership, membershipsOf, setMembershipStatus, setUpdatesOptOut } from './membership.repository.ts';

export const DELETED_NAME = 'Deleted member';
export const removedEmail = (personId: string): string => `removed:${personId}`;

/** Everything held about the person in Neighbourhood Watch, for the page and the download. */
export async function memberData(db: Kysely<Database>, person: Person) {
  const [memberships, threads, written] = await Promise.all([
    membershipsOf(db, person.id),
    threadsStartedBy(db, person),
    messagesWrittenBy(db, person.id),
  ]);
  const inThreads = await messagesInThreads(db, threads.map((t) => t.id));
  return { memberships, threads: threads.map((t) => ({ ...t, messages: inThreads.filter((m) => m.thread_id === t.id) })), written };
}

/** The download: plain JSON, every field named for what it is. */
export async function exportMemberData(db: Kysely<Database>, person: Person, now: Date) {
  const data = await memberData(db, person);
  return {
    exportedAt: now.toISOString(),
    account: { name: person.display_name, email: person.email, createdAt: person.created_at, emailVerifiedAt: person.email_verified_at },
    memberships: data.memberships.map((m) => ({
      schemeId: m.scheme_id,
      schemeName: m.scheme_name,
      role: m.role,
      status: m.status,
      name: m.name,
      street: m.street,
      outsideArea: m.outside_area === 1,
      consentedAt: m.consented_at,
      appliedAt: m.applied_at,
      decidedAt: m.decided_at,
      updatesOptedOutAt: m.updates_opted_out_at,
    })),
    conversationsStarted: data.threads.map((t) => ({
      id: t.id,
      schemeName: t.scheme_name,
      senderName: t.sender_name,
      subject: t.subject,
      status: t.status,
      createdAt: t.created_at,
      messages: t.messages.map((m) => ({ from: m.direction === 'to_scheme' ? 'you' : 'the scheme', body: m.body, sentAt: m.created_at })),
    })),
    messagesWritten: data.written.map((m) => ({ conversationId: m.thread_id, to: m.direction === 'to_scheme' ? 'a scheme' : 'someone who wrote to your scheme', body: m.body, sentAt: m.created_at })),
  };
}

export type LeaveOutcome = 'left' | 'coordinator' | 'not-member';

/** Leaves a scheme (or withdraws an application). The coordinator must hand over first. */
export async function leaveScheme(ctx: AppContext, actor: Actor | null, personId: string, schemeId: string, clientAddress: string): Promise<LeaveOutcome> {
  const now = ctx.now();
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (outcome: LeaveOutcome) => (outcome === 'left' ? { action: 'record.update', subjectType: 'watch_membership', subjectId: `${schemeId}/${personId}`, details: { change: 'left' } } : null),
    async (tx) => {
      const membership = await findMembership(tx, schemeId, personId);
      if (!membership || !['active', 'pending', 'unconfirmed'].includes(membership.status)) return 'not-member';
      if (membership.role === 'coordinator' && membership.status === 'active') {
        const status = await schemeStatus(tx, schemeId);
        if (status !== undefined && ['active', 'pending', 'suspended'].includes(status)) return 'coordinator';
      }
      await setMembershipStatus(tx, { schemeId, personId }, { from: [membership.status], to: 'left', role: 'member', now });
      if (membership.role !== 'member') await bumpPrivilegeVersion(tx, personId, now);
      return 'left';
    },
  );
}

/** Stops or restarts a scheme's updates for the person. */
export async function changeUpdates(ctx: AppContext, actor: Actor | null, personId: string, schemeId: string, on: boolean, clientAddress: string): Promise<boolean> {
  return auditedChange(
    ctx,
    actor?.personId ?? null,
    clientAddress,
    (changed: boolean) => (changed ? { action: 'record.update', subjectType: 'watch_membership', subjectId: `${schemeId}/${personId}`, details: { change: on ? 'updates_on' : 'updates_off' } } : null),
    (tx) => setUpdatesOptOut(tx, schemeId, personId, on ? null : ctx.now()),
  );
}

/** Why the account cannot be deleted here, or null when it can. */
export async function deletionBlocker(db: Kysely<Database>, personId: string): Promise<'coordinator' | 'staff' | null> {
  if (await coordinatesOpenScheme(db, personId)) return 'coordinator';
  return (await holdsOrganisationRole(db, personId)) ? 'staff' : null;
}

/** Deletes the account as described at the top of this file, with its audit entry, in one transaction. */
export async function deleteAccount(ctx: AppContext, actor: Actor | null, person: Person, clientAddress: string): Promise<void> {
  const now = ctx.now();
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'account.remove', actorId: person.id, subjectType: 'person', subjectId: person.id, details: { via: 'self_service' } }, async (tx) => {
    await eraseMemberAccount(tx, person, { name: DELETED_NAME, email: removedEmail(person.id) }, now);
    await bumpPrivilegeVersion(tx, person.id, now);
  });
}
