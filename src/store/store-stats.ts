/** Facts about the store file itself, for `store info`. */
import { statSync } from 'node:fs';
import { GENESIS_HASH } from '../core/audit/chain.js';
import { freeBytes } from './free-space.js';
import type { Db } from './sqlite.js';
import type { Store } from './store.js';

/** The on-disk format every store is written in. */
export const STORE_FORMAT = 'sqlcipher-4';

/** Size and schema of the store file. */
export interface StoreFileStats {
  schema_version: number;
  page_size: number;
  size_bytes: number;
  wal_bytes: number;
  /** Bytes of free pages inside the file: space a purge freed, reused before the file grows. */
  free_bytes: number;
  /** Whether free pages are given back to the file system after a purge (`incremental`) or only by `store purge --compact` (`none`). */
  auto_vacuum: 'none' | 'full' | 'incremental';
  organizations: number;
}

const AUTO_VACUUM_MODES = ['none', 'full', 'incremental'] as const;

/** Reads the file's size (and its WAL's), free space, schema version and organization count. */
export function storeFileStats(store: Store): StoreFileStats {
  const pageSize = store.db.pragma('page_size', { simple: true }) as number;
  return {
    schema_version: store.db.pragma('user_version', { simple: true }) as number,
    page_size: pageSize,
    size_bytes: fileSize(store.path),
    wal_bytes: fileSize(`${store.path}-wal`),
    free_bytes: freeBytes(store),
    auto_vacuum: AUTO_VACUUM_MODES[store.db.pragma('auto_vacuum', { simple: true }) as number] ?? 'none',
    organizations: (store.prepare('SELECT count(*) AS n FROM organizations').get() as { n: number }).n,
  };
}

/**
 * The counts the triggers of schema version 5 keep for `kind` (a table name), by
 * state: exact, since each changes in the transaction that changes the rows.
 */
export function recordCounts(db: Db, kind: 'verification_codes' | 'one_time_codes' | 'audit_events'): Record<string, number> {
  const rows = db.prepare('SELECT state, n FROM record_counts WHERE kind = ?').all(kind) as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The hash of the last audit event, or the genesis hash of an empty log. */
export function auditHeadHash(db: Db): string {
  const row = db.prepare('SELECT hash FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)').get() as { hash: string } | undefined;
  return row?.hash ?? GENESIS_HASH;
}
