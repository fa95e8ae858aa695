/**
 * One-time tokens for links sent by email: verifying an address, accepting an
 * invitation, recovering an account. The link carries 256 random bits; the table
 * keeps only their SHA-256, so someone who reads the table (a backup, a replica)
 * cannot use a link that is still live.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { AccountTokenPurpose } from '../store/column-values.ts';

export type { AccountTokenPurpose };

export interface NewAccountToken {
  purpose: AccountTokenPurpose;
  personId: string;
  /** What the token grants, e.g. an invitation's organisation and role; stored as JSON. */
  details?: Record<string, unknown>;
  ttlMinutes: number;
  now: Date;
}

export interface AccountTokenGrant {
  personId: string;
  details: Record<string, unknown>;
}

const TOKEN_BYTES = 32;
/** base64url of 32 bytes is 43 characters; anything else cannot be one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashToken(raw: string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/**
 * Creates a token and returns it raw, to put in the emailed link; it cannot be
 * recovered from the store afterwards.
 * @example const token = await createAccountToken(db, { purpose: 'verify_email', personId, ttlMinutes: 60 * 24, now });
 */
export async function createAccountToken(db: Kysely<Database>, token: NewAccountToken): Promise<string> {
  if (!(token.ttlMinutes > 0)) throw new RangeError('ttlMinutes must be positive');
  const raw = randomBytes(TOKEN_BYTES).toString('base64url');
  await db
    .insertInto('account_tokens')
    .values({
      token_hash: hashToken(raw),
      purpose: token.purpose,
      person_id: token.personId,
      details: JSON.stringify(token.details ?? {}),
      created_at: token.now.toISOString(),
      expires_at: new Date(token.now.getTime() + token.ttlMinutes * 60_000).toISOString(),
      used_at: null,
    })
    .execute();
  return raw;
}

/**
 * Uses a token: the grant when it exists, is for this purpose, has not expired
 * and was not used; otherwise null, without saying which (the page says "the
 * link has expired or has already been used" in every case). The check and the
 * marking are one UPDATE … RETURNING, so of two requests racing with the same
 * link exactly one gets the grant.
 */
export async function consumeAccountToken(db: Kysely<Database>, purpose: AccountTokenPurpose, rawToken: string, now: Date): Promise<AccountTokenGrant | null> {
  if (!TOKEN_PATTERN.test(rawToken)) return null;
  const at = now.toISOString();
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', hashToken(rawToken))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning(['person_id', 'details'])
    .executeTakeFirst();
  return row ? { personId: row.person_id, details: parseDetails(row.details) } : null;
}

/**
 * The grant a token would give, without using it: to show the form behind a link
 * (e.g. "choose a password") before it is submitted. Submitting must still call
 * consumeAccountToken, which is what makes the token single-use.
 */
export async function peekAccountToken(db: Kysely<Database>, purpose: AccountTokenPurpose, rawToken: string, now: Date): Promise<AccountTokenGrant | null> {
  if (!TOKEN_PATTERN.test(rawToken)) return null;
  const row = await db
    .selectFrom('account_tokens')
    .select(['person_id', 'details'])
    .where('token_hash', '=', hashToken(rawToken))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { personId: row.person_id, details: parseDetails(row.details) } : null;
}

/**
 * Deletes all the person's tokens for a purpose, e.g. older recovery links once a
 * new one is sent or the password has changed, so only the newest link works.
 * @returns how many were removed.
 */
export async function revokeAccountTokens(db: Kysely<Database>, personId: string, purpose: AccountTokenPurpose): Promise<number> {
  const result = await db.deleteFrom('account_tokens').where('person_id', '=', personId).where('purpose', '=', purpose).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes tokens that expired before `now` (used or not): housekeeping, safe to run any time. */
export async function pruneAccountTokens(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db.deleteFrom('account_tokens').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function parseDetails(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
