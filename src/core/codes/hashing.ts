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
 * scrypt's cost for new short codes, as log2(N), with r = 8 and p = 1: N = 2^11 (2 MiB,
 * about 8 ms on the 2-core machine the benchmarks run on).
 *
 * Why not RFC 7914's 2^14 for logins: a short code has 10^6 values and lives at most
 * 10 minutes. The hash guards a copy of the store whose key also leaked (whoever holds
 * the live store and its key can issue codes of their own); against that, any scrypt
 * cost is a constant factor over a million guesses, while every `codes short` and every
 * redeem (one hash per candidate) pays it. 2^11 keeps a full search at about two and a
 * half CPU-hours here, well beyond a code's life on ordinary hardware, and lets
 * `codes short` start within 1.5x of `node -e 0` (2^14 alone costs 0.5x; 2^12 left it at
 * 1.51x). Each row records the cost it was hashed with (`scrypt_log_n`), so raising
 * this never breaks a live code.
 */
export const SCRYPT_LOG_N = 11;

/** The costs a stored row may name (the schema checks the same range). */
export const SCRYPT_LOG_N_RANGE = { min: 10, max: 16 } as const;

const SCRYPT_R = 8;
const SCRYPT_KEY_BYTES = 32;

/** The scrypt hash of a short code under `salt` at cost 2^`logN`, computed off the main thread. */
export function scryptCode(code: string, salt: Uint8Array, logN: number = SCRYPT_LOG_N): Promise<Buffer> {
  if (!Number.isInteger(logN) || logN < SCRYPT_LOG_N_RANGE.min || logN > SCRYPT_LOG_N_RANGE.max) {
    return Promise.reject(new RangeError(`scrypt cost 2^${logN} is outside 2^${SCRYPT_LOG_N_RANGE.min}..2^${SCRYPT_LOG_N_RANGE.max}`));
  }
  const N = 2 ** logN;
  // scrypt needs 128 * r * N bytes; twice that leaves room for its bookkeeping.
  const params = { N, r: SCRYPT_R, p: 1, maxmem: 2 * 128 * SCRYPT_R * N };
  return new Promise((resolve, reject) => {
    scrypt(code, salt, SCRYPT_KEY_BYTES, params, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
