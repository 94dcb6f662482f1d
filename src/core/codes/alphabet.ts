/**
 * Uniform random strings over an alphabet, one unbiased draw per character:
 * `RandomSource.int` rejects out-of-range values instead of reducing modulo.
 */
import type { RandomSource } from '../ports.js';

/** `[A-Za-z0-9]`: the alphabet of CA verification codes. */
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `[0-9]`: the alphabet of short one-time codes. */
export const DIGITS = '0123456789';

/** A string of `length` characters, each drawn uniformly from `alphabet`. */
export function randomString(random: RandomSource, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[random.int(alphabet.length)];
  return out;
}
