/**
 * The real randomness port: /dev/urandom (or node:crypto's CSPRNG) through one pool,
 * and the rejection sampling that keeps `int` free of modulo bias. The statistical
 * checks of the codes it draws are in verification-code-randomness.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cryptoRandom, uniformInt } from '../../src/core/ports.js';

/** A byte source that hands out `draws`, each a 48-bit number as six big-endian bytes. */
function scripted(draws: readonly number[]): { bytes: (length: number) => Uint8Array; taken: () => number } {
  let next = 0;
  return {
    bytes: (length) => {
      expect(length).toBe(6);
      const out = Buffer.alloc(6);
      out.writeUIntBE(draws[next]!, 0, 6);
      next += 1;
      return out;
    },
    taken: () => next,
  };
}

describe('uniformInt', () => {
  it('takes a draw below the last whole multiple of the range, as its remainder', () => {
    const source = scripted([1_000_003]);
    expect(uniformInt(source.bytes, 1000)).toBe(3);
    expect(source.taken()).toBe(1);
  });

  it('throws away a draw in the top sliver that would bias the remainder, and draws again', () => {
    // 2^48 = 281474976710656; with a range of 1000 the last whole multiple is ...656 - 656.
    const limit = 2 ** 48 - (2 ** 48 % 1000);
    const source = scripted([limit, 2 ** 48 - 1, limit - 1]);
    expect(uniformInt(source.bytes, 1000)).toBe((limit - 1) % 1000);
    expect(source.taken()).toBe(3);
  });

  it('accepts 1 to 2^48 and refuses anything else', () => {
    expect(uniformInt(scripted([12345]).bytes, 1)).toBe(0);
    expect(uniformInt(scripted([2 ** 48 - 1]).bytes, 2 ** 48)).toBe(2 ** 48 - 1);
    for (const bad of [0, -1, 1.5, 2 ** 48 + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => uniformInt(scripted([0]).bytes, bad), String(bad)).toThrow(RangeError);
    }
  });
});

describe('cryptoRandom', () => {
  it('gives the number of bytes asked for, across the pool boundary, never the same twice', () => {
    const sizes = [0, 1, 16, 32, 1000, 1024, 3000];
    const drawn = sizes.map((size) => cryptoRandom.bytes(size));
    expect(drawn.map((bytes) => bytes.length)).toEqual(sizes);
    const hex = drawn.filter((bytes) => bytes.length >= 16).map((bytes) => Buffer.from(bytes).toString('hex'));
    expect(new Set(hex).size).toBe(hex.length);
    // 3000 bytes that are all zero (an unfilled buffer) would mean no randomness at all.
    expect(drawn.at(-1)!.some((byte) => byte !== 0)).toBe(true);
  });

  it('int stays in range and reaches every value', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const value = cryptoRandom.int(7);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(7);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(() => cryptoRandom.int(0)).toThrow(RangeError);
  });
});
