/** `store info`: what a store holds and how it is protected, never its key. */
import { RECORD_KINDS } from '../store/record-kinds.js';
import { auditHeadHash, recordCounts, STORE_FORMAT, storeFileStats } from '../store/store-stats.js';
import type { StoreKey } from '../store/store.js';
import type { CoreContext } from './context.js';

/** A summary of the store, as `store info` shows it. */
export interface StoreInfo {
  path: string;
  /** Always `sqlcipher-4`: SQLCipher v4 page format, through SQLite3 Multiple Ciphers. */
  format: string;
  key_mode: StoreKey['mode'];
  schema_version: number;
  page_size: number;
  size_bytes: number;
  wal_bytes: number;
  /** Bytes of free pages inside the file (see `store purge`). */
  free_bytes: number;
  /** `incremental` when a purge gives freed space back to the file system. */
  auto_vacuum: 'none' | 'full' | 'incremental';
  organizations: number;
  /** Counts per kind of record, by derived status at the clock's time. */
  records: Record<string, Record<string, number>>;
  audit: { events: number; head_hash: string };
}

/**
 * Reads the summary in one snapshot, from kept counts and indexes: its cost does not
 * grow with the number of records. Never throws for a readable store.
 */
export function storeInfo(ctx: CoreContext): StoreInfo {
  const now = ctx.clock.now().getTime();
  return ctx.store.read(() => {
    const records: StoreInfo['records'] = {};
    for (const kind of RECORD_KINDS) records[kind.name] = kind.countByStatus(ctx.store, now);
    return {
      path: ctx.store.path,
      format: STORE_FORMAT,
      key_mode: ctx.store.keyMode,
      ...storeFileStats(ctx.store),
      records,
      audit: { events: recordCounts(ctx.store.db, 'audit_events').all ?? 0, head_hash: auditHeadHash(ctx.store.db) },
    };
  });
}
