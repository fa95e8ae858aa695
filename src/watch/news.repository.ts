/**
 * A scheme's updates as stored: recording one once it has been emailed, and the
 * recent ones the coordinator tools list. The public ones a scheme's page shows
 * are read by publicNews in schemes.repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredUpdate {
  schemeId: string;
  title: string;
  body: string;
  public: boolean;
  emailedTo: number;
  authorPersonId: string;
  createdAt: string;
}

/** Records an update that has been sent (in the transaction that queued its emails). */
export async function insertUpdate(db: Db, update: StoredUpdate): Promise<void> {
  await db
    .insertInto('watch_news')
    .values({ scheme_id: update.schemeId, title: update.title, body: update.body, public: update.public ? 1 : 0, emailed_to: update.emailedTo, author_person_id: update.authorPersonId, created_at: update.createdAt })
    .execute();
}

/** The scheme's latest 50 updates, newest first, public or not. */
export async function recentUpdatesOf(db: Db, schemeId: string) {
  return db
    .selectFrom('watch_news')
    .select(['id', 'title', 'public', 'emailed_to', 'created_at'])
    .where('scheme_id', '=', schemeId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
}
