/**
 * The rules one-time codes follow: TTLs per type, the attempt limit and lock, and the
 * shapes of a user id, a purpose and a type as callers give them.
 */
import type { TtlPolicy } from '../duration.js';
import { UsageError } from '../errors.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** TTL bounds per type: the less entropy, the shorter a code may live. */
export const ONE_TIME_CODE_TTL: Readonly<Record<OneTimeCodeType, TtlPolicy>> = {
  short: { defaultMs: 3 * MINUTE, minMs: MINUTE, maxMs: 10 * MINUTE },
  long: { defaultMs: HOUR, minMs: 5 * MINUTE, maxMs: 24 * HOUR },
  phrase: { defaultMs: 24 * HOUR, minMs: HOUR, maxMs: 72 * HOUR },
};

/** Consecutive failed attempts after which a (user, purpose) is locked. */
export const MAX_FAILED_ATTEMPTS = 10;
/** How long such a lock lasts. */
export const LOCK_DURATION_MS = 15 * MINUTE;

/**
 * At most this many live short codes per (user, purpose). A salted hash can only be
 * checked row by row, so this bounds the scrypt work of every redeem.
 */
export const MAX_LIVE_SHORT_CODES = 5;
/** Short codes a redeem hashes against: every live one, plus recent spent ones for the audit reason. */
export const SHORT_CODE_CANDIDATES = 6;

const PURPOSE = /^[a-z0-9_]{1,64}$/;
const USER_ID = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]{1,128}$/u;

/**
 * True for a valid user id: 1 to 128 letters, digits, punctuation or symbols (no
 * whitespace or control characters), compared exactly as given.
 */
export function isUserId(userId: string): boolean {
  return USER_ID.test(userId);
}

/** True for a valid purpose: `[a-z0-9_]{1,64}`, such as `add_credential`. */
export function isPurpose(purpose: string): boolean {
  return PURPOSE.test(purpose);
}

/**
 * Checks a user id (see isUserId).
 * @throws UsageError otherwise.
 */
export function assertUserId(userId: string): void {
  if (isUserId(userId)) return;
  throw new UsageError(
    `invalid user id ${JSON.stringify(userId)}: a user id is 1 to 128 characters with no spaces or control characters`,
    'for example alice@example.com or 4f1c2d',
  );
}

/**
 * Checks a purpose (see isPurpose).
 * @throws UsageError otherwise.
 */
export function assertPurpose(purpose: string): void {
  if (isPurpose(purpose)) return;
  throw new UsageError(
    `invalid purpose ${JSON.stringify(purpose)}: a purpose is 1 to 64 characters of a-z, 0-9 and _`,
    'for example add_credential or temporary_authentication',
  );
}
