/**
 * A deterministic RandomSource for tests: SHA-256 in counter mode over a seed, with
 * the rejection sampling of the real source (uniformInt), so it has no modulo bias.
 */
import { createHash } from 'node:crypto';
import { type RandomSource, uniformInt } from '../../src/core/ports.js';

export function seededRandom(seed: string | number = 1): RandomSource {
  let counter = 0;
  let pool = Buffer.alloc(0);
  const bytes = (length: number): Uint8Array => {
    while (pool.length < length) {
      const block = createHash('sha256').update(`${seed}:${counter}`).digest();
      counter += 1;
      pool = Buffer.concat([pool, block]);
    }
    const out = pool.subarray(0, length);
    pool = pool.subarray(length);
    return Uint8Array.from(out);
  };
  return {
    bytes,
    int: (maxExclusive) => uniformInt(bytes, maxExclusive),
  };
}
