/** Issuing a one-time code for a user and purpose. */
import { recordEvent } from '../audit.js';
import { codeHmacSecret, hmacCode } from '../codes/hashing.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';
import type { CoreContext } from '../context.js';
import { formatDuration } from '../duration.js';
import { ConflictError, UsageError } from '../errors.js';
import { timeOrderedUuid, type RandomSource } from '../ports.js';
import { organizationPrn } from '../prn.js';
import { nowWholeSeconds, rfc3339 } from '../time.js';
import { loadCodec, shortCodeDigest, type ShortCodeDigest } from './codec.js';
import { oneTimeCodePrn } from './info.js';
import { assertPurpose, assertUserId, MAX_LIVE_SHORT_CODES, ONE_TIME_CODE_TTL } from './policy.js';

/** What to issue. Without `authorize` the code must be authorized before it can be redeemed. */
export interface IssueOneTimeCodeInput {
  organizationId: string;
  type: OneTimeCodeType;
  userId: string;
  purpose: string;
  authorize?: boolean;
  /** Default: the type's default TTL. */
  ttlMs?: number;
  /** The code, from `prepareOneTimeCode` (of the same type); default: a new one. */
  prepared?: PreparedOneTimeCode;
}

/** A code generated but not yet recorded; a short code's hash is already being computed. */
export interface PreparedOneTimeCode {
  type: OneTimeCodeType;
  code: string;
  /** The short code's scrypt hash, computing on libuv's thread pool. */
  short?: Promise<ShortCodeDigest>;
}

/**
 * Generates a code of `type` and, for a short code, starts its scrypt hash. Needs no
 * store: a caller that still has to open one calls this first, and the hash runs on
 * another thread meanwhile, so a short code costs little more than a long one.
 */
export async function prepareOneTimeCode(type: OneTimeCodeType, random: RandomSource): Promise<PreparedOneTimeCode> {
  const code = (await loadCodec(type)).generate(random);
  if (type !== 'short') return { type, code };
  const short = shortCodeDigest(code, random);
  // Awaited by issueOneTimeCode; a caller that fails first must not leave it unhandled.
  short.catch(() => {});
  return { type, code, short };
}

/** The result of issuing: the only place the plaintext code ever appears. */
export interface IssuedOneTimeCode {
  id: string;
  type: OneTimeCodeType;
  code: string;
  user_id: string;
  purpose: string;
  is_authorized: boolean;
  created_at: string;
  expires_at: string;
}

/**
 * Issues a code and records it (as a salted scrypt hash for short codes, an HMAC for
 * long and phrase codes) with its audit event, in one transaction. Issuing does not
 * reset the pair's failed-attempt count.
 * @throws UsageError for a bad user id, purpose or TTL (outside the type's bounds);
 * ConflictError (`limit_exceeded`) when the pair already has 5 live short codes.
 */
export async function issueOneTimeCode(ctx: CoreContext, input: IssueOneTimeCodeInput): Promise<IssuedOneTimeCode> {
  assertUserId(input.userId);
  assertPurpose(input.purpose);
  const policy = ONE_TIME_CODE_TTL[input.type];
  const ttlMs = input.ttlMs ?? policy.defaultMs;
  if (!(ttlMs >= policy.minMs && ttlMs <= policy.maxMs)) {
    throw new UsageError(`a ${input.type} code's TTL must be from ${formatDuration(policy.minMs)} to ${formatDuration(policy.maxMs)}`);
  }
  const prepared = input.prepared ?? (await prepareOneTimeCode(input.type, ctx.random));
  if (prepared.type !== input.type) throw new Error(`a prepared ${prepared.type} code cannot be issued as ${input.type}`);
  const code = prepared.code;
  // scrypt runs on libuv's pool: it finishes before the unit of work, which then holds the write lock briefly.
  const short = await prepared.short;
  const pair = { organizationId: input.organizationId, userId: input.userId, purpose: input.purpose };
  return ctx.store.write(async (tx) => {
    const createdAt = nowWholeSeconds(ctx.clock);
    if (input.type === 'short' && (await tx.countLiveOneTimeCodes(pair, 'short', ctx.clock.now().getTime())) >= MAX_LIVE_SHORT_CODES) {
      throw new ConflictError(
        'limit_exceeded',
        `user ${JSON.stringify(input.userId)} already has ${MAX_LIVE_SHORT_CODES} active short codes for purpose ${input.purpose}`,
        { kind: 'invalidate_one_time_codes', userId: input.userId, purpose: input.purpose, type: 'short' },
      );
    }
    const row = {
      id: timeOrderedUuid(ctx.random, ctx.clock.now().getTime()),
      organization_id: input.organizationId,
      type: input.type,
      user_id: input.userId,
      purpose: input.purpose,
      code_digest: short?.digest ?? hmacCode(await codeHmacSecret(tx, ctx.random), code),
      code_salt: short?.salt ?? null,
      scrypt_log_n: short?.logN ?? null,
      is_authorized: input.authorize ? (1 as const) : (0 as const),
      created_at: createdAt,
      expires_at: createdAt + ttlMs,
    };
    await tx.insertOneTimeCode(row);
    const issued: IssuedOneTimeCode = {
      id: oneTimeCodePrn(row),
      type: row.type,
      code,
      user_id: row.user_id,
      purpose: row.purpose,
      is_authorized: row.is_authorized === 1,
      created_at: rfc3339(row.created_at),
      expires_at: rfc3339(row.expires_at),
    };
    await recordEvent(ctx, tx, {
      action: 'code.create',
      organization_id: organizationPrn(row.organization_id),
      subject: issued.id,
      outcome: 'success',
      reason: null,
      details: { type: row.type, user_id: row.user_id, purpose: row.purpose, is_authorized: issued.is_authorized, expires_at: issued.expires_at },
    });
    return issued;
  });
}
