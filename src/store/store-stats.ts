/** Facts about the store file itself, for `store info`. */
import { statSync } from 'node:fs';
import type { Store } from './store.js';

/** The on-disk format every store is written in. */
export const STORE_FORMAT = 'sqlcipher-4';

/** Size and schema of the store file. */
export interface StoreFileStats {
  schema_version: number;
  page_size: number;
  size_bytes: number;
  wal_bytes: number;
  organizations: number;
}

/** Reads the file's size (and its WAL's), schema version and organization count. */
export function storeFileStats(store: Store): StoreFileStats {
  return {
    schema_version: store.db.pragma('user_version', { simple: true }) as number,
    page_size: store.db.pragma('page_size', { simple: true }) as number,
    size_bytes: fileSize(store.path),
    wal_bytes: fileSize(`${store.path}-wal`),
    organizations: (store.db.prepare('SELECT count(*) AS n FROM organizations').get() as { n: number }).n,
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
