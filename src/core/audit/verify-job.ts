/**
 * The work of `audit verify`, cut so that two readers of the store can share it: the
 * chain in segments, each checked on its own from the stored hash of the event before
 * it, and the cross-check of state against log. Readers claim segments in turn from a
 * shared counter, so one that runs faster takes more; the caller then joins the
 * segments (`joinSegments`) and so checks the links between them as well.
 *
 * A reader is this thread's unit of work or another thread's (the SQLite store's
 * helper, src/store/verify-helper.ts), which opens the store on its own connection:
 * everything here crosses a thread as plain data.
 */
import { hash } from 'node:crypto';
import { bulkSha256Hex } from '../digest.js';
import type { StoreReader } from '../store-port.js';
import { type ChainBreak, chainBroken, checkStoredLink, GENESIS_HASH } from './chain.js';
import { findStateDisagreement } from './cross-check.js';

/** Events read per query: large enough to amortize the query, small enough for the young GC generation. */
const BATCH = 2048;

/** Events per segment: enough that claiming one is nothing, few enough that two readers end together. */
export const SEGMENT_EVENTS = 65_536;

/** What the readers of the store are asked to do between them. */
export interface VerifyJob {
  /** Hold the state against the log too (`findStateDisagreement`): one reader claims it. */
  crossCheck: boolean;
  /** The first event hashed under the rule of schema 5 (see chain.ts). */
  legacyBefore: number;
  /** The chain's segments, first and last event of each, in order. */
  segments: ReadonlyArray<readonly [number, number]>;
}

/**
 * Counters the readers of one job share (an Int32Array over a SharedArrayBuffer):
 * the next segment to claim, how many events were checked (for progress), and
 * whether the cross-check is claimed.
 */
export type VerifyCounters = Int32Array;
const NEXT_SEGMENT = 0;
const EVENTS_CHECKED = 1;
const CROSS_CHECK_CLAIMED = 2;

/** A new, zeroed set of counters. */
export function verifyCounters(): VerifyCounters {
  return new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
}

/** Leaves nothing of `job` to claim: readers stop after what they are doing. */
export function endClaims(counters: VerifyCounters, job: VerifyJob): void {
  Atomics.store(counters, NEXT_SEGMENT, job.segments.length);
  Atomics.store(counters, CROSS_CHECK_CLAIMED, 1);
}

/** One segment, checked. */
export interface SegmentCheck {
  from: number;
  to: number;
  /** The stored hash of event `from - 1` that the segment was checked against (zeros before event 1), or null when that event is missing. */
  before: string | null;
  /** The hash of the segment's last event, when nothing in it is broken. */
  last: string;
  /** Where the segment first goes wrong. */
  broken?: ChainBreak;
}

/** What a reader did of a job. */
export interface VerifyJobResult {
  segments: SegmentCheck[];
  /** When this reader did the cross-check: the first disagreement between state and log, or null for none. */
  stateProblem?: string | null;
}

/** The segments of events `since` to `head`, each of at most `size` events. */
export function segmentsOf(since: number, head: number, size = SEGMENT_EVENTS): Array<[number, number]> {
  const segments: Array<[number, number]> = [];
  for (let from = since; from <= head; from += size) segments.push([from, Math.min(head, from + size - 1)]);
  return segments;
}

/** How one reader goes about a job. */
export interface VerifyReaderOptions {
  /**
   * Claim the cross-check before the segments (a helper, which overlaps it with the
   * chain), not after them: a helper that starts late then finds it done, and the
   * other reader has not waited for it.
   */
  crossCheckFirst?: boolean;
  /** Runs whenever an event checked here brings the job's running total (every reader's) to a multiple of 1,000. */
  onThousand?: (checked: number) => void;
}

/**
 * Does in `tx` what is left of `job` to claim from `counters`: the segments until none
 * are left, and the cross-check unless another reader claimed it.
 */
export async function runVerifyJob(tx: StoreReader, job: VerifyJob, counters: VerifyCounters, options: VerifyReaderOptions = {}): Promise<VerifyJobResult> {
  const result: VerifyJobResult = { segments: [] };
  const crossCheck = async (): Promise<void> => {
    if (job.crossCheck && Atomics.compareExchange(counters, CROSS_CHECK_CLAIMED, 0, 1) === 0) {
      result.stateProblem = (await findStateDisagreement(tx, job.legacyBefore)) ?? null;
    }
  };
  if (options.crossCheckFirst) await crossCheck();
  for (;;) {
    const index = Atomics.add(counters, NEXT_SEGMENT, 1);
    if (index >= job.segments.length) break;
    const [from, to] = job.segments[index]!;
    result.segments.push(await checkSegment(tx, from, to, job.legacyBefore, counters, options.onThousand));
  }
  if (!options.crossCheckFirst) await crossCheck();
  return result;
}

/**
 * Checks events `from` to `to` against the stored hash of event `from - 1`: quickly
 * (`checkQuickly`) where it can vouch for them, else precisely (`checkPrecisely`),
 * which also names where they go wrong. Events of the old rule (before
 * `legacyBefore`) are always checked precisely.
 */
async function checkSegment(
  tx: StoreReader,
  from: number,
  to: number,
  legacyBefore: number,
  counters: VerifyCounters,
  onThousand: ((checked: number) => void) | undefined,
): Promise<SegmentCheck> {
  const before = from === 1 ? GENESIS_HASH : ((await tx.auditEventAt(from - 1))?.hash ?? null);
  const segment: SegmentCheck = { from, to, before, last: '' };
  if (before === null) return { ...segment, broken: { seq: from, problem: `event ${from - 1}, the one before it, is missing` } };
  const tick = (): void => {
    const total = Atomics.add(counters, EVENTS_CHECKED, 1) + 1;
    if (onThousand && total % 1000 === 0) onThousand(total);
  };
  const quickFrom = Math.max(from, legacyBefore);
  let last = before;
  if (from < quickFrom) {
    const old = await checkPrecisely(tx, from, Math.min(to, quickFrom - 1), last, legacyBefore, tick);
    if ('broken' in old) return { ...segment, broken: old.broken };
    last = old.last;
  }
  if (quickFrom <= to) {
    // Events the quick check cannot vouch for are checked again precisely (not counted twice).
    const checked = (await checkQuickly(tx, quickFrom, to, last, tick)) ?? (await checkPrecisely(tx, quickFrom, to, last, legacyBefore, () => undefined));
    if ('broken' in checked) return { ...segment, broken: checked.broken };
    last = checked.last;
  }
  return { ...segment, last };
}

/**
 * The hash of event `to` when events `from` to `to`, their text as the store builds it,
 * each start with the hash before them and hash to their stored hash; undefined when
 * any does not. Rows come in seq order without their seq: a missing event shows as a
 * row that does not follow, and the last row read must be event `to`.
 */
async function checkQuickly(tx: StoreReader, from: number, to: number, before: string, tick: () => void): Promise<{ last: string } | undefined> {
  let prevHash = before;
  for (let next = from; next <= to; ) {
    const batch = await tx.auditChainBatch(next, Math.min(BATCH, to - next + 1));
    if (batch.length === 0) return undefined;
    for (const [eventHash, text] of batch) {
      if (text === null || !text.startsWith(prevHash) || hash('sha256', text) !== eventHash) return undefined;
      prevHash = eventHash;
      next += 1;
      tick();
    }
  }
  return (await tx.auditEventAt(to))?.hash === prevHash ? { last: prevHash } : undefined;
}

/**
 * Checks events `from` to `to` one by one as stored (`checkStoredLink`): the hash of
 * event `to`, or the first break.
 */
async function checkPrecisely(
  tx: StoreReader,
  from: number,
  to: number,
  before: string,
  legacyBefore: number,
  tick: () => void,
): Promise<{ last: string } | { broken: ChainBreak }> {
  let prevHash = before;
  let expected = from;
  while (expected <= to) {
    // Unbounded above: after a gap, the next event is the one named, as when one reader checks the whole chain.
    const batch = await tx.listAuditEvents({ afterSeq: expected - 1, order: 'asc', limit: Math.min(BATCH, to - expected + 1) });
    if (batch.length === 0) return { broken: missing(expected) };
    for (const event of batch) {
      const broken = checkStoredLink(event, prevHash, expected, event.seq < legacyBefore, bulkSha256Hex);
      if (broken) return { broken };
      prevHash = event.hash;
      expected += 1;
      tick();
    }
  }
  return { last: prevHash };
}

function missing(seq: number): ChainBreak {
  return { seq, problem: `expected event ${seq} here: an event is missing or out of order` };
}

/**
 * Joins checked segments (in any order, together covering one range) into the chain:
 * the head's hash.
 * @throws VerificationError (`audit_broken`) naming the first event where a segment
 * goes wrong, or where one does not continue from the last (an event rewritten while
 * two readers read it).
 */
export function joinSegments(segments: readonly SegmentCheck[]): string {
  const ordered = [...segments].sort((a, b) => a.from - b.from);
  let head: string | undefined;
  for (const segment of ordered) {
    if (head !== undefined && segment.before !== head) {
      throw chainBroken({ seq: segment.from - 1, problem: 'it changed while the chain was being verified' });
    }
    if (segment.broken) throw chainBroken(segment.broken);
    head = segment.last;
  }
  return head ?? GENESIS_HASH;
}
