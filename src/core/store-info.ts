/** `store info`: what a store holds and how it is protected, never its key. */
import { auditHead } from '../store/audit-log.js';
import { RECORD_KINDS } from '../store/record-kinds.js';
import { STORE_FORMAT, storeFileStats } from '../store/store-stats.js';
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
  organizations: number;
  /** Counts per kind of record, by derived status at the clock's time. */
  records: Record<string, Record<string, number>>;
  audit: { events: number; head_hash: string };
}

/** Reads the summary in one snapshot. Never throws for a readable store. */
export function storeInfo(ctx: CoreContext): StoreInfo {
  const now = ctx.clock.now().getTime();
  return ctx.store.read(() => {
    const records: StoreInfo['records'] = {};
    for (const kind of RECORD_KINDS) records[kind.name] = kind.countByStatus(ctx.store, now);
    const head = auditHead(ctx.store);
    return {
      path: ctx.store.path,
      format: STORE_FORMAT,
      key_mode: ctx.store.keyMode,
      ...storeFileStats(ctx.store),
      records,
      audit: { events: head.length, head_hash: head.head_hash },
    };
  });
}
