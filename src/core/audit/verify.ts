/**
 * `audit verify`: recompute the chain, check an anchor, and hold the state against
 * the log. Recomputing is the long part (every event of a large store), and holding
 * the state against the log the next longest: on a long log a store that has a helper
 * thread (`StorePort.helpVerify`) gives it the cross-check and both threads share the
 * chain's segments (see verify-job.ts), about halving the time on two cores.
 */
import type { CoreContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { StoreReader } from '../store-port.js';
import { rfc3339 } from '../time.js';
import { checkAnchor } from './anchor.js';
import { stateDisagreement } from './cross-check.js';
import { endClaims, joinSegments, runVerifyJob, segmentsOf, verifyCounters, type VerifyJob, type VerifyJobResult } from './verify-job.js';

/**
 * Logs shorter than this are checked on one thread: starting a helper (a thread, the
 * SQLite binding, opening the store) costs about what checking 20,000 events does, and
 * a passphrase store derives its key again.
 */
export const HELPER_FROM_EVENTS = 100_000;

/** Options of `verifyAuditChain`. */
export interface VerifyAuditOptions {
  /** Recompute from this event on, trusting the stored hash of the one before it (default 1: all). */
  since?: number;
  /** The log must still hold this event: `seq` with `hash`, or any event with `hash`. */
  anchor?: { seq?: number; hash: string };
  /** Called every 1,000 events with how many were checked and how many there are to check. */
  onProgress?: (checked: number, total: number) => void;
  /** Use the store's helper thread (when it has one) for a log of at least this many events to check (default `HELPER_FROM_EVENTS`). */
  helperFromEvents?: number;
  /** Events per segment of the chain (default `SEGMENT_EVENTS`): for tests. */
  segmentEvents?: number;
}

/** A `since` that names no event of the log (which holds events 1 to `last`). */
export class NoSuchAuditEventError extends UsageError {
  constructor(
    readonly seq: number,
    readonly last: number,
  ) {
    super(`there is no audit event ${seq}: the log holds events 1 to ${last}`);
  }
}

/** The result of a successful `verifyAuditChain`. */
export interface AuditVerification {
  events: number;
  head_hash: string;
  verified_at: string;
  /** With `since`: the first event recomputed. */
  since?: number;
  /** With `anchor`: the anchored event, found as it was. */
  anchor?: { seq: number; hash: string };
}

/**
 * Recomputes the chain (from `since`), checks `anchor`, and cross-checks the codes
 * tables against the log (`findStateDisagreement`), in one read snapshot (a helper
 * thread reads its own, of the same events: the log only grows).
 * @throws NoSuchAuditEventError for a `since` that is not an event; VerificationError
 * (`audit_broken`) naming the first bad event, the anchor the log no longer holds,
 * or the first disagreement between state and log.
 */
export async function verifyAuditChain(ctx: CoreContext, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  return ctx.store.read(async (tx) => {
    const headSeq = (await tx.lastAuditEvent())?.seq ?? 0;
    const since = options.since ?? 1;
    if (!Number.isSafeInteger(since) || since < 1 || (since > headSeq && options.since !== undefined)) {
      throw new NoSuchAuditEventError(since, headSeq);
    }
    const total = headSeq - since + 1;
    const job: VerifyJob = { crossCheck: true, legacyBefore: await tx.auditStoredBytesFrom(), segments: segmentsOf(since, headSeq, options.segmentEvents) };
    const { segments, stateProblem } = await doJob(ctx, tx, job, total >= (options.helperFromEvents ?? HELPER_FROM_EVENTS), (checked) =>
      options.onProgress?.(checked, total),
    );
    const headHash = joinSegments(segments);
    const anchored = options.anchor && { seq: await checkAnchor(tx, options.anchor), hash: options.anchor.hash };
    if (stateProblem) throw stateDisagreement(stateProblem);
    return {
      events: total,
      head_hash: headHash,
      verified_at: rfc3339(ctx.clock.now().getTime()),
      ...(options.since === undefined ? {} : { since }),
      ...(anchored ? { anchor: anchored } : {}),
    };
  });
}

/**
 * Does `job` in `tx`, with the store's helper when `useHelper` and it has one: both
 * take segments in turn, and whichever is free first the cross-check (the helper
 * first thing). Whatever a helper that failed did not report is done here.
 */
async function doJob(
  ctx: CoreContext,
  tx: StoreReader,
  job: VerifyJob,
  useHelper: boolean,
  onThousand: (checked: number) => void,
): Promise<Required<VerifyJobResult>> {
  const counters = verifyCounters();
  const helper = useHelper ? ctx.store.helpVerify?.(job, counters) : undefined;
  let mine: VerifyJobResult;
  try {
    mine = await runVerifyJob(tx, job, counters, { onThousand });
  } catch (error) {
    // Leave the helper nothing to start, and end with it.
    endClaims(counters, job);
    await helper?.catch(() => undefined);
    throw error;
  }
  const helped = await helper?.catch(() => undefined);
  const segments = [...mine.segments, ...(helped?.segments ?? [])];
  const crossChecked = [mine, helped].find((result) => result?.stateProblem !== undefined);
  const done = new Set(segments.map((segment) => segment.from));
  const left = job.segments.filter(([from]) => !done.has(from));
  // The helper's claims are lost with it: what it claimed is done here.
  const again = await runVerifyJob(tx, { ...job, crossCheck: !crossChecked, segments: left }, verifyCounters());
  segments.push(...again.segments);
  return { segments, stateProblem: (crossChecked ?? again).stateProblem ?? null };
}
