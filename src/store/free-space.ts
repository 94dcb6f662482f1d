/**
 * Giving the space of deleted records back to the file system. SQLite keeps freed
 * pages in the file for reuse; a store created with `auto_vacuum=INCREMENTAL` (every
 * store since schema 5) can move its last pages into those holes and truncate the file
 * a few pages at a time. An older store can switch only by rewriting the whole file
 * with `VACUUM`, which `store purge --compact` does.
 */
import type { Store } from './store.js';

/** Pages reclaimed per transaction: about 8 MB, so other writers never wait long. */
const PAGES_PER_STEP = 2048;

/** Whether `reclaimFreePages` can shrink this store without a rewrite. */
export function reclaimsIncrementally(store: Store): boolean {
  return store.db.pragma('auto_vacuum', { simple: true }) === 2;
}

/** The free pages inside the file, in bytes. */
export function freeBytes(store: Store): number {
  return (store.db.pragma('freelist_count', { simple: true }) as number) * (store.db.pragma('page_size', { simple: true }) as number);
}

/**
 * Truncates the file by its free pages, in short write transactions so that other
 * processes keep working; does nothing unless `reclaimsIncrementally`. Returns how
 * many bytes the file shrank by.
 */
export function reclaimFreePages(store: Store): number {
  if (!reclaimsIncrementally(store)) return 0;
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  const pages = (): number => store.db.pragma('page_count', { simple: true }) as number;
  const before = pages();
  for (;;) {
    const free = store.write(() => {
      // The pragma frees one page per step, each a result row better-sqlite3 does not
      // see: `run()` steps once, so this loop freed one page per transaction. `exec`
      // steps to the end.
      store.db.exec(`PRAGMA incremental_vacuum(${PAGES_PER_STEP})`);
      return store.db.pragma('freelist_count', { simple: true }) as number;
    });
    if (free === 0) break;
  }
  return (before - pages()) * pageSize;
}

/**
 * Rewrites the whole file without its free pages and switches it to incremental
 * auto-vacuum, so later purges shrink it as they go. It holds the write lock for the
 * whole rewrite (seconds for a large store): other writers wait up to their 5 s busy
 * timeout. A crash leaves the old file or the new one (the rewrite commits through
 * the WAL like any transaction). Returns how many bytes the file shrank by.
 */
export function compactStore(store: Store): number {
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  const pages = (): number => store.db.pragma('page_count', { simple: true }) as number;
  const before = pages();
  store.db.pragma('auto_vacuum = INCREMENTAL');
  store.db.exec('VACUUM');
  return (before - pages()) * pageSize;
}

/**
 * Runs `work`, a long series of write batches, with settings for bulk deletion on
 * this connection only, then checkpoints once:
 * - a 256 MB page cache instead of 16 MB: deleting thousands of codes touches pages
 *   all over the code-HMAC and id indexes (random order), which the small cache
 *   decrypted, re-encrypted and spilled again and again;
 * - no checkpoint after each batch, which copied those same pages into the file once
 *   per batch: the WAL is checkpointed once at the end instead;
 * - `synchronous=NORMAL`: commits skip the fsync of the WAL. A power loss may undo the
 *   last batches, each whole (its deletes with its audit event), never corrupt the
 *   store; the final checkpoint syncs everything.
 * Together they made purging 200,000 codes about 2.5 times faster.
 */
export async function withBulkWriteSettings<T>(store: Store, work: () => Promise<T>): Promise<T> {
  // Before the settings: restoring them ends with a checkpoint, which a read-only
  // store would refuse with an error that hides the clear one.
  store.assertWritable();
  const saved = ['cache_size', 'wal_autocheckpoint', 'synchronous'].map((name) => [name, store.db.pragma(name, { simple: true })] as const);
  store.db.pragma('cache_size = -262144');
  store.db.pragma('wal_autocheckpoint = 0');
  store.db.pragma('synchronous = NORMAL');
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) store.db.pragma(`${name} = ${String(value)}`);
    store.db.pragma('wal_checkpoint(PASSIVE)');
  }
}
