import assert from 'node:assert/strict';
import { createDecipheriv, hkdfSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBoxError, openSecret, sealSecret } from './secret-box.ts';

const KEY = 'test-secret-key-that-is-at-least-32-characters';
const OTHER_KEY = 'another-secret-key-that-is-at-least-32-characters';

/** Flips one bit of one base64url part, leaving the format intact. */
function flip(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes[0] = bytes[0]! ^ 1;
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box', () => {
  it('round-trips text, including empty and non-ASCII', () => {
    for (const plain of ['JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', '', 'ünïcødé 🦊']) {
      assert.equal(openSecret(KEY, sealSecret(KEY, plain)), plain);
    }
  });

  it('writes v1.<iv>.<tag>.<ciphertext> in base64url with a 96-bit IV and 128-bit tag', () => {
    const sealed = sealSecret(KEY, 'JBSWY3DPEHPK3PXP');
    const parts = sealed.split('.');
    assert.equal(parts.length, 4);
    assert.equal(parts[0], 'v1');
    for (const part of parts.slice(1)) assert.match(part, /^[A-Za-z0-9_-]+$/);
    assert.equal(Buffer.from(parts[1]!, 'base64url').length, 12);
    assert.equal(Buffer.from(parts[2]!, 'base64url').length, 16);
    assert.equal(Buffer.from(parts[3]!, 'base64url').length, 'JBSWY3DPEHPK3PXP'.length);
    assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  });

  it('uses a fresh IV each time, so the same secret never seals the same way', () => {
    const seen = new Set(Array.from({ length: 50 }, () => sealSecret(KEY, 'same')));
    assert.equal(seen.size, 50);
  });

  it('derives its key with HKDF-SHA-256, info "safe-communities totp" (interoperable by spec)', () => {
    const sealed = sealSecret(KEY, 'by the book');
    const [, iv, tag, ciphertext] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
    const key = Buffer.from(hkdfSync('sha256', KEY, Buffer.alloc(0), 'safe-communities totp', 32));
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAAD(Buffer.from('v1'));
    decipher.setAuthTag(tag!);
    assert.equal(Buffer.concat([decipher.update(ciphertext!), decipher.final()]).toString(), 'by the book');
  });

  it('refuses a value opened with the wrong key', () => {
    const sealed = sealSecret(KEY, 'secret');
    assert.throws(() => openSecret(OTHER_KEY, sealed), (e: unknown) => e instanceof SecretBoxError && /altered, or SECRET_KEY has changed/.test(e.message));
  });

  it('refuses any altered part', () => {
    const sealed = sealSecret(KEY, 'secret value');
    for (const part of [1, 2, 3]) {
      assert.throws(() => openSecret(KEY, flip(sealed, part)), SecretBoxError, `part ${part}`);
    }
    const [v, iv, tag, ct] = sealed.split('.');
    assert.throws(() => openSecret(KEY, [v, iv, tag, `${ct}AA`].join('.')), SecretBoxError);
  });

  it('refuses malformed values with a clear error', () => {
    const sealed = sealSecret(KEY, 'secret');
    const [, iv, tag, ct] = sealed.split('.');
    const bad = ['', 'plain text', `v2.${iv}.${tag}.${ct}`, `v1.${iv}.${tag}`, `v1.${iv}.${tag}.${ct}.x`, `v1.${iv}!.${tag}.${ct}`, `v1.AAAA.${tag}.${ct}`, `v1.${iv}.AAAA.${ct}`];
    for (const value of bad) assert.throws(() => openSecret(KEY, value), SecretBoxError, value);
  });

  it('refuses an empty secret key rather than encrypting under a guessable one', () => {
    assert.throws(() => sealSecret('', 'x'), /SECRET_KEY/);
  });
});
