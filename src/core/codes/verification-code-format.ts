/**
 * The format of CA verification codes: `[A-Za-z0-9]`, 32 to 64 characters,
 * case-sensitive, as the Peridio page describes.
 */
import { UsageError } from '../errors.js';
import type { RandomSource } from '../ports.js';
import { ALPHANUMERIC, randomString } from './alphabet.js';

export const VERIFICATION_CODE_MIN_LENGTH = 32;
export const VERIFICATION_CODE_MAX_LENGTH = 64;
export const VERIFICATION_CODE_DEFAULT_LENGTH = 32;

const FORMAT = /^[A-Za-z0-9]{32,64}$/;

/**
 * A new verification code of `length` characters.
 * @throws UsageError when `length` is not a whole number from 32 to 64.
 */
export function generateVerificationCode(random: RandomSource, length = VERIFICATION_CODE_DEFAULT_LENGTH): string {
  if (!Number.isInteger(length) || length < VERIFICATION_CODE_MIN_LENGTH || length > VERIFICATION_CODE_MAX_LENGTH) {
    throw new UsageError(`code length ${length} is not a whole number from ${VERIFICATION_CODE_MIN_LENGTH} to ${VERIFICATION_CODE_MAX_LENGTH}`);
  }
  return randomString(random, ALPHANUMERIC, length);
}

/** True when `text` is exactly a well-formed verification code (no trimming). */
export function isVerificationCodeFormat(text: string): boolean {
  return FORMAT.test(text);
}

/**
 * Checks a code as presented (for example a certificate's CN). Verification codes are
 * compared byte-exact: surrounding whitespace is not forgiven here, because the CN
 * inside a signed certificate cannot be corrected after the fact.
 * @throws UsageError (`invalid_format`) naming the rule that failed.
 */
export function assertVerificationCodeFormat(text: string, where: string): void {
  if (isVerificationCodeFormat(text)) return;
  let rule: string;
  if (text.trim() !== text) rule = 'it has leading or trailing whitespace';
  else if (/[^A-Za-z0-9]/.test(text)) rule = 'it contains characters other than A-Z, a-z and 0-9';
  else rule = `it is ${text.length} characters long, not 32 to 64`;
  throw new UsageError(
    `${where} is not a valid verification code: ${rule}`,
    'copy the code exactly as issued: codes are case-sensitive and contain no whitespace',
    'invalid_format',
  );
}
