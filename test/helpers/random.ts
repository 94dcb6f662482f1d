/**
 * A deterministic RandomSource for tests: SHA-256 in counter mode over a seed, with
 * the same rejection sampling as node:crypto's randomInt so it has no modulo bias.
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from '../../src/core/ports.js';

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
    int(maxExclusive) {
      // 48-bit draws; reject the top sliver that would bias the remainder.
      const range = 2 ** 48;
      const limit = range - (range % maxExclusive);
      for (;;) {
        const value = Buffer.from(bytes(6)).readUIntBE(0, 6);
        if (value < limit) return value % maxExclusive;
      }
    },
  };
}
