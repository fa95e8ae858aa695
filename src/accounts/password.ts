/**
 * Password hashing and the rules a new password must meet. Hashing is argon2id at
 * the OWASP / ASVS 5.0 minimum for two passes; the rules are length and a
 * common-password check only, with no composition rules (ASVS 6.2.5): any
 * Unicode, spaces and emoji are welcome, and nothing is trimmed or normalised, so
 * a password is compared byte for byte as typed.
 */
import argon2 from 'argon2';
import { isCommonPassword } from './common-passwords.ts';

/** argon2id cost: 19 MiB, 2 passes, 1 lane (OWASP Password Storage Cheat Sheet, ASVS 5.0). */
export const ARGON2_PARAMS = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });

/** Shortest password accepted, in characters (Unicode code points), per ASVS 6.2.1. */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest accepted: long enough for any passphrase (ASVS 6.2.9 asks for at least 64). */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * A hash of a random password nobody knows, made with ARGON2_PARAMS. Verifying
 * against it costs exactly what a real verification costs. It is a constant rather
 * than made at start-up so the first unknown-email sign-in is not slower than the
 * rest; password.test.ts fails if ARGON2_PARAMS change without it.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,p=1,t=2$hNp9rQ3vBTv7aHlsplCvaw$hBEoqZMymPhOGvHtFxMuiJC1TicFOj4IL0wpiinghl4';

/**
 * Hashes a password for storage as a PHC string (`$argon2id$v=19$m=…`), with a
 * fresh random salt each time.
 * @example const hash = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(plain: string): Promise<string> {
  return argon2.hash(plain, { type: argon2.argon2id, ...ARGON2_PARAMS });
}

/**
 * True when `plain` is the password `hash` was made from. Never throws: a missing,
 * malformed or foreign hash gives false, after spending the time of a real check
 * so that a broken account looks like any other from outside.
 */
export async function verifyPassword(hash: string | null | undefined, plain: string): Promise<boolean> {
  if (typeof hash !== 'string' || parsePhc(hash) === undefined) {
    await verifyAgainstDummy(plain);
    return false;
  }
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

/**
 * Spends the time of one real verification and resolves to false. Call it when
 * the email matches no account (or one without a password), so the response time
 * does not tell an attacker which addresses have accounts.
 */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  try {
    await argon2.verify(DUMMY_HASH, plain);
  } catch {
    // Nothing to report: the answer is false whatever happened.
  }
  return false;
}

/**
 * True when the stored hash is weaker than ARGON2_PARAMS (another argon2 variant,
 * an older version, less memory or fewer passes) or cannot be read: rehash the
 * password the person just typed correctly and store the new hash.
 */
export function needsRehash(hash: string): boolean {
  const phc = parsePhc(hash);
  if (phc === undefined) return true;
  return (
    phc.type !== 'argon2id' ||
    phc.version < 0x13 ||
    phc.memoryCost < ARGON2_PARAMS.memoryCost ||
    phc.timeCost < ARGON2_PARAMS.timeCost ||
    phc.parallelism < ARGON2_PARAMS.parallelism
  );
}

interface Phc {
  type: string;
  version: number;
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * Reads `$argon2id$v=19$m=19456,t=2,p=1$salt$hash` (parameters in any order, extra
 * ones such as `data=` allowed); undefined when it is not one.
 */
function parsePhc(hash: string): Phc | undefined {
  const match = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$([a-z]+=[A-Za-z0-9+/]+(?:,[a-z]+=[A-Za-z0-9+/]+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(hash);
  if (!match) return undefined;
  const params = new Map(match[3]!.split(',').map((pair) => pair.split('=') as [string, string]));
  const [m, t, p] = ['m', 't', 'p'].map((name) => (/^\d+$/.test(params.get(name) ?? '') ? Number(params.get(name)) : undefined));
  if (m === undefined || t === undefined || p === undefined) return undefined;
  return { type: match[1]!, version: Number(match[2]), memoryCost: m, timeCost: t, parallelism: p };
}

export interface PasswordContext {
  email?: string;
  displayName?: string;
}

/**
 * What is wrong with a new password, as GOV.UK-style error messages; empty when
 * it is acceptable. Length is counted in characters (code points), so an emoji
 * counts once. Only the rules ASVS asks for: length, not common, not the
 * person's own email address or name (NIST SP 800-63B context-specific words).
 * @example passwordProblems('letmein') // ['Password must be 8 characters or more', 'Password is too common: …']
 */
export function passwordProblems(plain: string, context: PasswordContext = {}): string[] {
  if (plain.length === 0) return ['Enter a password'];
  const problems: string[] = [];
  const length = [...plain].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`Password must be ${PASSWORD_MIN_LENGTH} characters or more`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`);
  // A too-long password is not looked up: nothing that long is on the list.
  if (length <= PASSWORD_MAX_LENGTH && isCommonPassword(plain)) {
    problems.push('Password is too common: choose one that other people are unlikely to use');
  }
  const typed = plain.trim().toLowerCase();
  const email = context.email?.trim().toLowerCase();
  if (email && (typed === email || typed === email.split('@')[0])) {
    problems.push('Password must not be your email address');
  }
  const name = context.displayName?.trim().toLowerCase();
  if (name && (typed === name || typed === name.replace(/\s+/g, ''))) {
    problems.push('Password must not be your name');
  }
  return problems;
}
