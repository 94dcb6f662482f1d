/**
 * Audit anchors: the head of the log (`{seq, hash, at}`) written down somewhere the
 * store's owner cannot rewrite. The chain proves the log is internally consistent;
 * only an anchor kept elsewhere proves it was not truncated, rolled back or rebuilt
 * (whoever holds the key can recompute every hash).
 */
import type { StoreReader } from '../store-port.js';
import type { CoreContext } from '../context.js';
import { UsageError, VerificationError } from '../errors.js';
import { GENESIS_HASH } from './chain.js';

/** An anchor: event `seq` had `hash` (and was recorded `at`). */
export interface AuditAnchor {
  seq: number;
  hash: string;
  at: string | null;
}

const HASH = /^[0-9a-f]{64}$/;

/** The head of the log, as an anchor; `{seq: 0, hash: 64 zeros, at: null}` while it is empty. */
export async function auditAnchor(ctx: CoreContext): Promise<AuditAnchor> {
  const head = await ctx.store.read((tx) => tx.lastAuditEvent());
  return head ? { seq: head.seq, hash: head.hash, at: head.at } : { seq: 0, hash: GENESIS_HASH, at: null };
}

/** True when `text` is a bare anchor hash (64 lowercase hex characters). */
export function isAnchorHash(text: string): boolean {
  return HASH.test(text);
}

/**
 * Reads an anchor file's text (`audit anchor --out`): JSON `{seq, hash, at}`.
 * `source` names it in errors.
 * @throws UsageError when it is not such a document.
 */
export function parseAnchor(text: string, source: string): Pick<AuditAnchor, 'seq' | 'hash'> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidAnchor(source);
  }
  const { seq, hash } = (value ?? {}) as { seq?: unknown; hash?: unknown };
  if (!Number.isSafeInteger(seq) || (seq as number) < 0 || typeof hash !== 'string' || !HASH.test(hash)) throw invalidAnchor(source);
  return { seq: seq as number, hash };
}

function invalidAnchor(source: string): UsageError {
  return new UsageError(
    `${source} is not an audit anchor: expected JSON {"seq", "hash", "at"} as an audit anchor holds it, or a 64-character hex hash`,
    undefined,
    'invalid_format',
  );
}

/**
 * Checks that the log still holds the anchored event: event `seq` with `hash`, or,
 * for a bare hash, some event with that hash. Read in the caller's unit of work.
 * @throws VerificationError (`audit_broken`) when it does not.
 */
export async function checkAnchor(tx: StoreReader, anchor: { seq?: number; hash: string }): Promise<number> {
  if (anchor.seq === undefined) {
    const seq = anchor.hash === GENESIS_HASH ? 0 : await tx.seqOfAuditHash(anchor.hash);
    if (seq === undefined) throw anchorMissing(`no event has the anchored hash ${anchor.hash}`);
    return seq;
  }
  if (anchor.seq === 0) {
    if (anchor.hash !== GENESIS_HASH) throw anchorMissing(`an anchor of event 0 must have a hash of 64 zeros`);
    return 0;
  }
  const event = await tx.auditEventAt(anchor.seq);
  if (!event) throw anchorMissing(`the log has no event ${anchor.seq} (it was truncated or rolled back)`);
  if (event.hash !== anchor.hash)
    throw anchorMissing(`event ${anchor.seq} has hash ${event.hash}, not the anchored ${anchor.hash} (the log was rewritten or rolled back)`);
  return anchor.seq;
}

function anchorMissing(problem: string): VerificationError {
  return new VerificationError(
    'audit_broken',
    `audit log does not match the anchor: ${problem}`,
    'restore the store from a backup taken after the anchor, and find out who changed it',
  );
}
