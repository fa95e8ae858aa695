/**
 * MFA recovery codes: ten single-use codes a person keeps on paper for when their
 * phone is lost. Each carries 80 random bits, so storing a plain SHA-256 of it is
 * enough (no salt or slow hash needed: there is nothing to guess from a list of
 * common choices); the table never holds a code that works.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

/** How many codes a person gets each time. */
export const RECOVERY_CODE_COUNT = 10;
/**
 * 32 symbols, so each carries exactly 5 bits: capitals and digits without 0/O
 * and 1/I, which people misread when copying from paper.
 */
export const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** 16 symbols × 5 bits = 80 bits (ASVS 6.6.3 asks for at least 20 bits; this resists offline guessing too). */
const SYMBOLS = 16;

function newCode(): string {
  const bytes = randomBytes((SYMBOLS * 5) / 8);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = SYMBOLS - 1; i >= 0; i--) code += RECOVERY_ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code.match(/.{4}/g)!.join('-');
}

/** Upper case with spaces and dashes removed; undefined when it cannot be a code. */
function normalise(typed: string): string | undefined {
  // Hyphens include the look-alikes (U+2010–2014) that phones and word processors substitute.
  const bare = typed.toUpperCase().replace(/[\s\-\u2010-\u2014]+/g, '');
  return bare.length === SYMBOLS && [...bare].every((c) => RECOVERY_ALPHABET.includes(c)) ? bare : undefined;
}

function hashCode(bare: string): string {
  return createHash('sha256').update(bare).digest('hex');
}

/**
 * Replaces the person's recovery codes with ten new ones, in one transaction so
 * there is never a moment with both sets or neither.
 * @returns the codes to show once, formatted `ABCD-EFGH-JKLM-NPQR`; only hashes are stored.
 */
export async function issueRecoveryCodes(db: Kysely<Database>, personId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  const rows = codes.map((code) => ({
    person_id: personId,
    code_hash: hashCode(code.replaceAll('-', '')),
    used_at: null,
    created_at: now.toISOString(),
  }));
  const write = async (trx: Kysely<Database>) => {
    await trx.deleteFrom('recovery_codes').where('person_id', '=', personId).execute();
    await trx.insertInto('recovery_codes').values(rows).execute();
  };
  // A caller already inside a transaction (e.g. enrolling MFA) keeps it; Kysely cannot nest them.
  if (db.isTransaction) await write(db);
  else await db.transaction().execute(write);
  return codes;
}

/**
 * Uses a recovery code: true when it was one of the person's unused codes, which
 * is now spent. Case, spaces and dashes in what was typed do not matter. The code
 * is marked used by one UPDATE … WHERE used_at IS NULL and only the request whose
 * update changed the row succeeds, so a code works once even when two requests
 * race with it.
 */
export async function useRecoveryCode(db: Kysely<Database>, personId: string, typed: string, now: Date): Promise<boolean> {
  const bare = normalise(typed);
  if (bare === undefined) return false;
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now.toISOString() })
    .where('person_id', '=', personId)
    .where('code_hash', '=', hashCode(bare))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** How many of the person's recovery codes are still unused (to warn when few are left). */
export async function countUnusedRecoveryCodes(db: Kysely<Database>, personId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
