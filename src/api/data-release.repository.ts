/**
 * The store reads behind DataRelease (data-release.ts): what is published, in
 * three aggregates, and whether anything is published at all.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export interface PublicationSummary {
  /** The newest month with street crime published, or null for an empty store. */
  latest: string | null;
  /** The last import time and the number of publications: changes whenever any dataset is imported. */
  version: string;
  /** Whether the fictional demo force is held. */
  demo: boolean;
}

export async function publicationSummary(db: Kysely<Database>): Promise<PublicationSummary> {
  const [latest, version, demo] = await Promise.all([
    db
      .selectFrom('publications')
      .select(sql<string | null>`max(month)`.as('month'))
      .where('kind', '=', 'street')
      .executeTakeFirst(),
    db
      .selectFrom('publications')
      .select([sql<string | null>`max(imported_at)`.as('at'), sql<number>`count(*)`.as('n')])
      .executeTakeFirst(),
    db.selectFrom('forces').select('id').where('is_demo', '=', 1).limit(1).executeTakeFirst(),
  ]);
  return {
    latest: latest?.month ?? null,
    demo: demo !== undefined,
    version: `${version?.at ?? ''}/${version?.n ?? 0}`,
  };
}

/** Whether any force has published anything (the store is not empty). */
export async function anyPublication(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('publications').select('force_id').limit(1).executeTakeFirst()) !== undefined;
}
