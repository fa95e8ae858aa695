/**
 * The limits the sign-in, MFA, sign-up, recovery and public-form routes apply,
 * with their reasons (ASVS 6.3.1, NIST SP 800-63B §5.2.2: at most 100 failed
 * attempts per account before a lock; OWASP Authentication Cheat Sheet).
 *
 * Guarding against malicious lockout, where someone fails on purpose to keep a
 * person out of their account:
 * - a lock stops password sign-in only; recovery by email still works, and the
 *   recovery routes should clearThrottle the account once a reset succeeds;
 * - a lock is never extended by more failures while it runs, so it ends on time;
 * - the per-client limits slow one source down long before it can lock many
 *   accounts, and the owner is emailed when a lock starts (justLocked).
 */
import type { RateLimit, ThrottlePolicy } from './throttle.repository.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** Scopes for throttleKey: one per policy, so counts never mix. */
export const THROTTLE_SCOPES = Object.freeze({
  signInAccount: 'sign-in:account',
  signInClient: 'sign-in:client',
  mfaAccount: 'mfa:account',
  signUpClient: 'sign-up:client',
  signUpAccount: 'sign-up:account',
  recoveryAccount: 'recovery:account',
  recoveryClient: 'recovery:client',
  publicFormClient: 'public-form:client',
});

/**
 * Password failures per account (keyed by the email typed, whether or not it has
 * an account, so the response does not reveal which do). Five mistakes are free,
 * then 1, 2, 4, 8, 16 s delays, and the tenth failure in 15 minutes locks password
 * sign-in for 30 minutes: under 500 guesses a day, against a list-checked password.
 */
export const SIGN_IN_PER_ACCOUNT: ThrottlePolicy = Object.freeze({
  windowSeconds: 15 * MINUTE,
  freeFailures: 5,
  lockAfter: 10,
  lockSeconds: 30 * MINUTE,
});

/**
 * Password failures per client address, across all accounts: catches one source
 * spraying many accounts. Generous, because a police station or a library puts
 * many honest people behind one address.
 */
export const SIGN_IN_PER_CLIENT: ThrottlePolicy = Object.freeze({
  windowSeconds: 15 * MINUTE,
  freeFailures: 20,
  lockAfter: 100,
  lockSeconds: 15 * MINUTE,
});

/**
 * Wrong authentication-app or recovery codes per account. A 6-digit code with a
 * ±1 step window gives an attacker 3 chances in a million a guess; 10 guesses per
 * half hour keeps someone who already has the password well under 1% a day, and
 * the owner is told of each lock (ASVS 6.3.1, RFC 6238 §5.2).
 */
export const MFA_PER_ACCOUNT: ThrottlePolicy = Object.freeze({
  windowSeconds: 15 * MINUTE,
  freeFailures: 3,
  lockAfter: 10,
  lockSeconds: 30 * MINUTE,
});

/** New accounts per client address: stops scripted sign-ups and the emails they would send. */
export const SIGN_UP_PER_CLIENT: RateLimit = Object.freeze({ limit: 10, windowSeconds: HOUR });

/** Sign-up emails to one address: beyond this the form answers the same but sends nothing (no inbox flooding). */
export const SIGN_UP_PER_ACCOUNT: RateLimit = Object.freeze({ limit: 3, windowSeconds: HOUR });

/** Recovery emails per account: enough for a lost email or two, not enough to flood an inbox. */
export const RECOVERY_PER_ACCOUNT: RateLimit = Object.freeze({ limit: 5, windowSeconds: HOUR });

/** Recovery requests per client address, across accounts: stops one source probing or flooding many. */
export const RECOVERY_PER_CLIENT: RateLimit = Object.freeze({ limit: 20, windowSeconds: HOUR });

/** Submissions of other public forms (contact, report, subscribe) per client address. */
export const PUBLIC_FORM_PER_CLIENT: RateLimit = Object.freeze({ limit: 30, windowSeconds: 10 * MINUTE });
