/**
 * Neighbourhood Watch: schemes with a drawn area, the neighbourhoods they lie in,
 * memberships (coordinator, deputies, members; applications are memberships not yet
 * active), relayed messages between the public and a scheme's coordinators (the
 * sender's address is held here and never shown), and a scheme's news and updates.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function watchMigration(kind: StoreKind): Migration {
  const serial = (c: import('kysely').ColumnDefinitionBuilder) => (kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
  const serialType = kind === 'postgres' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('watch_schemes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('force_id', 'text')
        // JSON [[lat, lng], …], a closed ring as drawn; validated before it is stored.
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('centre_latitude', 'double precision', (c) => c.notNull())
        .addColumn('centre_longitude', 'double precision', (c) => c.notNull())
        .addColumn('min_latitude', 'double precision', (c) => c.notNull())
        .addColumn('min_longitude', 'double precision', (c) => c.notNull())
        .addColumn('max_latitude', 'double precision', (c) => c.notNull())
        .addColumn('max_longitude', 'double precision', (c) => c.notNull())
        // 'pending' (awaiting approval), 'active', 'suspended', 'closed', 'merged'.
        .addColumn('status', 'text', (c) => c.notNull())
        // 'self_declared', 'association_verified', 'police_verified'.
        .addColumn('badge', 'text', (c) => c.notNull().defaultTo('self_declared'))
        // 'automatic' or 'approval': whether applicants join at once or wait for a coordinator.
        .addColumn('join_policy', 'text', (c) => c.notNull().defaultTo('approval'))
        .addColumn('merged_into', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('code_of_conduct_accepted_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('approved_at', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema.createIndex('watch_schemes_box').on('watch_schemes').columns(['status', 'min_latitude', 'max_latitude']).execute();
      await db.schema.createIndex('watch_schemes_force').on('watch_schemes').columns(['force_id', 'status']).execute();

      await db.schema
        .createTable('watch_scheme_neighbourhoods')
        .addColumn('scheme_id', 'text', (c) => c.notNull())
        .addColumn('force_id', 'text', (c) => c.notNull())
        .addColumn('neighbourhood_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('watch_scheme_neighbourhoods_pk', ['scheme_id', 'force_id', 'neighbourhood_id'])
        .execute();
      await db.schema.createIndex('watch_scheme_neighbourhoods_nh').on('watch_scheme_neighbourhoods').columns(['force_id', 'neighbourhood_id']).execute();

      await db.schema
        .createTable('watch_memberships')
        .addColumn('scheme_id', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull())
        // 'coordinator' (one per scheme), 'deputy' or 'member'.
        .addColumn('role', 'text', (c) => c.notNull())
        // 'unconfirmed' (email not yet verified), 'pending' (awaiting a coordinator), 'active', 'declined', 'left', 'removed'.
        .addColumn('status', 'text', (c) => c.notNull())
        // As the applicant gave them; shown only to the scheme's coordinators.
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('street', 'text', (c) => c.notNull())
        .addColumn('outside_area', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consented_at', 'text', (c) => c.notNull())
        .addColumn('updates_opted_out_at', 'text')
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .addColumn('decided_by', 'text')
        .addPrimaryKeyConstraint('watch_memberships_pk', ['scheme_id', 'person_id'])
        .execute();
      await db.schema.createIndex('watch_memberships_person').on('watch_memberships').column('person_id').execute();

      await db.schema
        .createTable('watch_threads')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scheme_id', 'text', (c) => c.notNull())
        // Whoever wrote to the scheme: a signed-in person, or a name and address typed into the form.
        .addColumn('sender_person_id', 'text')
        .addColumn('sender_name', 'text', (c) => c.notNull())
        .addColumn('sender_email', 'text', (c) => c.notNull())
        // The sender reads and answers the thread through a secret link; only its hash is kept.
        .addColumn('sender_token_hash', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        // 'open', 'closed', 'reported' (abuse reported; no more messages relayed).
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_message_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('watch_threads_scheme').on('watch_threads').columns(['scheme_id', 'last_message_at']).execute();

      await db.schema
        .createTable('watch_messages')
        .addColumn('id', serialType, serial)
        .addColumn('thread_id', 'text', (c) => c.notNull())
        // 'to_scheme' (from the sender) or 'to_sender' (a coordinator's reply).
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('author_person_id', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('watch_messages_thread').on('watch_messages').columns(['thread_id', 'created_at']).execute();

      await db.schema
        .createTable('watch_news')
        .addColumn('id', serialType, serial)
        .addColumn('scheme_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        // Public news is on the scheme's page; an update also goes to members by email.
        .addColumn('public', 'integer', (c) => c.notNull())
        .addColumn('emailed_to', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('author_person_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('watch_news_scheme').on('watch_news').columns(['scheme_id', 'created_at']).execute();
    },
  };
}
