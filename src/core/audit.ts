/**
 * Reading and checking the audit log. Writing happens inside each use case's own
 * transaction, through `recordEvent` / `recordFailure`.
 */
import { appendAuditEvent, firstSuccessAbout, listAuditEvents, type AuditEventInput } from '../store/audit-log.js';
import type { AuditEvent } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { COMMAND, UsageError, VerificationError } from './errors.js';
import { parseTimestamp, rfc3339 } from './time.js';

export type { AuditEvent } from './audit/chain.js';
export { verifyAuditChain, type AuditVerification, type VerifyAuditOptions } from './audit/verify.js';
export { auditAnchor, isAnchorHash, parseAnchor, type AuditAnchor } from './audit/anchor.js';

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

/**
 * The seq of an earlier successful event about `subject` with one of `actions`, or
 * undefined. Consuming a code calls this in its own transaction: a code the table
 * shows unspent but the log shows spent was revived by copying old pages of the
 * store back (SQLCipher's page HMAC covers the page number but no version).
 */
export function earlierSpend(ctx: CoreContext, subject: string, actions: readonly string[]): number | undefined {
  return firstSuccessAbout(ctx.store, subject, actions)?.seq;
}

/** The `audit_broken` error for a code the log shows spent at event `seq` while the store showed it usable. */
export function revivedCodeError(what: string, seq: number): VerificationError {
  return new VerificationError(
    'audit_broken',
    `the store disagrees with its audit log: ${what} was already used (audit event ${seq}), but the store showed it unused; it was refused and is spent again`,
    `the store file may have been rolled back by copying old pages or an old copy into it: run ${COMMAND} audit verify, compare with an anchor kept elsewhere (${COMMAND} audit verify --anchor), and restore from a trusted backup`,
  );
}
