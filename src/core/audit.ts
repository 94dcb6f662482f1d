/**
 * Reading and checking the audit log. Writing happens inside each use case's own
 * transaction, through `recordEvent` / `recordFailure`.
 */
import { nextEvent, parseStoredEvent, type AuditEvent, type AuditEventInput } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { UsageError, VerificationError } from './errors.js';
import type { StoreReader, StoreWriter } from './store-port.js';
import { parseTimestamp, rfc3339 } from './time.js';

export type { AuditEvent } from './audit/chain.js';
export { NoSuchAuditEventError, verifyAuditChain, type AuditVerification, type VerifyAuditOptions } from './audit/verify.js';
export { auditAnchor, isAnchorHash, parseAnchor, type AuditAnchor } from './audit/anchor.js';

/** What a use case records; the time comes from the context's clock. */
export type AuditRecord = Omit<AuditEventInput, 'at'>;

/**
 * Appends an event to the log inside the unit of work `tx`, stamped with the clock in
 * whole seconds like every other timestamp (events of older versions keep their
 * milliseconds: the hash covers them). The event is chained on the head read in the
 * same unit, whose lock keeps other writers out until it commits.
 */
export async function recordEvent(ctx: CoreContext, tx: StoreWriter, record: AuditRecord): Promise<AuditEvent> {
  const event = nextEvent(await tx.lastAuditEvent(), { ...record, at: rfc3339(ctx.clock.now().getTime()) });
  await tx.appendAuditEvent(event);
  return parseStoredEvent(event);
}

/** Records a failed attempt in its own unit of work (the caller then throws). */
export async function recordFailure(ctx: CoreContext, record: Omit<AuditRecord, 'outcome'>): Promise<void> {
  await ctx.store.write((tx) => recordEvent(ctx, tx, { ...record, outcome: 'failure' }));
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
export async function listAudit(ctx: CoreContext, options: ListAuditOptions = {}): Promise<AuditEvent[]> {
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1)) {
    throw new UsageError(`limit ${options.limit} is not a whole number of at least 1`);
  }
  const sinceAt = options.since === undefined ? undefined : new Date(parseTimestamp(options.since)).toISOString();
  const rows = await ctx.store.read((tx) => tx.listAuditEvents({ sinceAt, action: options.action, limit: options.limit }));
  return rows.map(parseStoredEvent);
}

/**
 * The seq of an earlier successful event about `subject` with one of `actions`, or
 * undefined. Consuming a code calls this in its own transaction: a code the table
 * shows unspent but the log shows spent was revived by copying old pages of the
 * store back (SQLCipher's page HMAC covers the page number but no version).
 */
export async function earlierSpend(tx: StoreReader, subject: string, actions: readonly string[]): Promise<number | undefined> {
  return (await tx.firstSuccessAbout(subject, actions))?.seq;
}

/** The `audit_broken` error for a code the log shows spent at event `seq` while the store showed it usable. */
export function revivedCodeError(what: string, seq: number): VerificationError {
  return new VerificationError(
    'audit_broken',
    `the store disagrees with its audit log: ${what} was already used (audit event ${seq}), but the store showed it unused; it was refused and is spent again`,
    { kind: 'check_for_rollback' },
  );
}
