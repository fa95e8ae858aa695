/**
 * Postcodes and where they are, so a resident can find their neighbourhood by
 * postcode: data.police.uk has no geocoder, so the platform keeps its own copy
 * of the ONS Postcode Directory (or the demo's fictional postcodes).
 */
import type { Kysely, Migration } from 'kysely';

export function postcodesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('postcodes')
        // Stored normalised (`SO23 8UA`), so the primary key is the lookup index.
        .addColumn('postcode', 'text', (c) => c.primaryKey())
        .addColumn('outward', 'text', (c) => c.notNull())
        .addColumn('latitude', 'double precision', (c) => c.notNull())
        .addColumn('longitude', 'double precision', (c) => c.notNull())
        .addColumn('local_authority_code', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      // A district typed on its own (`DM1`) is answered from every postcode in it.
      await db.schema.createIndex('postcodes_outward').on('postcodes').column('outward').execute();
    },
  };
}
