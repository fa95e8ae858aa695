/**
 * "Spot the signs" guides (src/signs/): one row per guide, and its versions. An edit
 * adds a version (who and when) and never overwrites one; the public page shows the
 * latest published version.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function guidesMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('guides')
        // The guide's address under /signs/; never changes.
        .addColumn('slug', 'text', (c) => c.primaryKey())
        // Where it comes in the list on /signs.
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('guide_versions')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('slug', 'text', (c) => c.notNull().references('guides.slug'))
        // 1, 2, 3, … per guide.
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        // One sentence for the list on /signs.
        .addColumn('summary', 'text', (c) => c.notNull())
        // Markdown as the editor typed it; rendered through the sanitiser when shown.
        .addColumn('body', 'text', (c) => c.notNull())
        // 1: published; 0: a draft, shown only to editors.
        .addColumn('published', 'integer', (c) => c.notNull())
        // Null for the default text the platform seeds.
        .addColumn('author_person_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('guide_versions_slug_version', ['slug', 'version'])
        .execute();
    },
  };
}
