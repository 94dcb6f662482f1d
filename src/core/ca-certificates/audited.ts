/**
 * Failed attempts to change a CA are audited like the changes themselves, with the
 * error code as the reason, and the code-consumed rule is spelled out in the error.
 */
import { recordFailure } from '../audit.js';
import type { CoreContext } from '../context.js';
import { VericodeError } from '../errors.js';
import type { NextStep } from '../next-steps.js';

/** What a failure event records besides its reason. */
export interface AttemptRecord {
  action: string;
  organization_id: string;
  subject: string | null;
  details?: Record<string, unknown>;
}

/**
 * Runs `work`; when it throws a VericodeError, records a failure event (its own
 * unit of work, after `work`'s has rolled back) with the error code as the reason,
 * then rethrows. Anything else is a bug and passes through unrecorded.
 */
export async function auditedAttempt<T>(ctx: CoreContext, record: AttemptRecord, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VericodeError) await recordFailure(ctx, { ...record, reason: error.code });
    throw error;
  }
}

/**
 * Adds to an error raised after the verification code was consumed that the code is
 * spent (single use, even when the registration fails), and how to go on: its own
 * advice first, then a new code (bound to `ca` in the Azure flow) and a new
 * verification certificate signed with it.
 */
export function noteConsumedCode(error: unknown, ca?: string): unknown {
  if (!(error instanceof VericodeError) || error.message.includes('verification code was consumed')) return error;
  error.message = `${error.message} (the verification code was consumed by this attempt)`;
  const next: NextStep = {
    kind: 'sign_with_new_verification_code',
    ...(ca === undefined ? {} : { ca }),
    ...(error.next === undefined ? {} : { first: error.next }),
  };
  (error as { next: NextStep | undefined }).next = next;
  return error;
}
