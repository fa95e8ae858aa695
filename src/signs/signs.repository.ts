/**
 * The guides and their versions. Versions are only ever added: an edit is a new
 * row with the next number, its author and time, and nothing here updates or
 * deletes one.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { StoreKind } from '../store/store-kind.ts';

export interface GuideVersion {
  slug: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  published: boolean;
  authorPersonId: string | null;
  /** The author's display name, when the version has one and the person still exists. */
  authorName: string | null;
  createdAt: string;
}

export interface NewGuideVersion {
  slug: string;
  title: string;
  summary: string;
  body: string;
  published: boolean;
  authorPersonId: string | null;
}

const VERSION_COLUMNS = [
  'guide_versions.slug',
  'guide_versions.version',
  'guide_versions.title',
  'guide_versions.summary',
  'guide_versions.body',
  'guide_versions.published',
  'guide_versions.author_person_id',
  'guide_versions.created_at',
  'people.display_name',
] as const;

type VersionRow = {
  slug: string;
  version: number;
  title: string;
  summary: string;
  body: string;
  published: number;
  author_person_id: string | null;
  created_at: string;
  display_name: string | null;
};

function toVersion(row: VersionRow): GuideVersion {
  return {
    slug: row.slug,
    version: Number(row.version),
    title: row.title,
    summary: row.summary,
    body: row.body,
    published: Number(row.published) === 1,
    authorPersonId: row.author_person_id,
    authorName: row.display_name,
    createdAt: row.created_at,
  };
}

function versions(db: Kysely<Database>) {
  return db.selectFrom('guide_versions').leftJoin('people', 'people.id', 'guide_versions.author_person_id').select(VERSION_COLUMNS);
}

export async function countGuides(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('guides')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * True when the guide exists. Inside a transaction on PostgreSQL it also locks the
 * guide's row until commit, so two editors saving at once take the next version
 * numbers in turn (SQLite runs one write transaction at a time anyway).
 */
export async function lockGuide(db: Kysely<Database>, kind: StoreKind, slug: string): Promise<boolean> {
  const query = db.selectFrom('guides').select('slug').where('slug', '=', slug);
  return (await (kind === 'postgres' ? query.forUpdate() : query).executeTakeFirst()) !== undefined;
}

/** Adds a guide with no versions; false when the slug is taken (another server seeded it first). */
export async function insertGuide(db: Kysely<Database>, slug: string, position: number, now: Date): Promise<boolean> {
  const result = await db
    .insertInto('guides')
    .values({ slug, position, created_at: now.toISOString() })
    .onConflict((oc) => oc.column('slug').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Adds the next version of a guide and returns its number. Run inside a transaction so two editors cannot take the same number. */
export async function insertVersion(db: Kysely<Database>, input: NewGuideVersion, now: Date): Promise<number> {
  const last = await db
    .selectFrom('guide_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('slug', '=', input.slug)
    .executeTakeFirst();
  const version = Number(last?.version ?? 0) + 1;
  await db
    .insertInto('guide_versions')
    .values({
      slug: input.slug,
      version,
      title: input.title,
      summary: input.summary,
      body: input.body,
      published: input.published ? 1 : 0,
      author_person_id: input.authorPersonId,
      created_at: now.toISOString(),
    })
    .execute();
  return version;
}

/** Each guide's latest published version, in the guides' order; guides with none published are left out. */
export async function listPublishedGuides(db: Kysely<Database>): Promise<GuideVersion[]> {
  const rows = await versions(db)
    .innerJoin('guides', 'guides.slug', 'guide_versions.slug')
    .where('guide_versions.published', '=', 1)
    .where((eb) =>
      eb(
        'guide_versions.version',
        '=',
        eb
          .selectFrom('guide_versions as later')
          .select((e) => e.fn.max('later.version').as('v'))
          .whereRef('later.slug', '=', 'guide_versions.slug')
          .where('later.published', '=', 1),
      ),
    )
    .orderBy('guides.position')
    .orderBy('guides.slug')
    .execute();
  return rows.map(toVersion);
}

/** Each guide's latest version, published or not (for editors), in the guides' order. */
export async function listLatestGuides(db: Kysely<Database>): Promise<GuideVersion[]> {
  const rows = await versions(db)
    .innerJoin('guides', 'guides.slug', 'guide_versions.slug')
    .where((eb) =>
      eb(
        'guide_versions.version',
        '=',
        eb
          .selectFrom('guide_versions as later')
          .select((e) => e.fn.max('later.version').as('v'))
          .whereRef('later.slug', '=', 'guide_versions.slug'),
      ),
    )
    .orderBy('guides.position')
    .orderBy('guides.slug')
    .execute();
  return rows.map(toVersion);
}

export async function findLatestPublished(db: Kysely<Database>, slug: string): Promise<GuideVersion | null> {
  const row = await versions(db)
    .where('guide_versions.slug', '=', slug)
    .where('guide_versions.published', '=', 1)
    .orderBy('guide_versions.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

export async function findLatest(db: Kysely<Database>, slug: string): Promise<GuideVersion | null> {
  const row = await versions(db)
    .where('guide_versions.slug', '=', slug)
    .orderBy('guide_versions.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toVersion(row) : null;
}

/** Every version of a guide, newest first. */
export async function listVersions(db: Kysely<Database>, slug: string): Promise<GuideVersion[]> {
  const rows = await versions(db).where('guide_versions.slug', '=', slug).orderBy('guide_versions.version', 'desc').execute();
  return rows.map(toVersion);
}
