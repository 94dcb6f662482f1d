// Statistical checks over 100,000 codes: no duplicates, and every character of the
// alphabet equally likely (chi-square, 61 degrees of freedom).
import { describe, expect, it } from 'vitest';
import { ALPHANUMERIC } from '../../src/core/codes/alphabet.js';
import { generateVerificationCode } from '../../src/core/codes/verification-code-format.js';
import { cryptoRandom, type RandomSource } from '../../src/core/ports.js';
import { seededRandom } from '../helpers/random.js';

const CODES = 100_000;
// The 1 - 1e-6 quantile of chi-square with 61 degrees of freedom (Wilson-Hilferty):
// a fair generator fails it about once in a million runs, so CI does not flake, while
// the modulo-62 bias below scores in the thousands.
const CHI_SQUARE_61_LIMIT = 128.9;

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe.each([
  ['the system source (cryptoRandom)', cryptoRandom],
  ['the seeded test source', seededRandom('chi-square')],
])('100,000 verification codes from %s', (_name, random: RandomSource) => {
  const codes = Array.from({ length: CODES }, () => generateVerificationCode(random));

  it('has no duplicates', () => {
    expect(new Set(codes).size).toBe(CODES);
  });

  it('uses every character equally often, at every position taken together', () => {
    const counts = new Array<number>(ALPHANUMERIC.length).fill(0);
    for (const code of codes) for (const ch of code) counts[ALPHANUMERIC.indexOf(ch)]! += 1;
    const statistic = chiSquare(counts, (CODES * 32) / ALPHANUMERIC.length);
    expect(statistic).toBeLessThan(CHI_SQUARE_61_LIMIT);
  });

  it('is uniform at the first position too (no bias from the first draw)', () => {
    const counts = new Array<number>(ALPHANUMERIC.length).fill(0);
    for (const code of codes) counts[ALPHANUMERIC.indexOf(code[0]!)]! += 1;
    expect(chiSquare(counts, CODES / ALPHANUMERIC.length)).toBeLessThan(CHI_SQUARE_61_LIMIT);
  });
});

describe('the chi-square check itself', () => {
  it('catches the bias of reducing a random byte modulo 62', () => {
    const counts = new Array<number>(62).fill(0);
    const random = seededRandom('modulo');
    for (let i = 0; i < CODES * 32; i += 1) counts[random.bytes(1)[0]! % 62]! += 1;
    expect(chiSquare(counts, (CODES * 32) / 62)).toBeGreaterThan(CHI_SQUARE_61_LIMIT);
  });
});
