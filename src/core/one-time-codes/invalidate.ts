/** Invalidating a user's codes for a purpose before they expire. */
import { recordEvent } from '../audit.js';
import type { OneTimeCodeType } from '../codes/one-time-code-format.js';
import type { CoreContext } from '../context.js';
import { organizationPrn } from '../prn.js';
import { nowWholeSeconds } from '../time.js';
import { oneTimeCodePrn } from './info.js';
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
 * audit event for each code and one for the whole request, in one transaction. Zero is a valid answer, not an error. The
 * failed-attempt count and any lock are left as they are.
 * @throws UsageError for a bad user id or purpose.
 */
export async function invalidateOneTimeCodes(ctx: CoreContext, input: InvalidateOneTimeCodesInput): Promise<InvalidatedOneTimeCodes> {
  assertUserId(input.userId);
  assertPurpose(input.purpose);
  const pair = { organizationId: input.organizationId, userId: input.userId, purpose: input.purpose };
  return ctx.store.write(async (tx) => {
    const rows = await tx.invalidateOneTimeCodes(pair, input.type, { now: ctx.clock.now().getTime(), stamp: nowWholeSeconds(ctx.clock) });
    const result = { user_id: input.userId, purpose: input.purpose, type: input.type ?? null, invalidated: rows.length };
    const event = { action: 'code.invalidate', organization_id: organizationPrn(input.organizationId), outcome: 'success', reason: null } as const;
    // One event per code, so a redeem can find (through the subject index) that the
    // log saw this code invalidated, and `audit verify` can account for each one.
    for (const row of rows) {
      await recordEvent(ctx, tx, { ...event, subject: oneTimeCodePrn(row), details: { user_id: input.userId, purpose: input.purpose, type: row.type } });
    }
    await recordEvent(ctx, tx, { ...event, subject: null, details: { ...result } });
    return result;
  });
}
