/**
 * Checking a password at sign-in, throttled per account and per client address.
 *
 * Whatever the email, the work done is the same: the throttle is keyed on the
 * address as typed (so unknown addresses slow down and lock too), an unknown
 * address is "verified" against a dummy hash so it takes as long, and an unknown
 * address, a wrong password and a suspended or removed account all fail alike.
 * Only someone who knows the password learns more (that the address still needs
 * verifying).
 */
import type { AppContext } from '../app-context.ts';
import { checkThrottle, clearThrottle, registerFailure, throttleKey, type ThrottleState } from '../throttle/throttle.repository.ts';
import { SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_CLIENT, THROTTLE_SCOPES } from '../throttle/throttle.policies.ts';
import { audit, emailLink, sendMail } from './account.service.ts';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './password.ts';
import { findPersonByEmail, normaliseEmail, updatePerson, type Person } from './people.repository.ts';

export type PasswordAttempt =
  /** Not checked: the account or the client is slowed down or locked. */
  | { kind: 'refused'; locked: boolean; retryAfterSeconds: number }
  /** Wrong (or an account that cannot sign in); `locked` when this failure started or met a lock. */
  | { kind: 'failed'; locked: boolean; retryAfterSeconds: number }
  /** The right password for an address not yet verified. */
  | { kind: 'unverified'; person: Person }
  | { kind: 'ok'; person: Person };

export function signInAccountKey(ctx: AppContext, email: string): string {
  return throttleKey(ctx.config.SECRET_KEY, THROTTLE_SCOPES.signInAccount, normaliseEmail(email));
}

function signInClientKey(ctx: AppContext, clientAddress: string): string {
  return throttleKey(ctx.config.SECRET_KEY, THROTTLE_SCOPES.signInClient, clientAddress);
}

function blocked(states: ThrottleState[]): { locked: boolean; retryAfterSeconds: number } {
  return { locked: states.some((s) => s.locked), retryAfterSeconds: Math.max(...states.map((s) => s.retryAfterSeconds)) };
}

/** Counts a failed password for the account (and client, when given); emails the owner when it starts a lock. */
export async function recordPasswordFailure(
  ctx: AppContext,
  email: string,
  person: Person | undefined,
  reason: string,
  options: { countClient: boolean },
  clientAddress: string,
): Promise<ThrottleState[]> {
  const { db } = ctx.store;
  const now = ctx.now();
  const account = await registerFailure(db, signInAccountKey(ctx, email), SIGN_IN_PER_ACCOUNT, now);
  const client = options.countClient ? await registerFailure(db, signInClientKey(ctx, clientAddress), SIGN_IN_PER_CLIENT, now) : undefined;
  // Never the typed password, nor an unknown address: only whose account it was and why it failed.
  await audit(ctx, clientAddress, { action: 'auth.sign_in_failed', actorId: person?.id ?? null, details: { reason } });
  if (account.justLocked) {
    const minutes = Math.round(SIGN_IN_PER_ACCOUNT.lockSeconds / 60);
    await audit(ctx, clientAddress, { action: 'auth.locked_out', actorId: person?.id ?? null, details: { scope: 'account', minutes } });
    if (person && (person.status === 'active' || person.status === 'unverified')) {
      await sendMail(ctx, person.email, 'account-locked', { name: person.display_name, minutes, recoverLink: emailLink(ctx, '/recover') });
    }
  }
  if (client?.justLocked) {
    await audit(ctx, clientAddress, { action: 'auth.locked_out', actorId: null, details: { scope: 'client', minutes: Math.round(SIGN_IN_PER_CLIENT.lockSeconds / 60) } });
  }
  return client ? [account, client] : [account];
}

/** One sign-in attempt with an email and password. */
export async function attemptPassword(ctx: AppContext, email: string, password: string, clientAddress: string): Promise<PasswordAttempt> {
  const { db } = ctx.store;
  const now = ctx.now();
  const accountKey = signInAccountKey(ctx, email);
  const before = await Promise.all([
    checkThrottle(db, accountKey, SIGN_IN_PER_ACCOUNT, now),
    checkThrottle(db, signInClientKey(ctx, clientAddress), SIGN_IN_PER_CLIENT, now),
  ]);
  if (before.some((s) => !s.allowed)) return { kind: 'refused', ...blocked(before) };

  const person = await findPersonByEmail(db, email);
  const correct = person ? await verifyPassword(person.password_hash, password) : await verifyAgainstDummy(password);
  if (person && correct && person.status === 'active') {
    if (needsRehash(person.password_hash!)) await updatePerson(db, person.id, { password_hash: await hashPassword(password) }, now);
    await clearThrottle(db, accountKey);
    return { kind: 'ok', person };
  }
  if (person && correct && person.status === 'unverified') return { kind: 'unverified', person };

  const reason = !person ? 'unknown_account' : !correct ? 'wrong_password' : `account_${person.status}`;
  const after = await recordPasswordFailure(ctx, email, person, reason, { countClient: true }, clientAddress);
  return { kind: 'failed', ...blocked(after) };
}

export type PasswordCheck = { ok: true } | { ok: false; locked: boolean; retryAfterSeconds: number };

/**
 * Re-entering one's own password before a sensitive change (ASVS 7.5.1). Wrong
 * guesses count towards the same per-account throttle as sign-in, so a session
 * left open is no easier a way to guess the password.
 */
export async function confirmOwnPassword(ctx: AppContext, person: Person, password: string, clientAddress: string): Promise<PasswordCheck> {
  const { db } = ctx.store;
  const state = await checkThrottle(db, signInAccountKey(ctx, person.email), SIGN_IN_PER_ACCOUNT, ctx.now());
  if (!state.allowed) return { ok: false, locked: state.locked, retryAfterSeconds: state.retryAfterSeconds };
  if (await verifyPassword(person.password_hash, password)) return { ok: true };
  const after = await recordPasswordFailure(ctx, person.email, person, 'wrong_password_reentered', { countClient: false }, clientAddress);
  return { ok: false, ...blocked(after) };
}
