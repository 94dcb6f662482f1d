import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/core/duration.js';
import { parseDuration, parseTtl as resolveTtl } from '../../src/cli/parse.js';
import { VERIFICATION_CODE_TTL } from '../../src/core/verification-codes.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['5m', 300_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    [' 5m ', 300_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text, '--ttl')).toBe(ms);
  });

  it.each(['', '5', 'm', '5 m', '-5m', '0m', '1.5h', '5M', '5mm', '1w', '5m5s', '9999999999s'])('rejects %j naming the flag', (text) => {
    expect(() => parseDuration(text, '--ttl')).toThrowError(
      expect.objectContaining({
        code: 'usage',
        message: `invalid --ttl "${text}": expected a positive whole number followed by s, m, h or d`,
        hint: 'for example --ttl 90s, --ttl 5m, --ttl 24h or --ttl 7d',
      }),
    );
  });

  it('round-trips through formatDuration for every whole unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('s', 'm', 'h', 'd'), (n, unit) => {
        const ms = parseDuration(`${n}${unit}`, '--ttl');
        expect(parseDuration(formatDuration(ms), '--ttl')).toBe(ms);
      }),
    );
  });
});

describe('resolveTtl', () => {
  it('uses the default when no TTL is given', () => {
    expect(resolveTtl(undefined, VERIFICATION_CODE_TTL)).toBe(86_400_000);
  });

  it('accepts both bounds, inclusive', () => {
    expect(resolveTtl('5m', VERIFICATION_CODE_TTL)).toBe(300_000);
    expect(resolveTtl('7d', VERIFICATION_CODE_TTL)).toBe(604_800_000);
  });

  it.each([
    ['4m', 'from 5m to 7d'],
    ['299s', 'from 5m to 7d'],
    ['8d', 'from 5m to 7d'],
    ['169h', 'from 5m to 7d'],
  ])('rejects %s as out of range', (text, range) => {
    expect(() => resolveTtl(text, VERIFICATION_CODE_TTL)).toThrowError(`--ttl ${text} is out of range: it must be ${range}`);
  });
});
