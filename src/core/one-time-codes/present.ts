/**
 * Presenting a code: `redeemOneTimeCode` uses it once, `authorizeOneTimeCode` marks it
 * usable. Both count failures against the (user, purpose) and honour its lock, since
 * either would otherwise let someone test guesses without limit.
 *
 * Wrong, expired, consumed and invalidated codes all get the same `invalid_code` error;
 * the audit event records the true reason. The decisive step (lock check, the one
 * conditional UPDATE, the failure count, the audit events) is one immediate
 * transaction, so concurrent processes cannot both redeem a code or lose a count.
 */
import type { CodePair, OneTimeCodeCandidate } from '../records.js';
import type { StoreWriter } from '../store-port.js';
import { earlierSpend, recordEvent, revivedCodeError } from '../audit.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';
import type { CoreContext } from '../context.js';
import { ConflictError, UsageError, VerificationError } from '../errors.js';
import { organizationPrn } from '../prn.js';
import { rfc3339 } from '../time.js';
import { afterFailure, isLocked } from './attempts.js';
import { checkPresentedCode, type PresentedCode } from './codec.js';
import { oneTimeCodePrn, toOneTimeCodeInfo, type OneTimeCodeInfo } from './info.js';
import { findPresentedCode } from './match.js';
import { assertPurpose, assertUserId } from './policy.js';

/** A code as a user typed it, for a user and purpose (and optionally a type). */
export interface PresentOneTimeCodeInput {
  organizationId: string;
  userId: string;
  purpose: string;
  type?: OneTimeCodeType;
  /** The code as typed; surrounding whitespace is ignored. */
  code: string;
}

/** Why an attempt failed, as the audit log records it. */
export type AttemptFailureReason = 'invalid_format' | 'no_match' | 'expired' | 'consumed' | 'invalidated' | 'not_authorized' | 'locked' | 'state_mismatch';

/** The events that spend a one-time code: a code the log shows spent by one cannot be redeemed. */
const SPENDING_ACTIONS = ['code.redeem', 'code.invalidate'] as const;

type Attempt = 'redeem' | 'authorize';
type Outcome =
  | { kind: 'ok'; row: OneTimeCodeCandidate }
  | { kind: 'locked'; until: number }
  | { kind: 'failed'; reason: AttemptFailureReason }
  | { kind: 'revived'; subject: string; spentAt: number };

/**
 * Redeems a code: consumes the pair's active, authorized code equal to `input.code`,
 * and resets the pair's failure count. Returns the consumed code's record.
 * @throws UsageError (`usage`) for a bad user id or purpose (not counted);
 * UsageError (`invalid_format`, counted); VerificationError `invalid_code` for a
 * wrong, expired, consumed or invalidated code and `not_authorized` for a code not yet
 * authorized (both counted); ConflictError `locked` while the pair is locked.
 */
export function redeemOneTimeCode(ctx: CoreContext, input: PresentOneTimeCodeInput): Promise<OneTimeCodeInfo> {
  return presentCode(ctx, input, 'redeem');
}

/**
 * Authorizes the pair's active code equal to `input.code` (again: idempotent). Does not
 * reset the failure count. Returns the code's record.
 * @throws as `redeemOneTimeCode`, except `not_authorized`.
 */
export function authorizeOneTimeCode(ctx: CoreContext, input: PresentOneTimeCodeInput): Promise<OneTimeCodeInfo> {
  return presentCode(ctx, input, 'authorize');
}

async function presentCode(ctx: CoreContext, input: PresentOneTimeCodeInput, attempt: Attempt): Promise<OneTimeCodeInfo> {
  assertUserId(input.userId);
  assertPurpose(input.purpose);
  const pair: CodePair = { organizationId: input.organizationId, userId: input.userId, purpose: input.purpose };
  const now = ctx.clock.now().getTime();
  let presented: PresentedCode | undefined;
  let formatError: UsageError | undefined;
  try {
    presented = await checkPresentedCode(input.code, input.type);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    formatError = error;
  }
  // Hashing is skipped while locked; a lock cannot end before `now`, so the
  // transaction below reaches the same verdict.
  const lockedBefore = await ctx.store.read(async (tx) => isLocked(await tx.readAttempts(pair), now));
  const match = presented && !lockedBefore ? await findPresentedCode(ctx, pair, presented, now) : undefined;
  const outcome = await ctx.store.write((tx) => decide(ctx, tx, pair, attempt, now, presented, match));
  if (outcome.kind === 'ok') return toOneTimeCodeInfo({ ...outcome.row, locked_until: null }, now);
  throw failureError(outcome, formatError, input);
}

/** The decisive step, in one unit of work. */
async function decide(
  ctx: CoreContext,
  tx: StoreWriter,
  pair: CodePair,
  attempt: Attempt,
  now: number,
  presented: PresentedCode | undefined,
  match: OneTimeCodeCandidate | undefined,
): Promise<Outcome> {
  const action = `code.${attempt}`;
  const orgPrn = organizationPrn(pair.organizationId);
  const details = { user_id: pair.userId, purpose: pair.purpose, type: presented?.type ?? null };
  const state = await tx.readAttempts(pair);
  if (isLocked(state, now)) {
    await recordEvent(ctx, tx, { action, organization_id: orgPrn, subject: null, outcome: 'failure', reason: 'locked', details });
    return { kind: 'locked', until: state.locked_until! };
  }
  if (match) {
    const at = { now, stamp: Math.floor(now / 1000) * 1000 };
    const row =
      attempt === 'redeem' ? await tx.consumeOneTimeCode(pair.organizationId, match.id, at) : await tx.authorizeOneTimeCode(pair.organizationId, match.id, at);
    // The row says usable; the log must not have seen the code spent, or old pages
    // of the store were copied back. The row stays consumed and the attempt fails.
    const spentAt = row && attempt === 'redeem' ? await earlierSpend(tx, oneTimeCodePrn(row), SPENDING_ACTIONS) : undefined;
    if (row && spentAt === undefined) {
      if (attempt === 'redeem') await tx.clearAttempts(pair);
      await recordEvent(ctx, tx, { action, organization_id: orgPrn, subject: oneTimeCodePrn(row), outcome: 'success', reason: null, details });
      return { kind: 'ok', row };
    }
    if (row && spentAt !== undefined) {
      await recordFailedAttempt(ctx, tx, pair, action, now, 'state_mismatch', { ...details, spent_at_event: spentAt }, match);
      return { kind: 'revived', subject: oneTimeCodePrn(row), spentAt };
    }
  }
  const reason: AttemptFailureReason = presented === undefined ? 'invalid_format' : await failureReason(tx, match, now, attempt);
  await recordFailedAttempt(ctx, tx, pair, action, now, reason, details, match);
  return { kind: 'failed', reason };
}

/** Counts a failed attempt and records it (and a lock it starts), in the caller's unit of work. */
async function recordFailedAttempt(
  ctx: CoreContext,
  tx: StoreWriter,
  pair: CodePair,
  action: string,
  now: number,
  reason: AttemptFailureReason,
  details: Record<string, unknown>,
  match: OneTimeCodeCandidate | undefined,
): Promise<void> {
  const orgPrn = organizationPrn(pair.organizationId);
  const state = await tx.readAttempts(pair);
  const next = afterFailure(state, now);
  await tx.writeAttempts(pair, next);
  const subject = match ? oneTimeCodePrn(match) : null;
  await recordEvent(ctx, tx, { action, organization_id: orgPrn, subject, outcome: 'failure', reason, details: { ...details, failures: next.failures } });
  if (next.locked_until !== null) {
    await recordEvent(ctx, tx, {
      action: 'code.lock',
      organization_id: orgPrn,
      subject: null,
      outcome: 'success',
      reason: 'too_many_failures',
      details: { user_id: pair.userId, purpose: pair.purpose, failures: next.failures, locked_until: rfc3339(next.locked_until) },
    });
  }
}

/** Why the matched code (read again, in the unit of work) could not be used. */
async function failureReason(tx: StoreWriter, match: OneTimeCodeCandidate | undefined, now: number, attempt: Attempt): Promise<AttemptFailureReason> {
  const row = match && (await tx.findOneTimeCodeById(match.organization_id, match.id));
  if (!row) return 'no_match';
  if (row.consumed_at !== null) return 'consumed';
  if (row.invalidated_at !== null) return 'invalidated';
  if (now >= row.expires_at) return 'expired';
  if (attempt === 'redeem' && row.is_authorized === 0) return 'not_authorized';
  return 'no_match';
}

function failureError(outcome: Exclude<Outcome, { kind: 'ok' }>, formatError: UsageError | undefined, input: PresentOneTimeCodeInput): Error {
  const user = { userId: input.userId, purpose: input.purpose };
  if (outcome.kind === 'locked') {
    return new ConflictError(
      'locked',
      `too many failed attempts for this user and purpose: locked until ${rfc3339(outcome.until)}`,
      'wait until then; each failed attempt counts, and a successful redeem resets the count',
    );
  }
  if (outcome.kind === 'revived') return revivedCodeError(`code ${outcome.subject}`, outcome.spentAt);
  if (outcome.reason === 'invalid_format' && formatError) return formatError;
  if (outcome.reason === 'not_authorized') {
    return new VerificationError('not_authorized', 'the code has not been authorized yet', { kind: 'authorize_one_time_code', ...user });
  }
  return new VerificationError('invalid_code', 'the code is not valid for this user and purpose', { kind: 'retry_one_time_code', ...user });
}
