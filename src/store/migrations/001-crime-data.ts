/**
 * The crime data schema: snap points stored once and referred to by crimes,
 * outcomes and stops, as data.police.uk builds its own data.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function crimeDataMigration(kind: StoreKind): Migration {
  const idType = kind === 'postgres' ? 'serial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('forces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('telephone', 'text')
        .addColumn('description', 'text')
        .addColumn('engagement_methods', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('is_demo', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('force_people')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('rank', 'text', (c) => c.notNull())
        .addColumn('bio', 'text')
        .addColumn('contact_details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addPrimaryKeyConstraint('force_people_pk', ['force_id', 'position'])
        .execute();

      await db.schema
        .createTable('locations')
        .addColumn('id', idType, (c) => c.primaryKey())
        .addColumn('latitude', 'double precision', (c) => c.notNull())
        .addColumn('longitude', 'double precision', (c) => c.notNull())
        .addColumn('street_name', 'text', (c) => c.notNull())
        // Also the area index: queries range over latitude first (a one-mile band is a
        // thin slice of the country), and holding the name makes it a covering index.
        .addUniqueConstraint('locations_point_name_unique', ['latitude', 'longitude', 'street_name'])
        .execute();

      await db.schema
        .createTable('crimes')
        .addColumn('id', idType, (c) => c.primaryKey())
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('persistent_id', 'text', (c) => c.notNull())
        .addColumn('location_id', 'integer')
        .addColumn('location_type', 'text', (c) => c.notNull())
        .addColumn('location_subtype', 'text', (c) => c.notNull())
        .addColumn('context', 'text', (c) => c.notNull())
        .addColumn('lsoa_code', 'text', (c) => c.notNull())
        .addColumn('lsoa_name', 'text', (c) => c.notNull())
        .addColumn('last_outcome', 'text', (c) => c.notNull())
        .addColumn('outcome_code', 'text')
        .addColumn('outcome_month', 'text')
        .execute();
      await db.schema.createIndex('crimes_month_location').on('crimes').columns(['month', 'location_id']).execute();
      await db.schema.createIndex('crimes_force_month').on('crimes').columns(['force_id', 'month']).execute();
      await db.schema.createIndex('crimes_persistent_id').on('crimes').column('persistent_id').execute();

      await db.schema
        .createTable('outcomes')
        .addColumn('id', idType, (c) => c.primaryKey())
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('persistent_id', 'text', (c) => c.notNull())
        .addColumn('outcome_code', 'text', (c) => c.notNull())
        .addColumn('location_id', 'integer')
        .addColumn('lsoa_code', 'text', (c) => c.notNull())
        .addColumn('lsoa_name', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outcomes_persistent_month').on('outcomes').columns(['persistent_id', 'month']).execute();
      await db.schema.createIndex('outcomes_month_location').on('outcomes').columns(['month', 'location_id']).execute();
      await db.schema.createIndex('outcomes_force_month').on('outcomes').columns(['force_id', 'month']).execute();

      await db.schema
        .createTable('stops')
        .addColumn('id', idType, (c) => c.primaryKey())
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('datetime', 'text', (c) => c.notNull())
        .addColumn('involved_person', 'integer', (c) => c.notNull())
        .addColumn('operation', 'integer')
        .addColumn('operation_name', 'text')
        .addColumn('location_id', 'integer')
        .addColumn('gender', 'text')
        .addColumn('age_range', 'text')
        .addColumn('self_defined_ethnicity', 'text')
        .addColumn('officer_defined_ethnicity', 'text')
        .addColumn('legislation', 'text')
        .addColumn('object_of_search', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('outcome_linked', 'integer')
        .addColumn('removal_of_outer_clothing', 'integer')
        .execute();
      await db.schema.createIndex('stops_month_location').on('stops').columns(['month', 'location_id']).execute();
      await db.schema.createIndex('stops_force_month').on('stops').columns(['force_id', 'month']).execute();

      await db.schema
        .createTable('publications')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('rejected', 'integer', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('publications_pk', ['force_id', 'month', 'kind'])
        .execute();

      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
