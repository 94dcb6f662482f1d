/**
 * `store purge`: deletes spent records (consumed, expired or invalidated codes) older
 * than a cut-off, in short batches so processes redeeming codes meanwhile never wait
 * long for the write lock. Audit events are never purged: the chain stays whole.
 */
import { PURGEABLE_KINDS } from '../store/record-kinds.js';
import { recordEvent } from './audit.js';
import type { CoreContext } from './context.js';
import { formatDuration } from './duration.js';
import { UsageError } from './errors.js';
import { rfc3339 } from './time.js';

/** Records deleted per transaction: small enough to hold the write lock only briefly. */
export const PURGE_BATCH_SIZE = 500;

/** The default `--older-than`: 30 days. */
export const DEFAULT_PURGE_AGE_MS = 30 * 86_400_000;

/** Options of `purgeStore`. */
export interface PurgeOptions {
  /** Only records spent at least this long ago (ms, at least 1). */
  olderThanMs?: number;
  /** Called after each batch with the running total of deleted records. */
  onProgress?: (removed: number) => void;
}

/** What a purge removed. */
export interface PurgeResult {
  older_than: string;
  before: string;
  removed: Record<string, number>;
  total: number;
}

/**
 * Deletes every record that stopped being usable at or before now minus `olderThanMs`,
 * never one still active. Each batch commits with its own `store.purge` audit event
 * giving its counts, so the log matches the data even if the purge is interrupted; a
 * purge that finds nothing still records one event.
 * @throws UsageError when `olderThanMs` is not a positive whole number.
 */
export function purgeStore(ctx: CoreContext, options: PurgeOptions = {}): PurgeResult {
  const olderThanMs = options.olderThanMs ?? DEFAULT_PURGE_AGE_MS;
  if (!Number.isSafeInteger(olderThanMs) || olderThanMs < 1) {
    throw new UsageError(`invalid --older-than: ${olderThanMs} ms is not a positive duration`);
  }
  const before = ctx.clock.now().getTime() - olderThanMs;
  const removed: Record<string, number> = Object.fromEntries(PURGEABLE_KINDS.map((kind) => [kind.name, 0]));
  let total = 0;
  for (let batch = 1; ; batch += 1) {
    const deleted = ctx.store.write(() => {
      const counts: Record<string, number> = {};
      let budget = PURGE_BATCH_SIZE;
      for (const kind of PURGEABLE_KINDS) {
        counts[kind.name] = budget > 0 ? kind.purge(ctx.store, before, budget) : 0;
        budget -= counts[kind.name]!;
      }
      const inBatch = PURGE_BATCH_SIZE - budget;
      if (inBatch > 0 || batch === 1) {
        recordEvent(ctx, {
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
    if (deleted > 0) options.onProgress?.(total);
    if (deleted < PURGE_BATCH_SIZE) break;
  }
  return { older_than: formatDuration(olderThanMs), before: rfc3339(before), removed, total };
}
