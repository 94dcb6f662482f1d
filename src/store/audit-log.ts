/**
 * The audit_events table: append one chained event, and read them back in order.
 * `appendAuditEvent` must run inside the caller's write transaction so the event
 * and the change it records commit together.
 */
import { canonicalJson, chainBroken, eventJson, GENESIS_HASH, hashEventText, type AuditEvent, type AuditEventBody, type StoredAuditEvent } from '../core/audit/chain.js';
import type { Store } from './store.js';

/** What a caller records; the log assigns `seq` and the hashes. */
export type AuditEventInput = Omit<AuditEventBody, 'seq' | 'details'> & { details?: Record<string, unknown> };

/** Appends `input` after the current head. Call only inside `store.write`. */
export function appendAuditEvent(store: Store, input: AuditEventInput): AuditEvent {
  const head = store.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as
    | { seq: number; hash: string }
    | undefined;
  const details = input.details ?? {};
  const stored: Omit<StoredAuditEvent, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at: input.at,
    action: input.action,
    organization_id: input.organization_id,
    subject: input.subject,
    outcome: input.outcome,
    reason: input.reason,
    // Canonical, so the stored bytes are exactly what the hash covers.
    details: canonicalJson(details),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashEventText(stored.prev_hash, eventJson(stored));
  store
    .prepare(
      `INSERT INTO audit_events (seq, at, action, organization_id, subject, outcome, reason, details, prev_hash, hash)
       VALUES (@seq, @at, @action, @organization_id, @subject, @outcome, @reason, @details, @prev_hash, @hash)`,
    )
    .run({ ...stored, hash });
  return { ...stored, details, hash };
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

/**
 * Events in chain order (or newest first), filtered.
 * @throws VerificationError (`audit_broken`) naming an event whose details are not JSON.
 */
export function listAuditEvents(store: Store, query: AuditQuery = {}): AuditEvent[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (query.sinceAt !== undefined) { where.push('at >= @sinceAt'); params.sinceAt = query.sinceAt; }
  if (query.action !== undefined) { where.push('(action = @action OR action LIKE @actionPrefix)'); params.action = query.action; params.actionPrefix = `${query.action}.%`; }
  if (query.afterSeq !== undefined) { where.push('seq > @afterSeq'); params.afterSeq = query.afterSeq; }
  if (query.beforeSeq !== undefined) { where.push('seq < @beforeSeq'); params.beforeSeq = query.beforeSeq; }
  const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq${query.order === 'desc' ? ' DESC' : ''}${query.limit ? ' LIMIT @limit' : ''}`;
  if (query.limit) params.limit = query.limit;
  return (store.prepare(sql).all(params) as StoredAuditEvent[]).map(toEvent);
}

/**
 * Every event in chain order (from `sinceAt` on, if given), read lazily so long chains need little memory.
 * @throws VerificationError (`audit_broken`) at an event whose details are not JSON.
 */
export function* iterateAuditEvents(store: Store, sinceAt?: string): Generator<AuditEvent> {
  const rows = sinceAt === undefined
    ? store.db.prepare('SELECT * FROM audit_events ORDER BY seq').iterate()
    : store.db.prepare('SELECT * FROM audit_events WHERE seq >= (SELECT coalesce(min(seq), 1e18) FROM audit_events WHERE at >= ?) ORDER BY seq').iterate(sinceAt);
  for (const row of rows as IterableIterator<StoredAuditEvent>) {
    yield toEvent(row);
  }
}

/** How many events the log holds, and the hash of the last. */
export function auditHead(store: Store): { length: number; head_hash: string } {
  const row = store.prepare('SELECT count(*) AS length, (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS head FROM audit_events').get() as { length: number; head: string | null };
  return { length: row.length, head_hash: row.head ?? GENESIS_HASH };
}

/** The last event as stored, or undefined while the log is empty. */
export function lastStoredEvent(store: Store): StoredAuditEvent | undefined {
  return store.prepare('SELECT * FROM audit_events ORDER BY seq DESC LIMIT 1').get() as StoredAuditEvent | undefined;
}

/** Event `seq` as stored, or undefined. */
export function storedEventAt(store: Store, seq: number): StoredAuditEvent | undefined {
  return store.prepare('SELECT * FROM audit_events WHERE seq = ?').get(seq) as StoredAuditEvent | undefined;
}

/** The lowest seq of an event with this hash, or undefined. Scans the table (hashes are not indexed). */
export function seqOfHash(store: Store, hash: string): number | undefined {
  return store.prepare('SELECT min(seq) FROM audit_events WHERE hash = ?').pluck().get(hash) as number | null ?? undefined;
}

/**
 * The first successful event about `subject` with one of `actions`, through the
 * subject index: how a consume checks that the log has not seen the code spent.
 */
export function firstSuccessAbout(store: Store, subject: string, actions: readonly string[]): { seq: number; action: string } | undefined {
  return store
    .prepare(`SELECT seq, action FROM audit_events WHERE subject = ? AND action IN (${actions.map(() => '?').join(', ')}) AND outcome = 'success' ORDER BY seq LIMIT 1`)
    .get(subject, ...actions) as { seq: number; action: string } | undefined;
}

/** The first event whose hash covers its stored bytes (schema version 5); earlier ones may follow the old rule. */
export function storedBytesHashedFrom(store: Store): number {
  const value = store.prepare("SELECT value FROM meta WHERE key = 'audit_stored_bytes_from'").pluck().get() as Buffer | undefined;
  return value === undefined ? 1 : Number(value.toString('utf8'));
}

/**
 * A batch of up to `limit` events from `fromSeq` on, as the verifier needs them:
 * `[seq, hash, prev_hash followed by the event's JSON, details are valid JSON (1 or 0)]`.
 * SQLite builds the text (json_quote), which is about three times cheaper than
 * building it in JavaScript; an event whose text differs from `eventJson`'s (no event
 * vericode writes) fails the fast check and is checked again from `storedEventAt`.
 */
export function chainBatch(store: Store, fromSeq: number, limit: number): Array<[number, string, string, number]> {
  return store
    .prepare(
      `SELECT seq, hash, prev_hash || '{"action":' || json_quote(action) || ',"at":' || json_quote(at) || ',"details":' || details
         || ',"organization_id":' || json_quote(organization_id) || ',"outcome":' || json_quote(outcome) || ',"reason":' || json_quote(reason)
         || ',"seq":' || seq || ',"subject":' || json_quote(subject) || '}', json_valid(details)
       FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?`,
    )
    .raw()
    .all(fromSeq, limit) as Array<[number, string, string, number]>;
}

function toEvent(row: StoredAuditEvent): AuditEvent {
  try {
    return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
  } catch {
    throw chainBroken({ seq: row.seq, problem: 'its details are not valid JSON' });
  }
}
