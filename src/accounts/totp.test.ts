import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTotp, newTotpSecret, totpCodeFor, totpQrSvg, totpStep, totpUri } from './totp.ts';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII text "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const secret = newTotpSecret();
const now = new Date('2026-03-01T12:00:10Z'); // 10 s into its step
const step = totpStep(now);
const stepsAway = (n: number) => new Date(now.getTime() + n * 30_000);
const codeAt = (n: number) => totpCodeFor(secret, stepsAway(n));

describe('TOTP secrets, URIs and QR codes', () => {
  it('makes 160-bit base32 secrets that differ each time', () => {
    assert.match(secret, /^[A-Z2-7]{32}$/); // 32 base32 characters = 20 bytes
    assert.notEqual(newTotpSecret(), newTotpSecret());
  });

  it('matches the RFC 6238 SHA-1 test vectors (6-digit truncation)', () => {
    const vectors: [number, string][] = [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037'], [20000000000, '353130']];
    for (const [seconds, code] of vectors) assert.equal(totpCodeFor(RFC_SECRET, new Date(seconds * 1000)), code, String(seconds));
  });

  it('builds an otpauth URI with issuer, account, secret and the standard settings', () => {
    const uri = new URL(totpUri(secret, 'jo.bloggs+watch@example.org', 'Safe Communities & Co'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Safe Communities & Co:jo.bloggs+watch@example.org');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Safe Communities & Co');
    for (const [name, expected] of [['algorithm', 'SHA1'], ['digits', '6'], ['period', '30']] as const) {
      const value = uri.searchParams.get(name);
      assert.ok(value === null || value === expected, `${name}=${value}`);
    }
  });

  it('draws the URI as an SVG QR code', async () => {
    const svg = await totpQrSvg(totpUri(secret, 'jo@example.org', 'Safe Communities'));
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<path/);
    assert.notEqual(svg, await totpQrSvg(totpUri(newTotpSecret(), 'jo@example.org', 'Safe Communities')));
  });
});

describe('checkTotp', () => {
  it('accepts the current code and returns its step', () => {
    assert.deepEqual(checkTotp(secret, codeAt(0), null, now), { ok: true, step });
  });

  it('accepts one step either side, reporting the step the code was for', () => {
    assert.deepEqual(checkTotp(secret, codeAt(-1), null, now), { ok: true, step: step - 1 });
    assert.deepEqual(checkTotp(secret, codeAt(1), null, now), { ok: true, step: step + 1 });
  });

  it('refuses codes two or more steps away as wrong', () => {
    for (const n of [-2, 2, -3, 10]) {
      const code = codeAt(n);
      // Skip the one-in-a-million case where a far code equals one in the window.
      if ([-1, 0, 1].some((k) => codeAt(k) === code)) continue;
      assert.deepEqual(checkTotp(secret, code, null, now), { ok: false, reason: 'wrong' }, `step ${n}`);
    }
  });

  it('refuses a code for another secret as wrong', () => {
    assert.deepEqual(checkTotp(newTotpSecret(), '000000', null, now).ok, false);
    const other = newTotpSecret();
    const code = totpCodeFor(other, now);
    if (![-1, 0, 1].some((k) => codeAt(k) === code)) assert.deepEqual(checkTotp(secret, code, null, now), { ok: false, reason: 'wrong' });
  });

  it('refuses the same code twice (replay), even later within its window', () => {
    const first = checkTotp(secret, codeAt(0), null, now);
    assert.ok(first.ok);
    assert.deepEqual(checkTotp(secret, codeAt(0), first.step, now), { ok: false, reason: 'reused' });
    assert.deepEqual(checkTotp(secret, codeAt(0), first.step, stepsAway(1)), { ok: false, reason: 'reused' });
  });

  it('refuses an earlier step’s code after a later step was used', () => {
    const later = checkTotp(secret, codeAt(1), null, now);
    assert.deepEqual(later, { ok: true, step: step + 1 });
    assert.deepEqual(checkTotp(secret, codeAt(0), step + 1, now), { ok: false, reason: 'reused' });
    assert.deepEqual(checkTotp(secret, codeAt(-1), step + 1, now), { ok: false, reason: 'reused' });
  });

  it('accepts the next step after the last used one', () => {
    assert.deepEqual(checkTotp(secret, codeAt(1), step, now), { ok: true, step: step + 1 });
  });

  it('tolerates spaces in the typed code', () => {
    const code = codeAt(0);
    for (const typed of [`${code.slice(0, 3)} ${code.slice(3)}`, ` ${code} `, code.split('').join(' '), `${code.slice(0, 3)}\u00a0${code.slice(3)}`]) {
      assert.deepEqual(checkTotp(secret, typed, null, now), { ok: true, step }, JSON.stringify(typed));
    }
  });

  it('calls anything but six digits malformed', () => {
    const code = codeAt(0);
    for (const typed of ['12345', 'abcdef', '', '1234567', `${code}0`, `${code.slice(0, 3)}-${code.slice(3)}`, '１２３４５６', '12345a']) {
      assert.deepEqual(checkTotp(secret, typed, null, now), { ok: false, reason: 'malformed' }, JSON.stringify(typed));
    }
  });
});
