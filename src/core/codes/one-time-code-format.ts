/**
 * The formats of one-time codes as users type them: short codes (6 ASCII digits) and
 * long codes (base64url, no padding, of 24 random bytes: 32 characters). Phrase codes
 * live in `phrase-code.ts`, loaded only when needed because their word list is large.
 *
 * Every check trims surrounding whitespace and nothing else; anything that then does
 * not match exactly is an `invalid_format` UsageError naming the rule. Error messages
 * describe the input's shape (a length, a position), never its characters.
 */
import { UsageError } from '../errors.js';
import type { RandomSource } from '../ports.js';
import { DIGITS, randomString } from './alphabet.js';

/** The three kinds of one-time code. */
export type OneTimeCodeType = 'short' | 'long' | 'phrase';

export const ONE_TIME_CODE_TYPES: readonly OneTimeCodeType[] = ['short', 'long', 'phrase'];

export const SHORT_CODE_LENGTH = 6;
export const LONG_CODE_BYTES = 24;
/** 24 bytes are exactly 32 base64url characters, so no padding and no spare bits. */
export const LONG_CODE_LENGTH = 32;

const SHORT_CODE = /^[0-9]{6}$/;
const LONG_CODE = /^[A-Za-z0-9_-]{32}$/;

/** What every format error suggests. */
export const FORMAT_HINT =
  'type the code exactly as issued: a short code is 6 digits, a long code 32 characters of A-Z, a-z, 0-9, - and _, a phrase 12 BIP-39 English words';

/** The `invalid_format` error for a code that breaks `rule`. */
export function invalidCodeFormat(rule: string): UsageError {
  return new UsageError(`invalid one-time code: ${rule}`, FORMAT_HINT, 'invalid_format');
}

/** A new short code: 6 digits, each drawn without bias, leading zeros allowed. */
export function generateShortCode(random: RandomSource): string {
  return randomString(random, DIGITS, SHORT_CODE_LENGTH);
}

/** A new long code: base64url of 24 random bytes. */
export function generateLongCode(random: RandomSource): string {
  return Buffer.from(random.bytes(LONG_CODE_BYTES)).toString('base64url');
}

/**
 * The short code in `text`, trimmed.
 * @throws UsageError (`invalid_format`) unless it is exactly 6 ASCII digits.
 */
export function normalizeShortCode(text: string): string {
  const code = text.trim();
  if (SHORT_CODE.test(code)) return code;
  if (/\s/u.test(code)) throw invalidCodeFormat('a short code is 6 digits with no spaces inside');
  if (/[^0-9]/.test(code)) throw invalidCodeFormat('a short code contains only the digits 0-9');
  throw invalidCodeFormat(`a short code is exactly 6 digits, not ${code.length}`);
}

/**
 * The long code in `text`, trimmed.
 * @throws UsageError (`invalid_format`) unless it is exactly 32 base64url characters.
 */
export function normalizeLongCode(text: string): string {
  const code = text.trim();
  if (LONG_CODE.test(code)) return code;
  if (/\s/u.test(code)) throw invalidCodeFormat('a long code has no spaces inside');
  if (code.includes('=')) throw invalidCodeFormat('a long code is base64url without = padding');
  if (/[+/]/.test(code)) throw invalidCodeFormat('a long code is base64url: it uses - and _, never + or /');
  if (/[^A-Za-z0-9_-]/.test(code)) throw invalidCodeFormat('a long code contains only A-Z, a-z, 0-9, - and _');
  throw invalidCodeFormat(`a long code is exactly 32 characters, not ${[...code].length}`);
}

/**
 * The type a code of unknown type most likely is, from its shape alone: digits (even
 * with spaces, as in "123 456") are short, several words a phrase, anything else is
 * checked as a long code. The chosen type's check then names the rule the input breaks.
 */
export function guessCodeType(text: string): OneTimeCodeType {
  const code = text.trim();
  // A long code may, very rarely, be all digits: 32 of them are read as one.
  if (/^[0-9][0-9\s]*$/u.test(code) && code.length !== LONG_CODE_LENGTH) return 'short';
  if (/\s/u.test(code)) return 'phrase';
  return 'long';
}
