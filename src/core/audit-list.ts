/**
 * `audit list`: the log a page at a time, newest first unless asked otherwise, as
 * `aws cloudtrail lookup-events` and `az monitor activity-log list` show theirs.
 */
import { parseStoredEvent, type AuditEvent } from './audit/chain.js';
import type { CoreContext } from './context.js';
import { decodePageToken, pageSize, toPage, type ListOrder, type Page } from './pagination.js';
import { parseTimestamp } from './time.js';

/** Options of `listAuditPage`. */
export interface ListAuditPageOptions {
  /** Only events at or after this ISO 8601 time. */
  since?: string;
  /** Only this action or action family (`verification_code` matches `verification_code.create`). */
  action?: string;
  /** At most this many events (1 to 1000; default 50). */
  limit?: number;
  /** The `next_page` of the previous page. */
  page?: string;
  /** `desc` (default): newest first; `asc`: oldest first, the chain's own order. */
  order?: ListOrder;
}

/** The page size when none is given. */
export const DEFAULT_AUDIT_PAGE = 50;

/**
 * One page of audit events.
 * @throws UsageError for a malformed `since`, `limit` or `page`, or a page token of the other order.
 */
export async function listAuditPage(ctx: CoreContext, options: ListAuditPageOptions = {}): Promise<Page<AuditEvent>> {
  const order = options.order ?? 'desc';
  const limit = pageSize(options.limit, DEFAULT_AUDIT_PAGE);
  const sinceAt = options.since === undefined ? undefined : new Date(parseTimestamp(options.since)).toISOString();
  const from = decodePageToken(options.page, order);
  const rows = await ctx.store.read((tx) =>
    tx.listAuditEvents({
      sinceAt,
      action: options.action,
      order,
      limit: limit + 1,
      ...(order === 'desc' ? { beforeSeq: from } : { afterSeq: from }),
    }),
  );
  return toPage(rows, limit, parseStoredEvent, order);
}
