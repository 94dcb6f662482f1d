/**
 * The tamper-evident audit chain: each event's hash is
 * `SHA-256(prev_hash || canonical JSON of the event)`, so changing, removing or
 * reordering any event breaks every hash after it.
 */
import { createHash } from 'node:crypto';

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

/** The hash of `body` chained after `prevHash` (both hex). */
export function chainHash(prevHash: string, body: AuditEventBody): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalJson(body), 'utf8').digest('hex');
}

/** Where a chain first goes wrong, or undefined when it verifies. */
export interface ChainBreak {
  seq: number;
  problem: string;
}

/**
 * Checks one event against the hash of the one before it (`GENESIS_HASH` for the
 * first) and the sequence number it should have.
 */
export function checkLink(event: AuditEvent, expectedPrevHash: string, expectedSeq: number): ChainBreak | undefined {
  if (event.seq !== expectedSeq) return { seq: event.seq, problem: `expected event ${expectedSeq} here: an event is missing or out of order` };
  if (event.prev_hash !== expectedPrevHash) return { seq: event.seq, problem: 'its prev_hash does not match the hash of the event before it' };
  const { prev_hash: _prev, hash, ...body } = event;
  if (chainHash(expectedPrevHash, body) !== hash) return { seq: event.seq, problem: 'its contents do not match its hash' };
  return undefined;
}
