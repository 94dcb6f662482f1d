/**
 * The generated codes are uniform: chi-square goodness-of-fit over 100,000 codes of
 * each type, per position, with both the real CSPRNG and the seeded test source. The
 * significance level is 1e-6 per test, so the real source fails by chance about once in
 * ten thousand runs of this file, while a modulo bias (4% for 256 % 10) fails always.
 */
import { describe, expect, it } from 'vitest';
import { generateLongCode, generateShortCode } from '../../src/core/codes/one-time-code-format.js';
import { generatePhraseCode, PHRASE_WORDLIST } from '../../src/core/codes/phrase-code.js';
import { cryptoRandom, type RandomSource } from '../../src/core/ports.js';
import { seededRandom } from '../helpers/random.js';

const SAMPLES = 100_000;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The chi-square statistic of `counts` against a uniform distribution. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
}

/** The upper 1e-6 critical value for `df` degrees of freedom (Wilson-Hilferty; z = 4.7534). */
function critical(df: number): number {
  const z = 4.7534;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

/** Counts per position of each symbol's index in `alphabet`. */
function positionCounts(codes: readonly string[][], alphabetSize: number, indexOf: (symbol: string) => number): number[][] {
  const counts = codes[0]!.map(() => new Array<number>(alphabetSize).fill(0));
  let outside = 0;
  for (const symbols of codes) {
    for (let position = 0; position < symbols.length; position += 1) {
      const index = indexOf(symbols[position]!);
      if (index < 0) outside += 1;
      else counts[position]![index]! += 1;
    }
  }
  expect(outside, 'symbols outside the alphabet').toBe(0);
  return counts;
}

function expectUniform(counts: number[][]): void {
  for (const [position, row] of counts.entries()) {
    expect(chiSquare(row), `position ${position}`).toBeLessThan(critical(row.length - 1));
  }
  const pooled = counts[0]!.map((_, symbol) => counts.reduce((sum, row) => sum + row[symbol]!, 0));
  expect(chiSquare(pooled), 'all positions pooled').toBeLessThan(critical(pooled.length - 1));
}

/**
 * Phrases cost about half a millisecond each in @scure/bip39 (it rebuilds its word
 * index on every call), so the seeded source checks 25,000 phrases (12 per word and
 * position, still enough for the chi-square approximation) and the real one 100,000.
 */
const SOURCES: ReadonlyArray<readonly [string, () => RandomSource, number]> = [
  ['the system source (cryptoRandom)', () => cryptoRandom, SAMPLES],
  ['seeded', () => seededRandom('chi-square'), 25_000],
];

describe.each(SOURCES)('with the %s random source', (_name, source, phraseSamples) => {
  it('short codes: every digit equally likely at each of the 6 positions', () => {
    const random = source();
    const codes = Array.from({ length: SAMPLES }, () => generateShortCode(random));
    expect(codes.every((c) => /^[0-9]{6}$/.test(c))).toBe(true);
    expectUniform(
      positionCounts(
        codes.map((c) => [...c]),
        10,
        (d) => d.charCodeAt(0) - 48,
      ),
    );
    // 100,000 draws from 10^6 values repeat by the birthday bound: the number of distinct
    // codes is expected at 10^6 (1 - e^-0.1) = 95,163 with a standard deviation of about 65.
    const distinct = new Set(codes).size;
    expect(Math.abs(distinct - 95_163)).toBeLessThan(6 * 65);
  });

  it('long codes: all 64 base64url characters equally likely at each of the 32 positions, no duplicates', () => {
    const random = source();
    const codes = Array.from({ length: SAMPLES }, () => generateLongCode(random));
    expect(codes.every((c) => /^[A-Za-z0-9_-]{32}$/.test(c))).toBe(true);
    // 24 bytes are exactly 32 six-bit groups, so the last character is as random as the rest.
    expectUniform(
      positionCounts(
        codes.map((c) => [...c]),
        64,
        (ch) => BASE64URL.indexOf(ch),
      ),
    );
    expect(new Set(codes).size).toBe(SAMPLES);
  });

  it('phrase codes: all 2048 words equally likely at each of the 12 positions, no duplicates', () => {
    const random = source();
    const index = new Map(PHRASE_WORDLIST.map((w, i) => [w, i]));
    const codes = Array.from({ length: phraseSamples }, () => generatePhraseCode(random));
    // The 12th word carries 7 random bits and 4 checksum bits (SHA-256), which are
    // uniform too when the entropy is.
    expectUniform(
      positionCounts(
        codes.map((c) => c.split(' ')),
        2048,
        (w) => index.get(w) ?? -1,
      ),
    );
    expect(new Set(codes).size).toBe(phraseSamples);
  }, 300_000);
});

describe('the test itself', () => {
  it('detects a modulo-biased digit generator', () => {
    const random = seededRandom('biased');
    const biased = Array.from({ length: SAMPLES }, () => Array.from({ length: 6 }, () => String(random.bytes(1)[0]! % 10)));
    const counts = positionCounts(biased, 10, (d) => Number(d));
    expect(counts.some((row) => chiSquare(row) >= critical(9))).toBe(true);
  });

  it('detects a generator that never draws one base64url character', () => {
    const random = seededRandom('missing');
    const codes = Array.from({ length: 20_000 }, () => [...generateLongCode(random).replaceAll('_', '-')]);
    const counts = positionCounts(codes, 64, (ch) => BASE64URL.indexOf(ch));
    expect(chiSquare(counts[0]!)).toBeGreaterThan(critical(63));
  });
});
