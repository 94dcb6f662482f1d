import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guessCodeType, normalizeLongCode, normalizeShortCode } from '../../src/core/codes/one-time-code-format.js';
import { generatePhraseCode, normalizePhraseCode, normalizePhraseText, PHRASE_WORDLIST } from '../../src/core/codes/phrase-code.js';
import { UsageError } from '../../src/core/errors.js';
import { checkPresentedCode } from '../../src/core/one-time-codes/codec.js';
import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { seededRandom } from '../helpers/random.js';

/** Whitespace String.prototype.trim removes, as a user might paste it around a code. */
const padding = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003', '\ufeff'), maxLength: 4 });
const anyText = fc.oneof(
  fc.string({ maxLength: 80, size: 'medium' }),
  fc.string({ unit: 'binary', maxLength: 80, size: 'medium' }),
  fc.string({ unit: 'grapheme', maxLength: 40, size: 'medium' }),
);
const SHORT_RULES =
  /^invalid one-time code: (a short code is 6 digits with no spaces inside|a short code contains only the digits 0-9|a short code is exactly 6 digits, not \d+)$/;
const LONG_RULES =
  /^invalid one-time code: (a long code has no spaces inside|a long code is base64url without = padding|a long code is base64url: it uses - and _, never \+ or \/|a long code contains only A-Z, a-z, 0-9, - and _|a long code is exactly 32 characters, not \d+)$/;
const PHRASE_RULES =
  /^invalid one-time code: (a phrase code is exactly 12 words, not \d+|word \d+ of the phrase is not in the BIP-39 English word list|the phrase's BIP-39 checksum does not match: a word is mistyped or out of order)$/;
const mnemonic = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((entropy) => entropyToMnemonic(entropy, wordlist));

/** Runs `check` and returns the invalid_format error it threw, failing on anything else. */
function formatError(check: () => unknown): UsageError {
  try {
    check();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('invalid_format');
    return error as UsageError;
  }
  throw new Error('expected an invalid_format error');
}

describe('short codes', () => {
  it('accepts exactly 6 ASCII digits, with surrounding whitespace trimmed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6}$/), padding, padding, (code, before, after) => {
        expect(normalizeShortCode(`${before}${code}${after}`)).toBe(code);
      }),
    );
  });

  it('rejects everything else with a rule, never a crash and never the input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        fc.pre(!/^[0-9]{6}$/.test(text.trim()));
        expect(formatError(() => normalizeShortCode(text)).message).toMatch(SHORT_RULES);
      }),
    );
  });

  it.each([
    ['12345', 'a short code is exactly 6 digits, not 5'],
    ['1234567', 'a short code is exactly 6 digits, not 7'],
    ['', 'a short code is exactly 6 digits, not 0'],
    ['123 456', 'a short code is 6 digits with no spaces inside'],
    ['12345a', 'a short code contains only the digits 0-9'],
    ['１２３４５６', 'a short code contains only the digits 0-9'],
    ['-12345', 'a short code contains only the digits 0-9'],
  ])('names the rule %j breaks', (text, rule) => {
    expect(formatError(() => normalizeShortCode(text)).message).toBe(`invalid one-time code: ${rule}`);
  });

  it('keeps leading zeros', () => {
    expect(normalizeShortCode(' 000042\n')).toBe('000042');
  });
});

describe('long codes', () => {
  it('accepts base64url of any 24 bytes, with surrounding whitespace trimmed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), padding, padding, (bytes, before, after) => {
        const code = Buffer.from(bytes).toString('base64url');
        expect(code).toHaveLength(32);
        expect(normalizeLongCode(`${before}${code}${after}`)).toBe(code);
      }),
    );
  });

  it('rejects everything else with a rule, never a crash', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        fc.pre(!/^[A-Za-z0-9_-]{32}$/.test(text.trim()));
        expect(formatError(() => normalizeLongCode(text)).message).toMatch(LONG_RULES);
      }),
    );
  });

  it('rejects standard base64 and padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 24, maxLength: 24 }), (bytes) => {
        const standard = Buffer.from(bytes).toString('base64');
        fc.pre(/[+/]/.test(standard));
        expect(formatError(() => normalizeLongCode(standard)).message).toBe('invalid one-time code: a long code is base64url: it uses - and _, never + or /');
      }),
    );
    const padded = `${Buffer.alloc(23, 1).toString('base64url')}=`;
    expect(formatError(() => normalizeLongCode(padded)).message).toBe('invalid one-time code: a long code is base64url without = padding');
    expect(formatError(() => normalizeLongCode('A'.repeat(16) + ' ' + 'A'.repeat(15))).message).toBe('invalid one-time code: a long code has no spaces inside');
    expect(formatError(() => normalizeLongCode('A'.repeat(31))).message).toBe('invalid one-time code: a long code is exactly 32 characters, not 31');
    expect(formatError(() => normalizeLongCode('A'.repeat(31) + 'é')).message).toBe('invalid one-time code: a long code contains only A-Z, a-z, 0-9, - and _');
  });

  it('is case-sensitive: changing the case of a letter gives another code', () => {
    const code = 'abcdefghijklmnopqrstuvwxyzABCDEF';
    expect(normalizeLongCode(code.toUpperCase())).not.toBe(code);
  });
});

describe('near misses', () => {
  /** `code` with one character replaced, inserted or deleted at `at`. */
  const mutate = (code: string, at: number, op: number, ch: string): string => {
    const i = at % (code.length + 1);
    if (op === 0) return code.slice(0, i) + ch + code.slice(i + 1);
    if (op === 1) return code.slice(0, i) + ch + code.slice(i);
    return code.slice(0, i) + code.slice(i + 1);
  };
  const edit = fc.tuple(fc.nat(40), fc.integer({ min: 0, max: 2 }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));

  it('short and long codes one edit away are accepted exactly when they still match the format', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6}$/), fc.uint8Array({ minLength: 24, maxLength: 24 }), edit, (short, bytes, [at, op, ch]) => {
        const nearShort = mutate(short, at, op, ch);
        if (/^[0-9]{6}$/.test(nearShort.trim())) expect(normalizeShortCode(nearShort)).toBe(nearShort.trim());
        else expect(formatError(() => normalizeShortCode(nearShort)).message).toMatch(SHORT_RULES);
        const nearLong = mutate(Buffer.from(bytes).toString('base64url'), at, op, ch);
        if (/^[A-Za-z0-9_-]{32}$/.test(nearLong.trim())) expect(normalizeLongCode(nearLong)).toBe(nearLong.trim());
        else expect(formatError(() => normalizeLongCode(nearLong)).message).toMatch(LONG_RULES);
      }),
    );
  });

  it('a phrase with one word replaced by a non-word is refused, naming that position', () => {
    fc.assert(
      fc.property(mnemonic, fc.nat(11), fc.stringMatching(/^[a-z]{1,8}$/), (phrase, position, word) => {
        fc.pre(!PHRASE_WORDLIST.includes(word));
        const words = phrase.split(' ');
        words[position] = word;
        expect(formatError(() => normalizePhraseCode(words.join(' '))).message).toBe(
          `invalid one-time code: word ${position + 1} of the phrase is not in the BIP-39 English word list`,
        );
      }),
    );
  });
});

describe('phrase codes', () => {
  it('normalization is idempotent and yields single-spaced, trimmed, lower-case NFKD text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = normalizePhraseText(text);
        expect(normalizePhraseText(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s\s/u);
        expect(once).not.toMatch(/[^\S ]/u);
        expect(once.normalize('NFKD')).toBe(once);
      }),
    );
  });

  it('accepts any valid mnemonic however it is cased and spaced', () => {
    const spaces = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u3000'), minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(
        mnemonic,
        fc.array(spaces, { minLength: 13, maxLength: 13 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (phrase, gaps, upper) => {
          const words = phrase.split(' ').map((w, i) => (upper[i] ? w.toUpperCase() : w));
          const typed = gaps[0] + words.map((w, i) => w + gaps[i + 1]).join('');
          expect(normalizePhraseCode(typed)).toBe(phrase);
        },
      ),
    );
  });

  it('accepts compatibility forms (full-width letters) through NFKD', () => {
    const phrase = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    const fullWidth = [...phrase].map((c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0))).join('');
    expect(normalizePhraseCode(fullWidth)).toBe(phrase);
  });

  it('agrees with BIP-39 validation on any 12 words of the list', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PHRASE_WORDLIST), { minLength: 12, maxLength: 12 }), (words) => {
        const phrase = words.join(' ');
        if (validateMnemonic(phrase, wordlist)) {
          expect(normalizePhraseCode(phrase)).toBe(phrase);
        } else {
          expect(formatError(() => normalizePhraseCode(phrase)).message).toBe(
            "invalid one-time code: the phrase's BIP-39 checksum does not match: a word is mistyped or out of order",
          );
        }
      }),
    );
  });

  it('rejects everything else with a rule, never a crash', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        fc.pre(!validateMnemonic(normalizePhraseText(text), wordlist) || normalizePhraseText(text).split(' ').length !== 12);
        expect(formatError(() => normalizePhraseCode(text)).message).toMatch(PHRASE_RULES);
      }),
    );
  });

  it.each([
    ['abandon abandon abandon', 'a phrase code is exactly 12 words, not 3'],
    ['', 'a phrase code is exactly 12 words, not 0'],
    [
      'abandon abandon abandon abandon abandon abandonx abandon abandon abandon abandon abandon about',
      'word 6 of the phrase is not in the BIP-39 English word list',
    ],
    [
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon',
      "the phrase's BIP-39 checksum does not match: a word is mistyped or out of order",
    ],
    [`${'abandon '.repeat(23)}art`, 'a phrase code is exactly 12 words, not 24'],
  ])('names the rule %j breaks, naming a position and not the word', (text, rule) => {
    expect(formatError(() => normalizePhraseCode(text)).message).toBe(`invalid one-time code: ${rule}`);
  });

  it('generates valid 12-word mnemonics from 16 random bytes', () => {
    const random = seededRandom('phrase');
    for (let i = 0; i < 200; i += 1) {
      const phrase = generatePhraseCode(random);
      expect(phrase.split(' ')).toHaveLength(12);
      expect(normalizePhraseCode(phrase)).toBe(phrase);
    }
  });
});

describe('checking a presented code', () => {
  it('guesses the type from the shape: digits (spaced or not) are short, words a phrase, the rest long', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const type = guessCodeType(text);
        if (/^[0-9][0-9\s]*$/u.test(text.trim()) && text.trim().length !== 32) expect(type).toBe('short');
        else if (/\s/u.test(text.trim())) expect(type).toBe('phrase');
        else expect(type).toBe('long');
      }),
    );
  });

  it('either returns a canonical code or throws invalid_format, for any input and type', async () => {
    await fc.assert(
      fc.asyncProperty(anyText, fc.constantFrom(undefined, 'short' as const, 'long' as const, 'phrase' as const), async (text, type) => {
        try {
          const presented = await checkPresentedCode(text, type);
          if (type) expect(presented.type).toBe(type);
          expect(await checkPresentedCode(presented.code, presented.type)).toEqual(presented);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as UsageError).code).toBe('invalid_format');
        }
      }),
    );
  });

  it('checks a code against the given type only', async () => {
    await expect(checkPresentedCode('123456', 'long')).rejects.toThrow('invalid one-time code: a long code is exactly 32 characters, not 6');
    await expect(checkPresentedCode(' 123456 ', undefined)).resolves.toEqual({ type: 'short', code: '123456' });
    await expect(checkPresentedCode('1'.repeat(32), undefined)).resolves.toEqual({ type: 'long', code: '1'.repeat(32) });
  });
});
