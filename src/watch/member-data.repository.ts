/**
 * The SQL behind members' control of their own data (member-data.service.ts):
 * the conversations a person started and the messages they wrote, what stops an
 * account being deleted here, and the deletion itself.
 */
import type { Kysely } from 'kysely';
import type { Person } from '../accounts/people.repository.ts';
import type { Database } from '../store/database.ts';

type Who = Pick<Person, 'id' | 'email' | 'email_verified_at'>;

/** Conversations the person started: as a signed-in sender, or with their address once it is verified as theirs. */
export async function threadsStartedBy(db: Kysely<Database>, person: Who) {
  return db
    .selectFrom('watch_threads as t')
    .innerJoin('watch_schemes as s', 's.id', 't.scheme_id')
    .select(['t.id', 't.scheme_id', 's.name as scheme_name', 't.sender_name', 't.subject', 't.status', 't.created_at', 't.last_message_at'])
    .where((eb) => (person.email_verified_at === null ? eb('t.sender_person_id', '=', person.id) : eb.or([eb('t.sender_person_id', '=', person.id), eb('t.sender_email', '=', person.email)])))
    .orderBy('t.created_at', 'desc')
    .execute();
}

/** The messages the person wrote, oldest first. */
export async function messagesWrittenBy(db: Kysely<Database>, personId: string) {
  return db.selectFrom('watch_messages').select(['id', 'thread_id', 'direction', 'body', 'created_at']).where('author_person_id', '=', personId).orderBy('created_at').execute();
}

/** Every message in the threads, oldest first. */
export async function messagesInThreads(db: Kysely<Database>, threadIds: readonly string[]) {
  if (threadIds.length === 0) return [];
  return db.selectFrom('watch_messages').select(['id', 'thread_id', 'direction', 'body', 'created_at']).where('thread_id', 'in', threadIds).orderBy('created_at').orderBy('id').execute();
}

/** True when the person is the active coordinator of a scheme that is not closed or merged. */
export async function coordinatesOpenScheme(db: Kysely<Database>, personId: string): Promise<boolean> {
  const leads = await db
    .selectFrom('watch_memberships as m')
    .innerJoin('watch_schemes as s', 's.id', 'm.scheme_id')
    .select('m.scheme_id')
    .where('m.person_id', '=', personId)
    .where('m.role', '=', 'coordinator')
    .where('m.status', '=', 'active')
    .where('s.status', 'in', ['active', 'pending', 'suspended'])
    .executeTakeFirst();
  return leads !== undefined;
}

/** True when the person holds any role in an organisation (staff). */
export async function holdsOrganisationRole(db: Kysely<Database>, personId: string): Promise<boolean> {
  const role = await db.selectFrom('memberships').select('role').where('person_id', '=', personId).executeTakeFirst();
  return role !== undefined;
}

/** A scheme's status, or undefined when there is no such scheme. */
export async function schemeStatus(db: Kysely<Database>, schemeId: string): Promise<string | undefined> {
  const scheme = await db.selectFrom('watch_schemes').select('status').where('id', '=', schemeId).executeTakeFirst();
  return scheme?.status;
}

/**
 * Erases what Watch holds about the person: anonymises the conversations they
 * started (`deletedName`, the address replaced by `removedEmail`), detaches the
 * messages they wrote, deletes their memberships, tokens, recovery codes and
 * sessions, and leaves the person row as status 'removed' with no personal data.
 */
export async function eraseMemberAccount(db: Kysely<Database>, person: Pick<Person, 'id' | 'email'>, replacement: { name: string; email: string }, now: Date): Promise<void> {
  await db
    .updateTable('watch_threads')
    .set({ sender_name: replacement.name, sender_email: replacement.email, sender_person_id: null })
    .where((eb) => eb.or([eb('sender_person_id', '=', person.id), eb('sender_email', '=', person.email)]))
    .execute();
  await db.updateTable('watch_messages').set({ author_person_id: null }).where('author_person_id', '=', person.id).execute();
  await db.deleteFrom('watch_memberships').where('person_id', '=', person.id).execute();
  await db.deleteFrom('account_tokens').where('person_id', '=', person.id).execute();
  await db.deleteFrom('recovery_codes').where('person_id', '=', person.id).execute();
  await db.deleteFrom('sessions').where('person_id', '=', person.id).execute();
  await db
    .updateTable('people')
    .set({ status: 'removed', email: replacement.email, display_name: replacement.name, password_hash: null, email_verified_at: null, totp_secret: null, totp_last_step: null, mfa_enabled_at: null, updated_at: now.toISOString() })
    .where('id', '=', person.id)
    .execute();
}
