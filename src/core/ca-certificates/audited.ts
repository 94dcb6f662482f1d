/**
 * Failed attempts to change a CA are audited like the changes themselves, with the
 * error code as the reason, and the code-consumed rule is spelled out in the error.
 */
import { recordFailure } from '../audit.js';
import type { CoreContext } from '../context.js';
import { COMMAND, VericodeError } from '../errors.js';

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

/** How to go on after a spent code: the command that issues a new one (bound to `certificate` in the Azure flow). */
export function newCodeHint(certificate?: string): string {
  const command = certificate === undefined ? `${COMMAND} ca-certificates verification-codes create` : `${COMMAND} ca-certificates verification-codes create --certificate ${certificate}`;
  return `request a new code with: ${command}, and sign a new verification certificate with it`;
}

/**
 * Adds to an error raised after the verification code was consumed that the code is
 * spent (single use, even when the registration fails), and how to go on: its own
 * hint first, then `next` (see `newCodeHint`).
 */
export function noteConsumedCode(error: unknown, next = newCodeHint()): unknown {
  if (!(error instanceof VericodeError) || error.message.includes('verification code was consumed')) return error;
  error.message = `${error.message} (the verification code was consumed by this attempt)`;
  (error as { hint: string | undefined }).hint = error.hint ? `${error.hint}; then ${next}` : next;
  return error;
}
