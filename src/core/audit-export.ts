/**
 * `audit export`: every event with its hashes, so the chain can be checked by other
 * tools. Each event's `hash` is SHA-256 over `prev_hash` (hex text) followed by the
 * canonical JSON (keys sorted, no whitespace) of the event without its two hashes.
 */
import { iterateAuditEvents } from '../store/audit-log.js';
import type { AuditEvent } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { parseTimestamp } from './time.js';

/** Options of `exportAudit`. */
export interface AuditExportOptions {
  /** Only events at or after this ISO 8601 time; the first one's `prev_hash` anchors the rest. */
  since?: string;
}

/** What was exported. */
export interface AuditExportSummary {
  events: number;
  first_seq: number | null;
  last_seq: number | null;
}

/**
 * Passes each event, in chain order and from one snapshot, to `emit`.
 * @throws UsageError for a malformed `since`.
 */
export function exportAudit(ctx: CoreContext, options: AuditExportOptions, emit: (event: AuditEvent) => void): AuditExportSummary {
  const sinceAt = options.since === undefined ? undefined : new Date(parseTimestamp(options.since, '--since')).toISOString();
  return ctx.store.read(() => {
    let events = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    for (const event of iterateAuditEvents(ctx.store, sinceAt)) {
      emit(event);
      events += 1;
      firstSeq ??= event.seq;
      lastSeq = event.seq;
    }
    return { events, first_seq: firstSeq, last_seq: lastSeq };
  });
}
