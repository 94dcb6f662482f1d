/**
 * The audit_events table: append one chained event, and read them back in order.
 * `appendAuditEvent` must run inside the caller's write transaction so the event
 * and the change it records commit together.
 */
import { chainHash, GENESIS_HASH, type AuditEvent, type AuditEventBody } from '../core/audit/chain.js';
import type { Store } from './store.js';

/** What a caller records; the log assigns `seq` and the hashes. */
export type AuditEventInput = Omit<AuditEventBody, 'seq' | 'details'> & { details?: Record<string, unknown> };

/** An event as SQLite returns it: `details` still JSON text. */
type AuditRow = Omit<AuditEvent, 'details'> & { details: string };

/** Appends `input` after the current head. Call only inside `store.write`. */
export function appendAuditEvent(store: Store, input: AuditEventInput): AuditEvent {
  const head = store.db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const body: AuditEventBody = {
    seq: (head?.seq ?? 0) + 1,
    at: input.at,
    action: input.action,
    organization_id: input.organization_id,
    subject: input.subject,
    outcome: input.outcome,
    reason: input.reason,
    details: input.details ?? {},
  };
  const prevHash = head?.hash ?? GENESIS_HASH;
  const event: AuditEvent = { ...body, prev_hash: prevHash, hash: chainHash(prevHash, body) };
  store.db
    .prepare(
      `INSERT INTO audit_events (seq, at, action, organization_id, subject, outcome, reason, details, prev_hash, hash)
       VALUES (@seq, @at, @action, @organization_id, @subject, @outcome, @reason, @details, @prev_hash, @hash)`,
    )
    .run({ ...event, details: JSON.stringify(event.details) });
  return event;
}

/** Filters for `listAuditEvents`; all optional. */
export interface AuditQuery {
  sinceAt?: string;
  action?: string;
  afterSeq?: number;
  beforeSeq?: number;
  /** Chain order (`asc`, the default) or newest first (`desc`). */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** Events in chain order (or newest first), filtered. */
export function listAuditEvents(store: Store, query: AuditQuery = {}): AuditEvent[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.sinceAt !== undefined) { where.push('at >= @sinceAt'); params.sinceAt = query.sinceAt; }
  if (query.action !== undefined) { where.push('(action = @action OR action LIKE @actionPrefix)'); params.action = query.action; params.actionPrefix = `${query.action}.%`; }
  if (query.afterSeq !== undefined) { where.push('seq > @afterSeq'); params.afterSeq = query.afterSeq; }
  if (query.beforeSeq !== undefined) { where.push('seq < @beforeSeq'); params.beforeSeq = query.beforeSeq; }
  const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${query.order === 'desc' ? ' DESC' : ''}${query.limit ? ' LIMIT @limit' : ''}`;
  if (query.limit) params.limit = query.limit;
  return (store.db.prepare(sql).all(params) as AuditRow[]).map(toEvent);
}

/** Every event in chain order (from `sinceAt` on, if given), read lazily so long chains need little memory. */
export function* iterateAuditEvents(store: Store, sinceAt?: string): Generator<AuditEvent> {
  const rows = sinceAt === undefined
    ? store.db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate()
    : store.db.prepare('SELECT * FROM audit_events WHERE seq >= (SELECT coalesce(min(seq), 1e18) FROM audit_events WHERE at >= ?) ORDER BY seq').iterate(sinceAt);
  for (const row of rows as IterableIterator<AuditRow>) {
    yield toEvent(row);
  }
}

/** How many events the log holds, and the hash of the last. */
export function auditHead(store: Store): { length: number; head_hash: string } {
  const row = store.db.prepare('SELECT count(*) AS length, (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS head FROM audit_events').get() as { length: number; head: string | null };
  return { length: row.length, head_hash: row.head ?? GENESIS_HASH };
}

function toEvent(row: AuditRow): AuditEvent {
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
}
