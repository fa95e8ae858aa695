/**
 * Accounts: organisations, people and their roles, server-side sessions, one-time
 * tokens (email verification, invitations, recovery), MFA recovery codes, the
 * store-backed throttle and the email outbox. Times are ISO-8601 UTC text, as in
 * the audit log, so both engines compare them the same way.
 */
import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from '../store-kind.ts';

export function accountsMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('organisations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        // The police force area it serves (forces.id), when it has one.
        .addColumn('force_id', 'text')
        // A neighbourhood team's own neighbourhood (with force_id).
        .addColumn('neighbourhood_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('organisations_force').on('organisations').columns(['force_id', 'neighbourhood_id']).execute();

      await db.schema
        .createTable('people')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Stored normalised (trimmed, lower-case), so the unique index means one account per address.
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('email_verified_at', 'text')
        // TOTP secret, encrypted with SECRET_KEY (src/accounts/secret-box.ts).
        .addColumn('totp_secret', 'text')
        // The last accepted TOTP time step: a code for it or an earlier step is refused (RFC 6238 §5.2).
        .addColumn('totp_last_step', kind === 'postgres' ? 'bigint' : 'integer')
        .addColumn('mfa_enabled_at', 'text')
        // Bumped on every role or status change; a session minted under an older value gets a new id.
        .addColumn('privilege_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('memberships')
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('organisation_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['person_id', 'organisation_id', 'role'])
        .execute();
      await db.schema.createIndex('memberships_organisation').on('memberships').columns(['organisation_id', 'role']).execute();

      await db.schema
        .createTable('recovery_codes')
        .addColumn('person_id', 'text', (c) => c.notNull())
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('recovery_codes_pk', ['person_id', 'code_hash'])
        .execute();

      await db.schema
        .createTable('sessions')
        // SHA-256 of the cookie's token: a copy of this table does not let anyone in.
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('person_id', 'text', (c) => c.notNull())
        // 'mfa' (password accepted, second factor awaited), 'enrol' (must set up MFA first) or 'full'.
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('privilege_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('client_address', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_person').on('sessions').column('person_id').execute();

      await db.schema
        .createTable('account_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        // 'verify_email', 'invite' or 'recover'.
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('person_id', 'text', (c) => c.notNull())
        // JSON: what the token grants (an invitation's organisation and role).
        .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .execute();
      await db.schema.createIndex('account_tokens_person').on('account_tokens').columns(['person_id', 'purpose']).execute();

      await db.schema
        .createTable('throttle')
        // e.g. 'sign-in:account:<person or email hash>' or 'sign-in:client:<address>'.
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('hits', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', kind === 'postgres' ? 'bigserial' : 'integer', (c) => (kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        // 'queued', 'sending', 'sent' or 'dead' (gave up after the last retry).
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        // A sender that claims a message holds it until then; a crashed sender's claim runs out.
        .addColumn('claimed_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
    },
  };
}
