/**
 * How codes are kept: never in clear. High-entropy codes (CA verification codes, long
 * and phrase one-time codes) are stored as HMAC-SHA256 under the store's secret, so a
 * stolen (decrypted) store still does not reveal them and lookups stay exact-match
 * indexable. Short codes have only 20 bits of entropy, which an HMAC would not
 * protect once the secret leaks with the store, so they get a salted, memory-hard
 * scrypt hash instead.
 */
import { scrypt, timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from '../digest.js';
import type { RandomSource } from '../ports.js';
import type { StoreWriter } from '../store-port.js';

/** HMAC-SHA256 of the UTF-8 code under `secret`. */
export function hmacCode(secret: Uint8Array, code: string): Buffer {
  return hmacSha256(secret, code);
}

/** Constant-time equality of two digests (false when the lengths differ). */
/**
 * The 32-byte secret code HMACs are keyed with, made on first use inside the caller's
 * unit of work. It never leaves the store.
 */
export async function codeHmacSecret(tx: StoreWriter, random: RandomSource): Promise<Buffer> {
  const existing = await tx.hmacSecret();
  if (existing) return existing;
  const secret = Buffer.from(random.bytes(32));
  await tx.setHmacSecret(secret);
  return secret;
}

export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Bytes of salt per short code. */
export const SCRYPT_SALT_BYTES = 16;

/**
 * scrypt's cost for new short codes, as log2(N), with r = 8 and p = 1: N = 2^15 (32 MiB
 * of memory a guess).
 *
 * The hash guards a copy of the store whose key also leaked (whoever holds the live
 * store and its key can issue codes of their own). A short code has 10^6 values and
 * lives at most 10 minutes, so the cost must make searching all of them take longer
 * than that on a big machine. Measured on the 2-core machine the benchmarks run on,
 * under load (the minimum of 7 runs of each cost; node:crypto's scrypt):
 *
 * | N    | one guess | 10^6 guesses | on 64 cores |
 * |------|-----------|--------------|-------------|
 * | 2^11 | 3.4 ms    | 0.9 h        | 0.9 min     |
 * | 2^14 | 27.8 ms   | 7.7 h        | 7.2 min     |
 * | 2^15 | 150.8 ms  | 41.9 h       | 39.3 min    |
 *
 * 2^14 still falls inside the 10-minute life on 64 cores; 2^15 needs 39 minutes for the
 * whole space (20 on average), so a code found by search has expired. The step from
 * 2^14 to 2^15 costs 5x, not 2x: 32 MiB no longer fits the caches, and an attacker's
 * cores pay that too. Every `codes short` pays one hash (computed on libuv's thread
 * pool while the store opens) and every redeem one per candidate row. Each row records
 * the cost it was hashed with (`scrypt_log_n`), so codes issued at 2^11 keep working
 * until they expire. The table comes from a throwaway script timing
 * `scryptSync(code, salt, 32, { N, r: 8, p: 1 })`; README's security section repeats it.
 */
export const SCRYPT_LOG_N = 15;

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
