/**
 * The tamper-evident audit chain: each event's hash is
 * `SHA-256(prev_hash || canonical JSON of the event)`, so changing, removing or
 * reordering any event breaks every hash after it.
 *
 * The hash covers the bytes that are stored, not a re-serialization of what they
 * parse to: `details` is written as canonical JSON and spliced into the event's JSON
 * as it is, so a row whose details text was changed (a duplicated key that SQLite's
 * `json_extract` reads differently, extra whitespace) no longer matches its hash.
 * Events written before schema version 5 stored details in insertion order and were
 * hashed over their canonical form; `checkLegacyDetails` accepts those only when the
 * stored text is exactly how `JSON.stringify` wrote it, so it has one reading.
 */
import { sha256Hex, type Sha256Hex } from '../digest.js';
import { VerificationError } from '../errors.js';

/** One audit event as stored, without its hashes. Never holds a code or key. */
export interface AuditEventBody {
  seq: number;
  at: string;
  action: string;
  organization_id: string | null;
  subject: string | null;
  outcome: 'success' | 'failure';
  reason: string | null;
  details: Record<string, unknown>;
}

/** An audit event with its place in the chain. */
export interface AuditEvent extends AuditEventBody {
  prev_hash: string;
  hash: string;
}

/** An event as the table holds it: `details` is the stored JSON text. */
export type StoredAuditEvent = Omit<AuditEvent, 'details'> & { details: string };

/** The `prev_hash` of the first event: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth and no insignificant whitespace, so
 * the same event always hashes the same wherever the chain is checked.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The canonical JSON of an event whose details are the text `details`, spliced in
 * unchanged (keys in sorted order: action, at, details, organization_id, outcome,
 * reason, seq, subject). Equal to `canonicalJson(body)` when `details` is canonical.
 */
export function eventJson(event: Omit<StoredAuditEvent, 'prev_hash' | 'hash'>): string {
  const q = JSON.stringify;
  return (
    `{"action":${q(event.action)},"at":${q(event.at)},"details":${event.details},"organization_id":${q(event.organization_id)},` +
    `"outcome":${q(event.outcome)},"reason":${q(event.reason)},"seq":${event.seq},"subject":${q(event.subject)}}`
  );
}

/** SHA-256 (hex) of `prevHash` followed by the event's JSON text (`sha`: how, for bulk checks). */
export function hashEventText(prevHash: string, json: string, sha: Sha256Hex = sha256Hex): string {
  return sha(prevHash, json);
}

/** The hash of `body` chained after `prevHash` (both hex), over its canonical JSON. */
export function chainHash(prevHash: string, body: AuditEventBody, sha: Sha256Hex = sha256Hex): string {
  return hashEventText(prevHash, canonicalJson(body), sha);
}

/** Where a chain first goes wrong. */
export interface ChainBreak {
  seq: number;
  problem: string;
}

/**
 * Checks a stored event that was hashed under the rule before schema version 5:
 * undefined when its details text is exactly `JSON.stringify` of what it parses to
 * and the canonical form of the event matches its hash.
 */
export function checkLegacyDetails(event: StoredAuditEvent, sha: Sha256Hex = sha256Hex): ChainBreak | undefined {
  let details: Record<string, unknown>;
  try {
    details = JSON.parse(event.details) as Record<string, unknown>;
  } catch {
    return { seq: event.seq, problem: 'its details are not valid JSON' };
  }
  if (JSON.stringify(details) !== event.details)
    return { seq: event.seq, problem: 'its details are not stored as they were written (a duplicated key, or text added)' };
  const { prev_hash: prevHash, hash, ...rest } = event;
  if (chainHash(prevHash, { ...rest, details }, sha) !== hash) return { seq: event.seq, problem: 'its contents do not match its hash' };
  return undefined;
}

/**
 * Checks one stored event against the hash of the one before it (`GENESIS_HASH` for
 * the first) and the sequence number it should have. `legacy` allows the rule of
 * events written before schema version 5. `sha` hashes (a whole log's check passes
 * node:crypto's, faster over many events than the pure JavaScript one of single writes).
 */
export function checkStoredLink(
  event: StoredAuditEvent,
  expectedPrevHash: string,
  expectedSeq: number,
  legacy: boolean,
  sha: Sha256Hex = sha256Hex,
): ChainBreak | undefined {
  if (event.seq !== expectedSeq) return { seq: event.seq, problem: `expected event ${expectedSeq} here: an event is missing or out of order` };
  if (event.prev_hash !== expectedPrevHash) return { seq: event.seq, problem: 'its prev_hash does not match the hash of the event before it' };
  // An event of the old rule whose details were canonical anyway hashes the same under
  // both rules, so the old rule's check alone decides for the events it may cover.
  if (legacy) return checkLegacyDetails(event, sha);
  if (!isJson(event.details)) return { seq: event.seq, problem: 'its details are not valid JSON' };
  if (hashEventText(expectedPrevHash, eventJson(event), sha) === event.hash) return undefined;
  return { seq: event.seq, problem: 'its contents do not match its hash' };
}

/** True when `text` parses as JSON (the verifier's check of stored details). */
export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The `audit_broken` error for a chain that goes wrong at `broken`. */
export function chainBroken(broken: ChainBreak): VerificationError {
  return new VerificationError('audit_broken', `audit log is broken at event ${broken.seq}: ${broken.problem}`, { kind: 'compare_with_export' });
}

/** What a use case records; the log assigns `seq` and the hashes. */
export type AuditEventInput = Omit<AuditEventBody, 'seq' | 'details'> & { details?: Record<string, unknown> };

/**
 * The event that follows `head` (undefined for an empty log): numbered, its details
 * stored as canonical JSON so the stored bytes are exactly what the hash covers, and hashed.
 */
export function nextEvent(head: Pick<StoredAuditEvent, 'seq' | 'hash'> | undefined, input: AuditEventInput): StoredAuditEvent {
  const stored: Omit<StoredAuditEvent, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at: input.at,
    action: input.action,
    organization_id: input.organization_id,
    subject: input.subject,
    outcome: input.outcome,
    reason: input.reason,
    details: canonicalJson(input.details ?? {}),
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  return { ...stored, hash: hashEventText(stored.prev_hash, eventJson(stored)) };
}

/**
 * An event as users see it, its details parsed.
 * @throws VerificationError (`audit_broken`) naming an event whose details are not JSON.
 */
export function parseStoredEvent(row: StoredAuditEvent): AuditEvent {
  try {
    return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
  } catch {
    throw chainBroken({ seq: row.seq, problem: 'its details are not valid JSON' });
  }
}
