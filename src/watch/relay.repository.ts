/**
 * Conversations between someone who wrote to a scheme and its coordinators. The
 * sender's address is kept to tell them of replies and is never selected for a page:
 * the page queries below leave it out.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.ts';
import type { MessageDirection, ThreadStatus } from '../store/column-values.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type { ThreadStatus };
export type Direction = MessageDirection;

/** What pages may show of a thread: never the sender's address or the token's hash. */
const THREAD_PAGE_COLUMNS = ['id', 'scheme_id', 'sender_person_id', 'sender_name', 'subject', 'status', 'created_at', 'last_message_at'] as const;

export interface NewThread {
  id: string;
  schemeId: string;
  senderPersonId: string | null;
  senderName: string;
  senderEmail: string;
  tokenHash: string;
  subject: string;
  body: string;
  now: Date;
}

export async function createThread(db: Db, t: NewThread): Promise<void> {
  const at = t.now.toISOString();
  await db
    .insertInto('watch_threads')
    .values({
      id: t.id,
      scheme_id: t.schemeId,
      sender_person_id: t.senderPersonId,
      sender_name: t.senderName,
      sender_email: t.senderEmail,
      sender_token_hash: t.tokenHash,
      subject: t.subject,
      status: 'open',
      created_at: at,
      last_message_at: at,
    })
    .execute();
  await addMessage(db, { threadId: t.id, direction: 'to_scheme', authorPersonId: t.senderPersonId, body: t.body, now: t.now });
}

export async function addMessage(db: Db, m: { threadId: string; direction: Direction; authorPersonId: string | null; body: string; now: Date }): Promise<void> {
  const at = m.now.toISOString();
  await db.insertInto('watch_messages').values({ thread_id: m.threadId, direction: m.direction, author_person_id: m.authorPersonId, body: m.body, created_at: at }).execute();
  await db.updateTable('watch_threads').set({ last_message_at: at }).where('id', '=', m.threadId).execute();
}

/** A thread as pages may show it. */
export async function findThread(db: Db, id: string) {
  return db.selectFrom('watch_threads').select(THREAD_PAGE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export type ThreadView = NonNullable<Awaited<ReturnType<typeof findThread>>>;

/** For checking a secret link and mailing the sender only. */
export async function threadSecrets(db: Db, id: string) {
  return db.selectFrom('watch_threads').select(['id', 'scheme_id', 'sender_email', 'sender_name', 'sender_token_hash', 'status']).where('id', '=', id).executeTakeFirst();
}

/** The scheme's threads, most recent first. */
export async function threadsOfScheme(db: Db, schemeId: string) {
  return db.selectFrom('watch_threads').select(THREAD_PAGE_COLUMNS).where('scheme_id', '=', schemeId).orderBy('last_message_at', 'desc').limit(200).execute();
}

/** A thread's messages, oldest first, with the first name a coordinator's reply is signed with. */
export async function messagesOf(db: Db, threadId: string) {
  return db
    .selectFrom('watch_messages as m')
    .innerJoin('watch_threads as t', 't.id', 'm.thread_id')
    .leftJoin('watch_memberships as w', (j) => j.onRef('w.scheme_id', '=', 't.scheme_id').onRef('w.person_id', '=', 'm.author_person_id'))
    .select(['m.id', 'm.direction', 'm.body', 'm.created_at', 'w.name as author_name'])
    .where('m.thread_id', '=', threadId)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
}

/** Sets the status unless it is already `to`; returns whether it changed. */
export async function setThreadStatus(db: Db, id: string, to: ThreadStatus): Promise<boolean> {
  const result = await db.updateTable('watch_threads').set({ status: to }).where('id', '=', id).where('status', '!=', to).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** For mailing only: the force area's Watch administrators (role watch_admin in an organisation of the force). */
export async function watchAdministrators(db: Db, forceId: string | null) {
  if (forceId === null) return [];
  return db
    .selectFrom('memberships as m')
    .innerJoin('organisations as o', 'o.id', 'm.organisation_id')
    .innerJoin('people as p', 'p.id', 'm.person_id')
    .select(['p.id', 'p.email', 'p.display_name'])
    .distinct()
    .where('m.role', '=', 'watch_admin')
    .where('o.force_id', '=', forceId)
    .where('p.status', '=', 'active')
    .execute();
}
