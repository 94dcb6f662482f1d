/** `store info`: what a store holds and how it is protected, never its key. */
import { GENESIS_HASH } from './audit/chain.js';
import type { CoreContext } from './context.js';
import type { StoreKey } from './records.js';
import type { StoreFacts } from './store-port.js';

/** A summary of the store, as `store info` shows it. */
export interface StoreInfo extends StoreFacts {
  /** The store file's path, or the PostgreSQL URL without its password. */
  path: string;
  key_mode: StoreKey['mode'];
  /** Counts per kind of record, by derived status at the clock's time. */
  records: Record<string, Record<string, number>>;
  audit: { events: number; head_hash: string };
}

/**
 * Reads the summary in one snapshot, from kept counts and indexes: its cost does not
 * grow with the number of records. Never throws for a readable store.
 */
export async function storeInfo(ctx: CoreContext): Promise<StoreInfo> {
  const now = ctx.clock.now().getTime();
  const { format, ...file } = await ctx.store.facts();
  return ctx.store.read(async (tx) => ({
    path: ctx.store.location,
    format,
    key_mode: ctx.store.keyMode,
    ...file,
    records: await tx.countRecords(now),
    audit: { events: await tx.auditLength(), head_hash: (await tx.lastAuditEvent())?.hash ?? GENESIS_HASH },
  }));
}
