/**
 * `audit verify`: recompute the chain, check an anchor, and hold the state against
 * the log. Recomputing is the long part (every event of a large store): it reads
 * events in batches with their JSON text built by SQLite, hashes each once, and
 * checks an event the slow, precise way (`checkStoredLink`) only when the fast check
 * fails, so a good chain costs about a quarter of what parsing and re-serializing
 * every event did.
 */
import { hash } from 'node:crypto';
import type { CoreContext } from '../context.js';
import { bulkSha256Hex } from '../digest.js';
import { UsageError } from '../errors.js';
import type { StoreReader } from '../store-port.js';
import { rfc3339 } from '../time.js';
import { checkAnchor } from './anchor.js';
import { chainBroken, checkStoredLink, GENESIS_HASH } from './chain.js';
import { crossCheckState } from './cross-check.js';

/** Events read per query: large enough to amortize the query, small enough for the young GC generation. */
const BATCH = 2048;

/** Options of `verifyAuditChain`. */
export interface VerifyAuditOptions {
  /** Recompute from this event on, trusting the stored hash of the one before it (default 1: all). */
  since?: number;
  /** The log must still hold this event: `seq` with `hash`, or any event with `hash`. */
  anchor?: { seq?: number; hash: string };
  /** Called every 1,000 events with how many were checked and how many there are to check. */
  onProgress?: (checked: number, total: number) => void;
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
 * tables against the log (`crossCheckState`), all in one read snapshot.
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
    const { checked, headHash } = await recompute(tx, since, headSeq, options.onProgress);
    const anchored = options.anchor && { seq: await checkAnchor(tx, options.anchor), hash: options.anchor.hash };
    await crossCheckState(tx, await tx.auditStoredBytesFrom());
    return {
      events: checked,
      head_hash: headHash,
      verified_at: rfc3339(ctx.clock.now().getTime()),
      ...(options.since === undefined ? {} : { since }),
      ...(anchored ? { anchor: anchored } : {}),
    };
  });
}

async function recompute(
  tx: StoreReader,
  since: number,
  headSeq: number,
  onProgress: VerifyAuditOptions['onProgress'],
): Promise<{ checked: number; headHash: string }> {
  let prevHash = since === 1 ? GENESIS_HASH : (await tx.auditEventAt(since - 1))?.hash;
  if (prevHash === undefined) throw chainBroken({ seq: since, problem: `event ${since - 1}, the one before it, is missing` });
  const legacyBefore = await tx.auditStoredBytesFrom();
  const total = headSeq - since + 1;
  let expected = since;
  // Events older than schema 5 hash their details as first written, which the fast
  // check below cannot rebuild: they are read whole, a batch at a time, and checked the
  // precise way (one query a batch, not one an event).
  while (expected < legacyBefore) {
    const batch = await tx.listAuditEvents({ afterSeq: expected - 1, beforeSeq: legacyBefore, order: 'asc', limit: BATCH });
    for (const event of batch) {
      const broken = checkStoredLink(event, prevHash, expected, true, bulkSha256Hex);
      if (broken) throw chainBroken(broken);
      prevHash = event.hash;
      expected += 1;
      if (onProgress && (expected - since) % 1000 === 0) onProgress(expected - since, total);
    }
    if (batch.length < BATCH) break;
  }
  for (;;) {
    const batch = await tx.auditChainBatch(expected, BATCH);
    for (const [seq, eventHash, text, detailsAreJson] of batch) {
      if (seq !== expected || detailsAreJson !== 1 || !text.startsWith(prevHash) || hash('sha256', text) !== eventHash) {
        const broken = checkStoredLink((await tx.auditEventAt(seq))!, prevHash, expected, seq < legacyBefore, bulkSha256Hex);
        if (broken) throw chainBroken(broken);
      }
      prevHash = eventHash;
      expected += 1;
      if (onProgress && (expected - since) % 1000 === 0) onProgress(expected - since, total);
    }
    if (batch.length < BATCH) break;
  }
  return { checked: expected - since, headHash: prevHash };
}
