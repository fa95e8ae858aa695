/**
 * The audit log: append-only and hash-chained (see src/audit/audit-hash.ts).
 * Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) so that even
 * direct SQL cannot quietly rewrite history; someone who drops the triggers first
 * is still caught by `safe-communities audit verify`.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function auditMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_log')
        // Assigned by appendAudit as last + 1 under a lock, never by the engine:
        // engine sequences leave gaps on rollback, and a gap must mean tampering.
        .addColumn('sequence', kind === 'postgres' ? 'bigint' : 'integer', (c) => c.primaryKey())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_org', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text')
        .addColumn('subject_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('client_address', 'text')
        .addColumn('details', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'sequence']).execute();
      await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_type', 'subject_id', 'sequence']).execute();
      await db.schema.createIndex('audit_log_time').on('audit_log').column('occurred_at').execute();
      await createAuditTriggers(db, kind);
    },
  };
}

/** The triggers that make audit_log append-only; exported so tamper tests can put them back. */
export async function createAuditTriggers(db: Kysely<unknown>, kind: StoreKind): Promise<void> {
  if (kind === 'sqlite') {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
    return;
  }
  await sql`CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`.execute(db);
}
