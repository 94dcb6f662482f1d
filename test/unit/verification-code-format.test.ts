import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertVerificationCodeFormat, generateVerificationCode, isVerificationCodeFormat } from '../../src/core/codes/verification-code-format.js';
import { parseVerificationCodeLength } from '../../src/cli/commands/verification-codes/create.js';
import { seededRandom } from '../helpers/random.js';

describe('generateVerificationCode', () => {
  it('makes 32 alphanumeric characters by default, reproducibly from a seed', () => {
    const code = generateVerificationCode(seededRandom(42));
    expect(code).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generateVerificationCode(seededRandom(42))).toBe(code);
    expect(generateVerificationCode(seededRandom(43))).not.toBe(code);
  });

  it('makes every length from 32 to 64 and refuses others', () => {
    const random = seededRandom(1);
    for (let length = 32; length <= 64; length += 1) expect(generateVerificationCode(random, length)).toHaveLength(length);
    expect(() => generateVerificationCode(random, 31)).toThrow('code length 31 is not a whole number from 32 to 64');
    expect(() => generateVerificationCode(random, 65)).toThrow('code length 65 is not');
  });
});

describe('parseVerificationCodeLength', () => {
  it('defaults to 32 and reads whole numbers in range', () => {
    expect(parseVerificationCodeLength(undefined)).toBe(32);
    expect(parseVerificationCodeLength('48')).toBe(48);
  });

  it.each(['31', '65', '0', '-40', '40.5', 'abc', '', '1e2', '0x20'])('rejects %j', (text) => {
    expect(() => parseVerificationCodeLength(text)).toThrow(`invalid --length "${text}": it must be a whole number from 32 to 64`);
  });
});

describe('assertVerificationCodeFormat', () => {
  it('accepts exactly the generated format', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 32, max: 64 }), (seed, length) => {
        expect(isVerificationCodeFormat(generateVerificationCode(seededRandom(seed), length))).toBe(true);
      }),
    );
  });

  it('names the whitespace rule, with a hint about case and whitespace', () => {
    const code = generateVerificationCode(seededRandom(1));
    expect(() => assertVerificationCodeFormat(`${code} `, 'the CN')).toThrowError(
      expect.objectContaining({
        code: 'invalid_format',
        message: 'the CN is not a valid verification code: it has leading or trailing whitespace',
        hint: 'copy the code exactly as issued: codes are case-sensitive and contain no whitespace',
      }),
    );
  });

  it('names the alphabet rule and the length rule', () => {
    expect(() => assertVerificationCodeFormat('a'.repeat(16) + '-' + 'b'.repeat(16), 'the CN')).toThrow('it contains characters other than A-Z, a-z and 0-9');
    expect(() => assertVerificationCodeFormat('a'.repeat(31), 'the CN')).toThrow('it is 31 characters long, not 32 to 64');
  });

  it('never accepts anything outside [A-Za-z0-9]{32,64}', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        expect(isVerificationCodeFormat(text)).toBe(/^[A-Za-z0-9]{32,64}$/.test(text));
      }),
    );
  });
});
