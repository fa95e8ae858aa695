/**
 * Time-based one-time passwords (RFC 6238) for authenticator apps: SHA-1, 6 digits,
 * 30-second steps from T0 = 0, the settings every common app supports. A code is
 * accepted for its own step and one step either side (clock drift, slow typing),
 * and never for a step at or before the last one accepted (RFC 6238 §5.2, ASVS
 * 6.5.1), so a code seen over someone's shoulder cannot be used again.
 */
import { timingSafeEqual } from 'node:crypto';
import { generateSecret, generateSync, generateURI } from 'otplib';
import QRCode from 'qrcode';

/** Seconds per time step. */
export const TOTP_PERIOD = 30;
/** Steps either side of the current one that are still accepted. */
export const TOTP_WINDOW = 1;
const DIGITS = 6;
/** 20 bytes = 160 bits, the HMAC-SHA-1 key length RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'malformed' | 'wrong' | 'reused' };

/** A new random secret (160 bits from the CSPRNG), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/**
 * The otpauth:// URI an authenticator app reads from the QR code; the app shows
 * `issuer` and `accountEmail` so people can tell their entries apart.
 */
export function totpUri(secret: string, accountEmail: string, issuer: string): string {
  return generateURI({ issuer, label: accountEmail, secret, algorithm: 'sha1', digits: DIGITS, period: TOTP_PERIOD });
}

/** The URI as a QR code in SVG, to put in the page inline (no image request, nothing cached). */
export async function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
}

/** The time step `at` falls in: floor(unix seconds / 30). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD);
}

function codeForStep(secret: string, step: number): string {
  return generateSync({ secret, algorithm: 'sha1', digits: DIGITS, period: TOTP_PERIOD, t0: 0, epoch: step * TOTP_PERIOD });
}

/** The code an authenticator app shows at `at`: for tests and the development tools. */
export function totpCodeFor(secret: string, at: Date): string {
  return codeForStep(secret, totpStep(at));
}

/**
 * Checks a typed code. Spaces are ignored (apps show "123 456"). Every step in
 * the window is computed and compared in constant time, so the time taken does
 * not say which step matched.
 * @param lastUsedStep people.totp_last_step: the step of the last code accepted, or null.
 * @returns on success the matched step, to store as the new totp_last_step (with
 *   `UPDATE … WHERE totp_last_step IS NULL OR totp_last_step < step`, so two
 *   concurrent requests with the same code cannot both succeed).
 */
export function checkTotp(secret: string, code: string, lastUsedStep: number | null, now: Date): TotpCheck {
  const typed = code.replace(/\s+/g, '');
  if (!/^[0-9]{6}$/.test(typed)) return { ok: false, reason: 'malformed' };
  const current = totpStep(now);
  let matched: number | undefined;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    // Later steps win: a code that happens to be valid for two steps counts as the newer.
    if (timingSafeEqual(Buffer.from(codeForStep(secret, step)), Buffer.from(typed))) matched = step;
  }
  if (matched === undefined) return { ok: false, reason: 'wrong' };
  if (lastUsedStep !== null && matched <= lastUsedStep) return { ok: false, reason: 'reused' };
  return { ok: true, step: matched };
}
