/**
 * Refusals being counted before they are summarised in the audit log
 * (src/audit/denials.repository.ts): one row per actor and refused request while its
 * window runs. Rows are working state, not a record: the audit log is the record, and
 * housekeeping deletes a row once its count is written there.
 */
import type { Kysely, Migration } from 'kysely';

export function accessDenialsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('access_denials')
        // SHA-256 of the actor, action, method, route and target: one row per distinct refusal.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_org', 'text')
        // The latest client address seen.
        .addColumn('client_address', 'text')
        .addColumn('wanted', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        // JSON, or null for "somewhere" and for the per-route rows of an actor over the limit.
        .addColumn('target', 'text')
        // 1: the actor was over the per-actor limit, so refusals are counted per route without targets.
        .addColumn('over_actor_limit', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        // Refusals counted and not yet in the audit log; of them, how many were answered 429.
        .addColumn('pending', 'integer', (c) => c.notNull())
        .addColumn('throttled', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('access_denials_window').on('access_denials').column('window_started_at').execute();
    },
  };
}
