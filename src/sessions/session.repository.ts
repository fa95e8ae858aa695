/**
 * Server-side sessions. The browser holds a random token; the store holds only its
 * SHA-256, so neither a copy of the table nor a log line lets anyone in. Every app
 * server sharing the store sees the same sessions.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, SessionTable } from '../store/database.ts';
import type { SessionStage } from '../store/column-values.ts';

type Db = Kysely<Database> | Transaction<Database>;

export type Session = Omit<SessionTable, 'second_factor'> & { second_factor: number };
export type { SessionStage };

/** How long a half-finished sign-in (password given, code not yet) stays usable. */
export const PARTIAL_SESSION_MINUTES = 5;
/** Setting up an authentication app means installing one first: give it longer. */
export const ENROL_SESSION_MINUTES = 20;

/** 256 bits from the CSPRNG (ASVS 7.2.3 asks for at least 128). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewSession {
  personId: string;
  stage: SessionStage;
  privilegeVersion: number;
  /** Absolute lifetime of a full session; partial sessions get PARTIAL_SESSION_MINUTES. */
  absoluteHours: number;
  clientAddress?: string | null;
  userAgent?: string | null;
  /** The person gave a second factor to get this session. */
  secondFactor?: boolean;
  now?: Date;
}

/** Creates a session and returns the token for the cookie. */
export async function createSession(db: Db, input: NewSession): Promise<{ token: string; session: Session }> {
  const now = input.now ?? new Date();
  const token = newSessionToken();
  const lifetimeMs =
    input.stage === 'full' ? input.absoluteHours * 3_600_000 : (input.stage === 'enrol' ? ENROL_SESSION_MINUTES : PARTIAL_SESSION_MINUTES) * 60_000;
  const session: Session = {
    id_hash: hashSessionToken(token),
    person_id: input.personId,
    stage: input.stage,
    privilege_version: input.privilegeVersion,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + lifetimeMs).toISOString(),
    client_address: input.clientAddress?.slice(0, 64) ?? null,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
    second_factor: input.secondFactor ? 1 : 0,
  };
  await db.insertInto('sessions').values(session).execute();
  return { token, session };
}

export async function findSession(db: Db, token: string): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('id_hash', '=', hashSessionToken(token)).executeTakeFirst();
}

/**
 * Gives a live session a new id, keeping its person, times and origin: used when the
 * person's privileges changed under it (ASVS 7.2.4). The old token stops working.
 */
export async function reissueSession(db: Kysely<Database>, old: Session, privilegeVersion: number): Promise<string> {
  const token = newSessionToken();
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('sessions').where('id_hash', '=', old.id_hash).execute();
    await tx
      .insertInto('sessions')
      .values({ ...old, id_hash: hashSessionToken(token), privilege_version: privilegeVersion })
      .execute();
  });
  return token;
}

export async function touchSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a person (sign out everywhere, suspension), optionally sparing one. */
export async function deleteSessionsOf(db: Db, personId: string, exceptIdHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (exceptIdHash !== undefined) query = query.where('id_hash', '!=', exceptIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listSessionsOf(db: Db, personId: string): Promise<Session[]> {
  return db.selectFrom('sessions').selectAll().where('person_id', '=', personId).orderBy('last_seen_at', 'desc').execute();
}

/** Removes sessions past their absolute or idle limit; run now and then, since expired ones are refused anyway. */
export async function pruneSessions(db: Db, now: Date, idleMinutes: number): Promise<number> {
  const idleCutoff = new Date(now.getTime() - idleMinutes * 60_000).toISOString();
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('last_seen_at', '<', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
