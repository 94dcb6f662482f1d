/**
 * Reading and checking the audit log. Writing happens inside each use case's own
 * transaction, through `recordEvent` / `recordFailure`.
 */
import { appendAuditEvent, auditHead, iterateAuditEvents, listAuditEvents, type AuditEventInput } from '../store/audit-log.js';
import { checkLink, GENESIS_HASH, type AuditEvent, type ChainBreak } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { COMMAND, UsageError, VerificationError } from './errors.js';
import { parseTimestamp, rfc3339 } from './time.js';

export type { AuditEvent } from './audit/chain.js';

/** What a use case records; the time comes from the context's clock. */
export type AuditRecord = Omit<AuditEventInput, 'at'>;

/**
 * Appends an event stamped with the clock, in whole seconds like every other
 * timestamp (events of older versions keep their milliseconds: the hash covers them).
 * Call only inside `store.write`.
 */
export function recordEvent(ctx: CoreContext, record: AuditRecord): AuditEvent {
  return appendAuditEvent(ctx.store, { ...record, at: rfc3339(ctx.clock.now().getTime()) });
}

/** Records a failed attempt in its own transaction (the caller then throws). */
export function recordFailure(ctx: CoreContext, record: Omit<AuditRecord, 'outcome'>): void {
  ctx.store.write(() => recordEvent(ctx, { ...record, outcome: 'failure' }));
}

/** Options of `listAudit`. */
export interface ListAuditOptions {
  since?: string;
  action?: string;
  limit?: number;
}

/**
 * Events in order, optionally from a time on (`since`, ISO 8601), of one action or
 * action family (`verification_code` matches `verification_code.create`), at most `limit`.
 * @throws UsageError for a malformed `since` or `limit`.
 */
export function listAudit(ctx: CoreContext, options: ListAuditOptions = {}): AuditEvent[] {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1)) {
    throw new UsageError(`invalid --limit ${options.limit}: it must be a whole number of at least 1`);
  }
  const sinceAt = options.since === undefined ? undefined : new Date(parseTimestamp(options.since, '--since')).toISOString();
  return ctx.store.read(() => listAuditEvents(ctx.store, { sinceAt, action: options.action, limit: options.limit }));
}

/** The result of a successful `verifyAuditChain`. */
export interface AuditVerification {
  events: number;
  head_hash: string;
  verified_at: string;
}

/**
 * Recomputes the whole chain. `onProgress` is called every 1,000 events with how
 * many were checked and how many there are.
 * @throws VerificationError (`audit_broken`) naming the first bad event.
 */
export function verifyAuditChain(ctx: CoreContext, onProgress?: (checked: number, total: number) => void): AuditVerification {
  return ctx.store.read(() => {
    const { length } = auditHead(ctx.store);
    let prevHash = GENESIS_HASH;
    let checked = 0;
    for (const event of iterateAuditEvents(ctx.store)) {
      const broken = checkLink(event, prevHash, checked + 1);
      if (broken) throw chainBroken(broken);
      prevHash = event.hash;
      checked += 1;
      if (onProgress && checked % 1000 === 0) onProgress(checked, length);
    }
    return { events: checked, head_hash: prevHash, verified_at: rfc3339(ctx.clock.now().getTime()) };
  });
}

function chainBroken(broken: ChainBreak): VerificationError {
  return new VerificationError(
    'audit_broken',
    `audit log is broken at event ${broken.seq}: ${broken.problem}`,
    `the store was changed outside vericode; compare with a backup or an exported copy (${COMMAND} audit export)`,
  );
}
