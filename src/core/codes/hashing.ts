/**
 * How codes are kept: never in clear. High-entropy codes (CA verification codes, long
 * and phrase one-time codes) are stored as HMAC-SHA256 under the store's secret, so a
 * stolen (decrypted) store still does not reveal them and lookups stay exact-match
 * indexable. Short codes have only 20 bits of entropy, which an HMAC would not
 * protect once the secret leaks with the store, so they get a salted, memory-hard
 * scrypt hash instead.
 */
import { createHmac, scrypt, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the UTF-8 code under `secret`. */
export function hmacCode(secret: Uint8Array, code: string): Buffer {
  return createHmac('sha256', secret).update(code, 'utf8').digest();
}

/** Constant-time equality of two digests (false when the lengths differ). */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Bytes of salt per short code. */
export const SCRYPT_SALT_BYTES = 16;

/**
 * scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of milliseconds), the parameters
 * RFC 7914 and OWASP list for interactive logins. Changing them needs a migration.
 */
const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SCRYPT_KEY_BYTES = 32;

/** The scrypt hash of a short code under `salt`, computed off the main thread. */
export function scryptCode(code: string, salt: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(code, salt, SCRYPT_KEY_BYTES, SCRYPT_PARAMS, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
