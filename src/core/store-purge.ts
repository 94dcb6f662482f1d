/**
 * `store purge`: deletes spent records (consumed, expired or invalidated codes) older
 * than a cut-off, in batches short enough that processes redeeming codes meanwhile
 * never wait long for the write lock, then gives the freed space back to the file
 * system. Audit events are never purged: the chain stays whole.
 */
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { formatDuration } from './duration.js';
import { UsageError } from './errors.js';
import { CODE_TABLES } from './store-port.js';
import { rfc3339 } from './time.js';

/**
 * Records deleted by the first transaction. Later ones are sized by `nextBatchSize`:
 * each deleted row also rewrites its entry in the code-HMAC index, which is in random
 * order, so a batch of any size rewrites most of that index's pages (encrypting each
 * into the WAL). Fewer, larger batches rewrite them fewer times.
 */
export const PURGE_BATCH_SIZE = 10_000;

/** The write lock a purge transaction aims to hold: well within the 5 s that other writers wait for it. */
export const PURGE_BATCH_TARGET_MS = 1000;

/**
 * The pause between batches: longer than a SQLite writer waiting for the lock sleeps
 * between its tries (100 ms at most), so each one waiting gets its turn. A purge that
 * took the lock again at once starved a redeemer past its 5 s busy timeout, however
 * short each batch was.
 */
export const PURGE_PAUSE_MS = 120;

const MIN_BATCH = 1000;
const MAX_BATCH = 200_000;

/**
 * The size of the next batch after one of `size` records took `elapsedMs`: scaled
 * toward `PURGE_BATCH_TARGET_MS`, by at most a factor of two either way, within
 * 1,000 to 200,000 records.
 */
export function nextBatchSize(size: number, elapsedMs: number): number {
  const factor = Math.min(2, Math.max(0.5, PURGE_BATCH_TARGET_MS / Math.max(elapsedMs, 1)));
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.round(size * factor)));
}

/** The default `--older-than`: 30 days. */
export const DEFAULT_PURGE_AGE_MS = 30 * 86_400_000;

/** Options of `purgeStore`. */
export interface PurgeOptions {
  /** Only records spent at least this long ago (ms, at least 1). */
  olderThanMs?: number;
  /** Records deleted per transaction; by default sized by how long each batch takes (see `nextBatchSize`). */
  batchSize?: number;
  /** Called after each batch with the running total of deleted records. */
  onProgress?: (removed: number) => void;
  /**
   * Afterwards rewrite the whole file without its free space, switching a store made
   * before schema 5 to incremental auto-vacuum (later purges then shrink it as they
   * go). Holds the write lock for the whole rewrite.
   */
  compact?: boolean;
}

/** What a purge removed. */
export interface PurgeResult {
  older_than: string;
  before: string;
  removed: Record<string, number>;
  total: number;
  /** How many bytes the file shrank by. */
  reclaimed_bytes: number;
  /** Free space left inside the file (none once reclaimed or compacted). */
  free_bytes: number;
}

/**
 * Deletes every record that stopped being usable at or before now minus `olderThanMs`,
 * never one still active. Each batch commits with its own `store.purge` audit event
 * giving its counts, so the log matches the data even if the purge is interrupted; a
 * purge that finds nothing still records one event. Then the freed pages are given
 * back (a store with incremental auto-vacuum), or with `compact` the file is rewritten
 * (a `store.compact` event).
 * @throws UsageError when `olderThanMs` is not a positive whole number.
 */
export async function purgeStore(ctx: CoreContext, options: PurgeOptions = {}): Promise<PurgeResult> {
  const olderThanMs = options.olderThanMs ?? DEFAULT_PURGE_AGE_MS;
  if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 1) {
    throw new UsageError(`purge age ${olderThanMs} ms is not a positive whole number of milliseconds`);
  }
  const before = ctx.clock.now().getTime() - olderThanMs;
  return ctx.store.withBulkWrites(async () => {
    const { removed, total } = await deleteSpent(ctx, before, olderThanMs, options.batchSize, options.onProgress);
    const reclaimed = await ctx.store.reclaimSpace({ compact: options.compact === true });
    if (options.compact) {
      await ctx.store.write((tx) =>
        recordEvent(ctx, tx, {
          action: 'store.compact',
          organization_id: null,
          subject: null,
          outcome: 'success',
          reason: null,
          details: { reclaimed_bytes: reclaimed },
        }),
      );
    }
    const { free_bytes: freeBytes } = await ctx.store.facts();
    return { older_than: formatDuration(olderThanMs), before: rfc3339(before), removed, total, reclaimed_bytes: reclaimed, free_bytes: freeBytes };
  });
}

/**
 * The batches: each deletes up to its size of records with its audit event, in one
 * transaction. A fixed `batchSize`, or sizes that follow how long each batch took.
 */
async function deleteSpent(
  ctx: CoreContext,
  before: number,
  olderThanMs: number,
  fixedBatchSize: number | undefined,
  onProgress?: (removed: number) => void,
): Promise<Pick<PurgeResult, 'removed' | 'total'>> {
  const removed: Record<string, number> = Object.fromEntries(CODE_TABLES.map((table) => [table, 0]));
  let total = 0;
  let batchSize = fixedBatchSize ?? PURGE_BATCH_SIZE;
  for (let batch = 1; ; batch += 1) {
    const started = ctx.clock.now().getTime();
    const deleted = await ctx.store.write(async (tx) => {
      const counts: Record<string, number> = {};
      let budget = batchSize;
      for (const table of CODE_TABLES) {
        counts[table] = budget > 0 ? await tx.purgeSpent(table, before, budget) : 0;
        budget -= counts[table]!;
      }
      const inBatch = batchSize - budget;
      if (inBatch > 0 || batch === 1) {
        await recordEvent(ctx, tx, {
          action: 'store.purge',
          organization_id: null,
          subject: null,
          outcome: 'success',
          reason: null,
          details: { batch, before: rfc3339(before), older_than: formatDuration(olderThanMs), removed: counts },
        });
      }
      for (const [name, count] of Object.entries(counts)) removed[name] = (removed[name] ?? 0) + count;
      return inBatch;
    });
    total += deleted;
    if (deleted > 0) onProgress?.(total);
    if (deleted < batchSize) break;
    if (fixedBatchSize === undefined) batchSize = nextBatchSize(batchSize, ctx.clock.now().getTime() - started);
    await new Promise((resolve) => setTimeout(resolve, PURGE_PAUSE_MS));
  }
  return { removed, total };
}
