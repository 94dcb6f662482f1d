/**
 * `store migrate`: copies a whole store into an empty one of either kind (an SQLCipher
 * file or PostgreSQL), then proves the copy is the same store.
 *
 * The copy reads one snapshot of the source and writes the target in one unit of work,
 * so an interruption (a crash, a lost connection, a broken chain found on the way)
 * leaves the target as empty as it was, and running the command again is safe. The
 * source is only read: no event is written in it, so a read-only store can be moved.
 *
 * Audit events move verbatim (same seq, details text, prev_hash and hash), and the
 * chain is recomputed as they pass, so a broken log is never copied. After the copy
 * commits, the core's `verifyAuditChain` runs on both sides (chain and state held
 * against the log): the target must end at the head the copy carried, and the source
 * must still hold that head (others may have written to it meanwhile). Record counts
 * by status must agree. Only then is a `store.migrate` event appended to the target,
 * naming where it came from.
 */
import { chainBroken, checkStoredLink, GENESIS_HASH, canonicalJson, type StoredAuditEvent } from './audit/chain.js';
import { bulkSha256Hex } from './digest.js';
import { verifyAuditChain } from './audit/verify.js';
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { ConflictError, VerificationError } from './errors.js';
import type { Clock, RandomSource } from './ports.js';
import { STORE_TABLES, type StoreKind, type StorePort, type StoreReader, type StoreTable, type StoreWriter, type TableRow } from './store-port.js';
import { rfc3339 } from './time.js';

/** Rows per batch: a few MB of CA certificates at most, and few round trips to a server. */
const BATCH = 500;

/** What `migrateStore` is doing, for a progress line. */
export type MigrateProgress =
  | { step: 'copying'; table: StoreTable; rows: number }
  | { step: 'verifying'; side: 'source' | 'target'; checked: number; total: number };

/** Options of `migrateStore`. */
export interface MigrateOptions {
  clock: Clock;
  random: RandomSource;
  /** Called as each table starts and after each batch of it, then as each side's audit chain is checked. */
  onProgress?: (progress: MigrateProgress) => void;
}

/** One side of a migration, as checked after the copy. */
export interface MigratedStore {
  location: string;
  kind: StoreKind;
  audit: { events: number; head_hash: string };
}

/** What a migration copied and checked. */
export interface MigrateResult {
  source: MigratedStore;
  /** The target's log ends with the `store.migrate` event, one after the copied head. */
  target: MigratedStore;
  /** Rows copied per table. */
  tables: Record<StoreTable, number>;
  /** The log as copied: the head both sides were checked to hold. */
  audit: { events: number; head_hash: string };
  migrated_at: string;
}

/**
 * Copies every table of `source` into `target` (see the module comment), checks both
 * sides, and records a `store.migrate` event in the target. `target` must be empty: a
 * store created without a default organization (the CLI creates it that way).
 * @throws ConflictError (`already_registered`) when the target holds any record;
 * VerificationError (`audit_broken`) when the source's chain is broken (nothing is
 * copied) or either side fails its check after the copy; StoreError from either
 * adapter (`store_locked` for a read-only target or a lost connection).
 */
export async function migrateStore(source: StorePort, target: StorePort, options: MigrateOptions): Promise<MigrateResult> {
  const now = options.clock.now().getTime();
  const copied = await source.read((from) =>
    target.write(async (to) => {
      await refuseNonEmpty(to, target.location);
      return { ...(await copyTables(from, to, options.onProgress)), counts: await countsOf(from, now) };
    }),
  );
  const audit = { events: copied.head?.seq ?? 0, head_hash: copied.head?.hash ?? GENESIS_HASH };
  // Equal counts (the log's length among them) and the anchor below: the target ends
  // exactly at the copied head.
  const targetCounts = await target.read((tx) => countsOf(tx, now));
  if (targetCounts !== copied.counts) {
    throw new VerificationError(
      'audit_broken',
      `the copy in ${target.location} does not hold the same records as ${source.location}`,
      'the source is unchanged; the target holds an unchecked copy: do not use it (this is a bug in a store adapter: please report it)',
    );
  }
  const anchor = copied.head && { seq: copied.head.seq, hash: copied.head.hash };
  const check = (store: StorePort, side: 'source' | 'target') => {
    options.onProgress?.({ step: 'verifying', side, checked: 0, total: audit.events });
    return verifyAuditChain(context(store, options), {
      anchor,
      onProgress: (checked, total) => options.onProgress?.({ step: 'verifying', side, checked, total }),
    });
  };
  const sourceCheck = await check(source, 'source');
  await check(target, 'target');
  const event = await target.write((tx) =>
    recordEvent(context(target, options), tx, {
      action: 'store.migrate',
      organization_id: null,
      subject: null,
      outcome: 'success',
      reason: null,
      details: { from: source.location, from_kind: source.kind, audit_events: audit.events, audit_head_hash: audit.head_hash },
    }),
  );
  return {
    source: { location: source.location, kind: source.kind, audit: { events: sourceCheck.events, head_hash: sourceCheck.head_hash } },
    target: { location: target.location, kind: target.kind, audit: { events: event.seq, head_hash: event.hash } },
    tables: copied.tables,
    audit,
    migrated_at: rfc3339(now),
  };
}

/** Refuses a target that holds anything a store's creation does not put there. */
async function refuseNonEmpty(to: StoreReader, location: string): Promise<void> {
  const held: string[] = [];
  for (const table of STORE_TABLES) {
    if (table === 'meta') continue;
    for await (const batch of to.exportRows(table, 1)) {
      if (batch.length > 0) held.push(table);
      break;
    }
  }
  if ((await to.hmacSecret()) !== undefined || (await to.defaultOrganizationId()) !== undefined) held.unshift('settings');
  if (held.length > 0) {
    throw new ConflictError(
      'already_registered',
      `the target ${location} is not empty: it holds ${held.map((t) => t.replaceAll('_', ' ')).join(', ')}`,
      'migrate into a new store file, or an empty PostgreSQL database',
    );
  }
}

/** Copies every table in order, checking the audit chain as its events pass. */
async function copyTables(
  from: StoreReader,
  to: StoreWriter,
  onProgress: MigrateOptions['onProgress'],
): Promise<{ tables: Record<StoreTable, number>; head: StoredAuditEvent | undefined }> {
  const tables = Object.fromEntries(STORE_TABLES.map((t) => [t, 0])) as Record<StoreTable, number>;
  const chain = new ChainCheck(await from.auditStoredBytesFrom());
  for (const table of STORE_TABLES) {
    onProgress?.({ step: 'copying', table, rows: 0 });
    for await (const batch of from.exportRows(table, BATCH)) {
      if (table === 'audit_events') batch.forEach((row) => chain.add(row));
      await to.importRows(table, batch);
      tables[table] += batch.length;
      onProgress?.({ step: 'copying', table, rows: tables[table] });
    }
  }
  return { tables, head: chain.head };
}

/** Recomputes the chain over events in seq order, as `audit verify` does event by event. */
class ChainCheck {
  head: StoredAuditEvent | undefined;

  constructor(private readonly legacyBefore: number) {}

  add(row: TableRow): void {
    const event = auditEventOf(row);
    const expectedSeq = (this.head?.seq ?? 0) + 1;
    const broken = checkStoredLink(event, this.head?.hash ?? GENESIS_HASH, expectedSeq, event.seq < this.legacyBefore, bulkSha256Hex);
    if (broken) throw chainBroken(broken);
    this.head = event;
  }
}

/** The event an `audit_events` row holds, as the chain check reads it. */
function auditEventOf(row: TableRow): StoredAuditEvent {
  const text = (column: string): string => String(row[column]);
  const nullable = (column: string): string | null => (row[column] === null ? null : text(column));
  return {
    seq: Number(row.seq),
    at: text('at'),
    action: text('action'),
    organization_id: nullable('organization_id'),
    subject: nullable('subject'),
    outcome: text('outcome') as StoredAuditEvent['outcome'],
    reason: nullable('reason'),
    details: text('details'),
    prev_hash: text('prev_hash'),
    hash: text('hash'),
  };
}

/** The counts of every kind of record by status at `now`, with the log's length and the organizations, as one comparable text. */
async function countsOf(tx: StoreReader, now: number): Promise<string> {
  return canonicalJson({ records: await tx.countRecords(now), audit: await tx.auditLength(), organizations: (await tx.listOrganizations()).length });
}

function context(store: StorePort, options: MigrateOptions): CoreContext {
  return { store, clock: options.clock, random: options.random };
}
