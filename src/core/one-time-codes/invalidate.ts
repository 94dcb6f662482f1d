/** Invalidating a user's codes for a purpose before they expire. */
import { invalidateOneTimeCodeRows } from '../../store/one-time-codes.js';
import { recordEvent } from '../audit.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';
import type { CoreContext } from '../context.js';
import { organizationPrn } from '../prn.js';
import { nowWholeSeconds } from '../time.js';
import { assertPurpose, assertUserId } from './policy.js';

/** Whose codes to invalidate; every type unless `type` is given. */
export interface InvalidateOneTimeCodesInput {
  organizationId: string;
  userId: string;
  purpose: string;
  type?: OneTimeCodeType;
}

/** How many codes were invalidated. */
export interface InvalidatedOneTimeCodes {
  user_id: string;
  purpose: string;
  type: OneTimeCodeType | null;
  invalidated: number;
}

/**
 * Invalidates every active (unspent, unexpired) code of the user and purpose, with an
 * audit event, in one transaction. Zero is a valid answer, not an error. The
 * failed-attempt count and any lock are left as they are.
 * @throws UsageError for a bad user id or purpose.
 */
export function invalidateOneTimeCodes(ctx: CoreContext, input: InvalidateOneTimeCodesInput): InvalidatedOneTimeCodes {
  assertUserId(input.userId);
  assertPurpose(input.purpose);
  const pair = { organizationId: input.organizationId, userId: input.userId, purpose: input.purpose };
  return ctx.store.write(() => {
    const invalidated = invalidateOneTimeCodeRows(ctx.store, pair, input.type, { now: ctx.clock.now().getTime(), stamp: nowWholeSeconds(ctx.clock) });
    const result = { user_id: input.userId, purpose: input.purpose, type: input.type ?? null, invalidated };
    recordEvent(ctx, {
      action: 'code.invalidate',
      organization_id: organizationPrn(input.organizationId),
      subject: null,
      outcome: 'success',
      reason: null,
      details: { ...result },
    });
    return result;
  });
}
