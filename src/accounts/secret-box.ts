/**
 * Encrypts small secrets for storage (the TOTP secret in people.totp_secret), so a
 * copy of the database alone does not let anyone generate a person's codes. The key
 * is derived from SECRET_KEY; AES-256-GCM authenticates as well as encrypts, so a
 * sealed value that was altered, or is opened with another key, is refused.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
/** HKDF info: a key for this purpose only, unrelated to any other key drawn from SECRET_KEY. */
const HKDF_INFO = 'safe-communities totp';
const IV_BYTES = 12; // 96 bits: the size GCM is defined for (NIST SP 800-38D)
const TAG_BYTES = 16;

/** Thrown when a sealed value cannot be opened. */
export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

function keyFrom(secretKey: string): Buffer {
  if (secretKey.length === 0) throw new Error('sealSecret/openSecret need a SECRET_KEY');
  // No salt: SECRET_KEY is already high-entropy (RFC 5869 §3.1 allows an empty salt then).
  return Buffer.from(hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), Buffer.alloc(0), HKDF_INFO, 32));
}

/**
 * Encrypts `plain` with a key derived from `secretKey`, under a fresh random IV.
 * @returns `v1.<iv>.<tag>.<ciphertext>`, each part base64url.
 * @example const stored = sealSecret(config.SECRET_KEY, totpSecret);
 */
export function sealSecret(secretKey: string, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFrom(secretKey), iv, { authTagLength: TAG_BYTES });
  // The version is authenticated too, so a value cannot be relabelled as another format.
  cipher.setAAD(Buffer.from(VERSION));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((b) => b.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/**
 * Decrypts a value made by sealSecret with the same secret key.
 * @throws SecretBoxError when the value is malformed, was altered, or SECRET_KEY differs.
 */
export function openSecret(secretKey: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretBoxError(`Sealed secret is not in the ${VERSION} format`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map(decodeBase64url);
  if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || ciphertext === undefined) {
    throw new SecretBoxError('Sealed secret is malformed');
  }
  const decipher = createDecipheriv('aes-256-gcm', keyFrom(secretKey), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(VERSION));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SecretBoxError('Sealed secret could not be opened: it was altered, or SECRET_KEY has changed since it was sealed', { cause: error });
  }
}

/** Strict base64url: Buffer.from would silently skip stray characters, hiding tampering. */
function decodeBase64url(text: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*$/.test(text) ? Buffer.from(text, 'base64url') : undefined;
}
