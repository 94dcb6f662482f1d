/**
 * How codes are kept: never in clear. High-entropy codes are stored as
 * HMAC-SHA256 under the store's secret, so a stolen (decrypted) store still does
 * not reveal them and lookups stay exact-match indexable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the UTF-8 code under `secret`. */
export function hmacCode(secret: Uint8Array, code: string): Buffer {
  return createHmac('sha256', secret).update(code, 'utf8').digest();
}

/** Constant-time equality of two digests (false when the lengths differ). */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
