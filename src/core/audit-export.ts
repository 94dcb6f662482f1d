/**
 * `audit export`: every event with its hashes, so the chain can be checked by other
 * tools. Each event's `hash` is SHA-256 over `prev_hash` (hex text) followed by the
 * canonical JSON (keys sorted, no whitespace) of the event without its two hashes.
 */
import { parseStoredEvent, type AuditEvent } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { parseTimestamp } from './time.js';

/** Events read per query. */
const EXPORT_BATCH = 1000;

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
export async function exportAudit(ctx: CoreContext, options: AuditExportOptions, emit: (event: AuditEvent) => void): Promise<AuditExportSummary> {
  const sinceAt = options.since === undefined ? undefined : new Date(parseTimestamp(options.since)).toISOString();
  return ctx.store.read(async (tx) => {
    let events = 0;
    let firstSeq: number | null = null;
    let lastSeq: number | null = null;
    // Everything from the first event at `since` on, in batches, so long chains need little memory.
    const start = sinceAt === undefined ? 1 : await tx.firstAuditSeqSince(sinceAt);
    for (let after = (start ?? Infinity) - 1; Number.isFinite(after); ) {
      const batch = await tx.listAuditEvents({ afterSeq: after, limit: EXPORT_BATCH });
      for (const row of batch) {
        const event = parseStoredEvent(row);
        emit(event);
        events += 1;
        firstSeq ??= event.seq;
        lastSeq = event.seq;
      }
      after = batch.length < EXPORT_BATCH ? Infinity : batch[batch.length - 1]!.seq;
    }
    return { events, first_seq: firstSeq, last_seq: lastSeq };
  });
}
