/**
 * People with accounts. Emails are stored normalised so one address is one account.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PersonTable } from '../store/database.ts';
import type { PersonStatus } from '../store/column-values.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type Person = Omit<PersonTable, 'privilege_version'> & { privilege_version: number };
export type { PersonStatus };

/** Trimmed and lower-cased: addresses are compared without regard to case, as people type them. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** 128 random bits: ids appear in admin URLs and must not be guessable or sequential. */
export function newPersonId(): string {
  return randomBytes(16).toString('base64url');
}

export interface NewPerson {
  email: string;
  displayName: string;
  passwordHash?: string | null;
  status: PersonStatus;
  emailVerified?: boolean;
}

export async function createPerson(db: Db, input: NewPerson, now = new Date()): Promise<Person> {
  const at = now.toISOString();
  const row = {
    id: newPersonId(),
    email: normaliseEmail(input.email),
    display_name: input.displayName.trim(),
    password_hash: input.passwordHash ?? null,
    status: input.status,
    email_verified_at: input.emailVerified ? at : null,
    totp_secret: null,
    totp_last_step: null,
    mfa_enabled_at: null,
    privilege_version: 0,
    created_at: at,
    updated_at: at,
  };
  await db.insertInto('people').values(row).execute();
  return row;
}

export async function findPersonById(db: Db, id: string): Promise<Person | undefined> {
  return db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPersonByEmail(db: Db, email: string): Promise<Person | undefined> {
  return db.selectFrom('people').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();
}

/** The email address of each of these people who is known, by id. */
export async function emailsOfPeople(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('people').select(['id', 'email']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((p) => [p.id, p.email]));
}

export type PersonChanges = Partial<Pick<PersonTable, 'display_name' | 'password_hash' | 'status' | 'email_verified_at' | 'totp_secret' | 'totp_last_step' | 'mfa_enabled_at'>>;

export async function updatePerson(db: Db, id: string, changes: PersonChanges, now = new Date()): Promise<void> {
  await db.updateTable('people').set({ ...changes, updated_at: now.toISOString() }).where('id', '=', id).execute();
}

/**
 * Marks a change to what the person may do (roles, status). Their sessions notice on
 * the next request and are given a new id (session fixation across privilege change).
 */
export async function bumpPrivilegeVersion(db: Db, id: string, now = new Date()): Promise<void> {
  await db
    .updateTable('people')
    .set({ privilege_version: sql`privilege_version + 1`, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/**
 * Records `step` as the last accepted one, only if it is later than the stored one.
 * One conditional UPDATE: of two requests racing with the same code, one changes
 * the row and the other changes nothing and is refused (RFC 6238 §5.2).
 */
export async function claimTotpStep(db: Db, personId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('people')
    .set({ totp_last_step: step })
    .where('id', '=', personId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
