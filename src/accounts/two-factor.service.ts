/**
 * The second factor: checking a code from an authentication app or a recovery
 * code at sign-in (throttled per account, failures logged and, past a few, emailed
 * to the owner), and setting up an app (a new secret, sealed with SECRET_KEY
 * before it is stored, and ten new recovery codes).
 */
import type { AppContext } from '../app-context.ts';
import { checkThrottle, clearThrottle, registerFailure, throttleKey } from '../throttle/throttle.repository.ts';
import { MFA_PER_ACCOUNT, THROTTLE_SCOPES } from '../throttle/throttle.policies.ts';
import { audit, ENROL_FORM_MINUTES, sealFormValue, sendMail } from './account.service.ts';
import { issueRecoveryCodes, useRecoveryCode } from './recovery-codes.ts';
import { openSecret, sealSecret } from './secret-box.ts';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from './totp.ts';
import { claimTotpStep, updatePerson, type Person } from './people.repository.ts';

export type CodeMethod = 'app' | 'recovery';
/** Where a service reports what an operator must see (the route passes its request's logger). */
export interface ErrorLog {
  error(details: Record<string, unknown>, message: string): void;
}
export type CodeCheck = { kind: 'ok' } | { kind: 'refused' | 'failed'; locked: boolean; retryAfterSeconds: number };

/** Sealed into the set-up form: the new secret, until a code from it is typed. */
export const ENROL_PURPOSE = 'totp-enrolment';

function mfaKey(ctx: AppContext, personId: string): string {
  return throttleKey(ctx.config.SECRET_KEY, THROTTLE_SCOPES.mfaAccount, personId);
}

/** The stored secret, or null when it cannot be opened (SECRET_KEY changed): the code then fails. */
function openStoredSecret(ctx: AppContext, log: ErrorLog, person: Person): string | null {
  if (person.totp_secret === null) return null;
  try {
    return openSecret(ctx.config.SECRET_KEY, person.totp_secret);
  } catch (error) {
    log.error({ err: error, personId: person.id }, 'stored TOTP secret cannot be opened');
    return null;
  }
}

/** Checks a second-factor code typed at sign-in. */
export async function checkSignInCode(ctx: AppContext, person: Person, method: CodeMethod, code: string, log: ErrorLog, clientAddress: string): Promise<CodeCheck> {
  const { db } = ctx.store;
  const now = ctx.now();
  const key = mfaKey(ctx, person.id);
  const state = await checkThrottle(db, key, MFA_PER_ACCOUNT, now);
  if (!state.allowed) return { kind: 'refused', locked: state.locked, retryAfterSeconds: state.retryAfterSeconds };

  let ok = false;
  let reason = 'wrong';
  if (method === 'recovery') {
    ok = await useRecoveryCode(db, person.id, code, now);
  } else {
    const secret = openStoredSecret(ctx, log, person);
    const check = secret === null ? ({ ok: false, reason: 'unreadable_secret' } as const) : checkTotp(secret, code, person.totp_last_step, now);
    if (check.ok) {
      ok = await claimTotpStep(db, person.id, check.step);
      if (!ok) reason = 'reused';
    } else {
      reason = check.reason;
    }
  }
  if (ok) {
    await clearThrottle(db, key);
    return { kind: 'ok' };
  }

  const after = await registerFailure(db, key, MFA_PER_ACCOUNT, now);
  await audit(ctx, clientAddress, { action: 'auth.mfa_failed', actorId: person.id, details: { method, reason, failures: after.failures } });
  // Someone with the password is guessing codes, or the owner is struggling: either way they should know (ASVS 6.3.5).
  if (after.failures === MFA_PER_ACCOUNT.freeFailures || after.justLocked) {
    await sendMail(ctx, person.email, 'new-sign-in-code-failures', { name: person.display_name, count: after.failures });
  }
  if (after.justLocked) {
    await audit(ctx, clientAddress, { action: 'auth.locked_out', actorId: person.id, details: { scope: 'mfa', minutes: Math.round(MFA_PER_ACCOUNT.lockSeconds / 60) } });
  }
  return { kind: 'failed', locked: after.locked, retryAfterSeconds: after.retryAfterSeconds };
}

export interface EnrolView {
  pending: string;
  secret: string;
  /** The secret in groups of four, easier to type into an app. */
  secretGroups: string;
  qrSvg: string;
}

/** How a set-up form was reached: from an 'enrol' session, or by re-entering the password while signed in. */
export type EnrolVia = 'enrol' | 'password';

/** What the set-up page shows: a new secret, or the one already sealed in `keep`. */
export async function enrolView(ctx: AppContext, person: Person, via: EnrolVia, keep?: { secret: string; pending: string }): Promise<EnrolView> {
  const secret = keep?.secret ?? newTotpSecret();
  const uri = totpUri(secret, person.email, ctx.config.SITE_NAME);
  return {
    pending: keep?.pending ?? sealFormValue(ctx, ENROL_PURPOSE, person.id, ENROL_FORM_MINUTES, { secret, via }),
    secret,
    secretGroups: secret.match(/.{1,4}/g)!.join(' '),
    // A fixed size: the SVG has only a viewBox, and the page's CSP forbids inline styles to size it.
    qrSvg: (await totpQrSvg(uri)).replace(/^<svg /, '<svg width="200" height="200" focusable="false" aria-hidden="true" '),
  };
}

/**
 * Checks the first code from a new secret (no earlier step to compare with).
 * @returns the step to store as the last used, or null when the code is wrong.
 */
export function checkFirstCode(ctx: AppContext, secret: string, code: string): number | null {
  const check = checkTotp(secret, code, null, ctx.now());
  return check.ok ? check.step : null;
}

/**
 * Stores the new secret (sealed), the step of the code just typed (so it cannot be
 * used again to sign in) and ten new recovery codes, which are returned to show
 * once. Tells the owner by email.
 */
export async function completeEnrolment(ctx: AppContext, person: Person, secret: string, step: number, replacing: boolean, clientAddress: string): Promise<string[]> {
  const { db } = ctx.store;
  const now = ctx.now();
  const codes = await db.transaction().execute(async (trx) => {
    await updatePerson(trx, person.id, { totp_secret: sealSecret(ctx.config.SECRET_KEY, secret), totp_last_step: step, mfa_enabled_at: now.toISOString() }, now);
    return issueRecoveryCodes(trx, person.id, now);
  });
  await clearThrottle(db, mfaKey(ctx, person.id));
  await audit(ctx, clientAddress, { action: 'auth.mfa_enrolled', actorId: person.id, details: { method: 'totp', replacing } });
  await sendMail(ctx, person.email, 'two-factor-changed', { name: person.display_name });
  return codes;
}

/** Replaces the recovery codes (after the password was re-entered) and tells the owner. */
export async function replaceRecoveryCodes(ctx: AppContext, person: Person, clientAddress: string): Promise<string[]> {
  const codes = await issueRecoveryCodes(ctx.store.db, person.id, ctx.now());
  // There is no audit action of its own for this yet: recorded as a change to the second factor.
  await audit(ctx, clientAddress, { action: 'auth.recovery_codes_issued', actorId: person.id, details: { replacing: true } });
  await sendMail(ctx, person.email, 'two-factor-changed', { name: person.display_name });
  return codes;
}
