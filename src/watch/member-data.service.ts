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
import { findMembership, membershipsOf, setMembershipStatus, setUpdatesOptOut } from './membership.repository.ts';

export const DELETED_NAME = 'Deleted member';
export const removedEmail = (personId: string): string => `removed:${personId}`;

/** Conversations the person started: as a signed-in sender, or with their address once it is verified as theirs. */
async function threadsStartedBy(db: Kysely<Database>, person: Person) {
  return db
    .selectFrom('watch_threads as t')
    .innerJoin('watch_schemes as s', 's.id', 't.scheme_id')
    .select(['t.id', 't.scheme_id', 's.name as scheme_name', 't.sender_name', 't.subject', 't.status', 't.created_at', 't.last_message_at'])
    .where((eb) => (person.email_verified_at === null ? eb('t.sender_person_id', '=', person.id) : eb.or([eb('t.sender_person_id', '=', person.id), eb('t.sender_email', '=', person.email)])))
    .orderBy('t.created_at', 'desc')
    .execute();
}

/** Everything held about the person in Neighbourhood Watch, for the page and the download. */
export async function memberData(db: Kysely<Database>, person: Person) {
  const [memberships, threads, written] = await Promise.all([
    membershipsOf(db, person.id),
    threadsStartedBy(db, person),
    db.selectFrom('watch_messages').select(['id', 'thread_id', 'direction', 'body', 'created_at']).where('author_person_id', '=', person.id).orderBy('created_at').execute(),
  ]);
  const threadIds = threads.map((t) => t.id);
  const inThreads = threadIds.length === 0 ? [] : await db.selectFrom('watch_messages').select(['id', 'thread_id', 'direction', 'body', 'created_at']).where('thread_id', 'in', threadIds).orderBy('created_at').orderBy('id').execute();
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
        const scheme = await tx.selectFrom('watch_schemes').select('status').where('id', '=', schemeId).executeTakeFirst();
        if (scheme && ['active', 'pending', 'suspended'].includes(scheme.status)) return 'coordinator';
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
  const leads = await db
    .selectFrom('watch_memberships as m')
    .innerJoin('watch_schemes as s', 's.id', 'm.scheme_id')
    .select('m.scheme_id')
    .where('m.person_id', '=', personId)
    .where('m.role', '=', 'coordinator')
    .where('m.status', '=', 'active')
    .where('s.status', 'in', ['active', 'pending', 'suspended'])
    .executeTakeFirst();
  if (leads) return 'coordinator';
  const role = await db.selectFrom('memberships').select('role').where('person_id', '=', personId).executeTakeFirst();
  return role ? 'staff' : null;
}

/** Deletes the account as described at the top of this file, with its audit entry, in one transaction. */
export async function deleteAccount(ctx: AppContext, actor: Actor | null, person: Person, clientAddress: string): Promise<void> {
  const now = ctx.now();
  await auditedChange(ctx, actor?.personId ?? null, clientAddress, { action: 'account.remove', actorId: person.id, subjectType: 'person', subjectId: person.id, details: { via: 'self_service' } }, async (tx) => {
    await tx
      .updateTable('watch_threads')
      .set({ sender_name: DELETED_NAME, sender_email: removedEmail(person.id), sender_person_id: null })
      .where((eb) => eb.or([eb('sender_person_id', '=', person.id), eb('sender_email', '=', person.email)]))
      .execute();
    await tx.updateTable('watch_messages').set({ author_person_id: null }).where('author_person_id', '=', person.id).execute();
    await tx.deleteFrom('watch_memberships').where('person_id', '=', person.id).execute();
    await tx.deleteFrom('account_tokens').where('person_id', '=', person.id).execute();
    await tx.deleteFrom('recovery_codes').where('person_id', '=', person.id).execute();
    await tx.deleteFrom('sessions').where('person_id', '=', person.id).execute();
    await tx
      .updateTable('people')
      .set({ status: 'removed', email: removedEmail(person.id), display_name: DELETED_NAME, password_hash: null, email_verified_at: null, totp_secret: null, totp_last_step: null, mfa_enabled_at: null, updated_at: now.toISOString() })
      .where('id', '=', person.id)
      .execute();
    await bumpPrivilegeVersion(tx, person.id, now);
  });
}
