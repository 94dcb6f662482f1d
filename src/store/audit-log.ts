/**
 * The audit_events table: append one chained event, and read them back in order.
 * `appendAuditEvent` must run inside the caller's write transaction so the event
 * and the change it records commit together.
 */
import { GENESIS_HASH, type StoredAuditEvent } from '../core/audit/chain.js';
import type { AuditQuery, ChainLink } from '../core/store-port.js';
import type { Store } from './store.js';

/**
 * Inserts `event`, built and hashed by the core on top of the last event, only when it
 * is the next link: its seq follows the head's and its prev_hash is the head's hash.
 * Call inside the write transaction that read the head.
 * @throws Error when it is not the next link (a caller bug: the chain is never forked).
 */
export function insertAuditEvent(store: Store, event: StoredAuditEvent): void {
  const inserted = store
    .prepare(
      `INSERT INTO audit_events (seq, at, action, organization_id, subject, outcome, reason, details, prev_hash, hash)
       SELECT @seq, @at, @action, @organization_id, @subject, @outcome, @reason, @details, @prev_hash, @hash
       WHERE (SELECT coalesce(max(seq), 0) + 1 FROM audit_events) = @seq
         AND coalesce((SELECT hash FROM audit_events WHERE seq = @seq - 1), @genesis) = @prev_hash`,
    )
    .run({ ...event, genesis: GENESIS_HASH }).changes;
  if (inserted !== 1) throw new Error(`audit event ${event.seq} is not the next link of the chain`);
}

/** Events in chain order (or newest first), filtered, as stored. */
export function listAuditEvents(store: Store, query: AuditQuery = {}): StoredAuditEvent[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.sinceAt !== undefined) {
    where.push('at >= @sinceAt');
    params.sinceAt = query.sinceAt;
  }
  if (query.action !== undefined) {
    where.push('(action = @action OR action LIKE @actionPrefix)');
    params.action = query.action;
    params.actionPrefix = `${query.action}.%`;
  }
  if (query.afterSeq !== undefined) {
    where.push('seq > @afterSeq');
    params.afterSeq = query.afterSeq;
  }
  if (query.beforeSeq !== undefined) {
    where.push('seq < @beforeSeq');
    params.beforeSeq = query.beforeSeq;
  }
  const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${query.order === 'desc' ? ' DESC' : ''}${query.limit ? ' LIMIT @limit' : ''}`;
  if (query.limit) params.limit = query.limit;
  return store.prepare(sql).all(params) as StoredAuditEvent[];
}

/** The seq of the first event at or after `at` (ISO 8601), or undefined. */
export function firstAuditSeqSince(store: Store, at: string): number | undefined {
  return (store.prepare('SELECT min(seq) FROM audit_events WHERE at >= ?').pluck().get(at) as number | null) ?? undefined;
}

/** The last event as stored, or undefined while the log is empty. */
export function lastStoredEvent(store: Store): StoredAuditEvent | undefined {
  return store.prepare('SELECT * FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)').get() as StoredAuditEvent | undefined;
}

/** Event `seq` as stored, or undefined. */
export function storedEventAt(store: Store, seq: number): StoredAuditEvent | undefined {
  return store.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as StoredAuditEvent | undefined;
}

/** The lowest seq of an event with this hash, or undefined. Scans the table (hashes are not indexed). */
export function seqOfHash(store: Store, hash: string): number | undefined {
  return (store.prepare('SELECT min(seq) FROM audit_events WHERE hash = ?').pluck().get(hash) as number | null) ?? undefined;
}

/**
 * The first successful event about `subject` with one of `actions`, through the
 * subject index: how a consume checks that the log has not seen the code spent.
 */
export function firstSuccessAbout(store: Store, subject: string, actions: readonly string[]): { seq: number; action: string } | undefined {
  return store
    .prepare(
      `SELECT seq, action FROM audit_events WHERE subject = ? AND action IN (${actions.map(() => '?').join(', ')}) AND outcome = 'success' ORDER BY seq LIMIT 1`,
    )
    .get(subject, ...actions) as { seq: number; action: string } | undefined;
}

/** The first event whose hash covers its stored bytes (schema version 5); earlier ones may follow the old rule. */
export function storedBytesHashedFrom(store: Store): number {
  const value = store.prepare("SELECT value FROM meta WHERE key = 'audit_stored_bytes_from'").pluck().get() as Buffer | undefined;
  return value === undefined ? 1 : Number(value.toString('utf8'));
}

/**
 * A batch of up to `limit` events from `fromSeq` on, as the verifier needs them:
 * `[hash, prev_hash followed by the event's JSON]`, the text null when the details are
 * not valid JSON. SQLite builds the text (json_quote), which is about three times
 * cheaper than building it in JavaScript, and two columns cross into JavaScript
 * cheaper than four (a tenth of the whole check); an event whose text differs from
 * `eventJson`'s (no event vericode writes) fails the fast check and is checked again
 * from `storedEventAt`.
 */
export function chainBatch(store: Store, fromSeq: number, limit: number): ChainLink[] {
  return store
    .prepare(
      `SELECT hash, iif(json_valid(details), prev_hash || '{"action":' || json_quote(action) || ',"at":' || json_quote(at) || ',"details":' || details
         || ',"organization_id":' || json_quote(organization_id) || ',"outcome":' || json_quote(outcome) || ',"reason":' || json_quote(reason)
         || ',"seq":' || seq || ',"subject":' || json_quote(subject) || '}', NULL)
       FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`,
    )
    .raw()
    .all(fromSeq, limit) as ChainLink[];
}
