/**
 * Staff tools: team members get a stable id and consent to publish their photo
 * and biography; photos are kept in the store as re-encoded JPEG bytes; and a
 * neighbourhood edited here is marked, so `fetch` leaves it alone.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function staffToolsMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // When staff last changed the neighbourhood here; null while only upstream (fetch, demo) has written it.
      await db.schema.alterTable('neighbourhoods').addColumn('edited_locally_at', 'text').execute();

      // A stable id for staff tools and photo links: the position changes when members are reordered or removed.
      await db.schema.alterTable('neighbourhood_people').addColumn('member_id', 'text').execute();
      // The biography as staff typed it, kept whatever the consent; `bio` (the public column) holds it only while bio_consent is 1.
      await db.schema.alterTable('neighbourhood_people').addColumn('entered_bio', 'text').execute();
      // Upstream records were published by the force itself, so they count as consented; staff set both explicitly.
      await db.schema.alterTable('neighbourhood_people').addColumn('bio_consent', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema.alterTable('neighbourhood_people').addColumn('photo_consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('neighbourhood_people_member').on('neighbourhood_people').column('member_id').execute();

      await db.schema
        .createTable('team_photos')
        // Random, and new for every upload: it is the photo's public file name, so a replaced photo gets a new URL.
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('neighbourhood_id', 'text', (c) => c.notNull())
        .addColumn('member_id', 'text', (c) => c.notNull().unique())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        // The re-encoded image: fixed size, no metadata (EXIF, GPS) left from the upload.
        .addColumn('image', kind === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('team_photos_neighbourhood').on('team_photos').columns(['force_id', 'neighbourhood_id']).execute();
    },
  };
}
