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
import type { FanOutPolicy } from './fan-out.repository.ts';
import type { DenialPolicy, RateLimit, ThrottlePolicy } from './throttle.repository.ts';

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
  accessDeniedActor: 'access-denied:actor',
  watchNewsSender: 'fan-out:watch-news',
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

/**
 * A Neighbourhood Watch update goes by email to every member of the scheme, so it is
 * limited per sender (claimFanOut). Schemes send news weekly or so, and a busy day
 * (a spate of break-ins, then the police's advice, then a meeting moved) needs a
 * few. Five minutes between updates leaves time to send a correction to a mistake,
 * but stops a double-click, a script or a compromised account from sending hundreds;
 * five a day covers the busiest honest day while keeping members from unsubscribing.
 */
export const WATCH_NEWS_FAN_OUT: FanOutPolicy = Object.freeze({
  scope: THROTTLE_SCOPES.watchNewsSender,
  minIntervalSeconds: 5 * MINUTE,
  perDay: 5,
});

/**
 * Refusals of signed-in people (recordDenial). The first refusal of a request in 15
 * minutes is audited in full and its repeats are counted into one summary entry, so a
 * script hammering one page adds two entries, not hundreds. Ten repeats cover a
 * reload, a stale tab and a double-click; beyond them the answer is 429. Different
 * refusals are each audited (they show what was tried: which records, which pages),
 * up to 300 an actor in 15 minutes, far beyond any person clicking but enough for
 * every page of the site at once (the authorisation matrix test does that); beyond it
 * the answer is 429 and refusals are counted per page without their targets.
 */
export const ACCESS_DENIALS: DenialPolicy = Object.freeze({
  windowSeconds: 15 * MINUTE,
  repeatsBeforeThrottle: 10,
  perActor: Object.freeze({ limit: 300, windowSeconds: 15 * MINUTE }),
});
