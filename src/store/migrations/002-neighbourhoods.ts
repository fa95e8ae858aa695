/**
 * Neighbourhoods and what the public needs to know about each: boundary, team,
 * events and priorities, in the shapes data.police.uk publishes them.
 */
import type { Kysely, Migration } from 'kysely';

export function neighbourhoodsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('neighbourhoods')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('url_force', 'text')
        .addColumn('population', 'text', (c) => c.notNull().defaultTo('0'))
        .addColumn('centre_latitude', 'double precision')
        .addColumn('centre_longitude', 'double precision')
        .addColumn('contact_details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('links', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('locations', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('boundary', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('min_latitude', 'double precision')
        .addColumn('min_longitude', 'double precision')
        .addColumn('max_latitude', 'double precision')
        .addColumn('max_longitude', 'double precision')
        .addPrimaryKeyConstraint('neighbourhoods_pk', ['force_id', 'id'])
        .execute();
      await db.schema
        .createIndex('neighbourhoods_bbox')
        .on('neighbourhoods')
        .columns(['min_latitude', 'max_latitude'])
        .execute();

      await db.schema
        .createTable('neighbourhood_people')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('neighbourhood_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('rank', 'text', (c) => c.notNull())
        .addColumn('bio', 'text')
        .addColumn('contact_details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addPrimaryKeyConstraint('neighbourhood_people_pk', ['force_id', 'neighbourhood_id', 'position'])
        .execute();

      await db.schema
        .createTable('neighbourhood_events')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('neighbourhood_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('type', 'text')
        .addColumn('description', 'text')
        .addColumn('address', 'text')
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('end_date', 'text')
        .addColumn('contact_details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addPrimaryKeyConstraint('neighbourhood_events_pk', ['force_id', 'neighbourhood_id', 'position'])
        .execute();

      await db.schema
        .createTable('neighbourhood_priorities')
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('neighbourhood_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('issue', 'text', (c) => c.notNull())
        .addColumn('issue_date', 'text')
        .addColumn('action', 'text')
        .addColumn('action_date', 'text')
        .addPrimaryKeyConstraint('neighbourhood_priorities_pk', ['force_id', 'neighbourhood_id', 'position'])
        .execute();
    },
  };
}
