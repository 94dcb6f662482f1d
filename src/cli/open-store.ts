/**
 * Opens the store a run names, of whichever kind its location says: a PostgreSQL
 * URL (`postgres://` or `postgresql://`) or a store file's path. Each adapter is
 * loaded only when used: the SQLite binding is the largest thing a command loads, and
 * PostgreSQL's client is needed only by teams that share a server.
 */
import type { StoreKey } from '../core/records.js';
import type { StorePort } from '../core/store-port.js';

/** How to open: create the store when nothing is there, and what to put in a new one. */
export interface OpenStoreOptions {
  create?: boolean;
  initialize?: (store: StorePort) => Promise<void>;
}

/** True when `location` names a PostgreSQL server rather than a file. */
export function isStoreUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** `location` as messages may show it: a URL without its password. */
export function displayLocation(location: string): string {
  if (!isStoreUrl(location)) return location;
  try {
    const url = new URL(location);
    url.password = '';
    url.searchParams.delete('password');
    return url.toString();
  } catch {
    return location.replace(/:[^:@/]*@/, '@');
  }
}

/** Opens the store at `location` (see the module comment) with `key`. */
export async function openStoreAt(location: string, key: StoreKey, options: OpenStoreOptions): Promise<StorePort> {
  if (isStoreUrl(location)) {
    const { openPostgresStore } = await import('../postgres/index.js');
    return openPostgresStore(location, key, options);
  }
  const { openSqliteStore } = await import('../store/sqlite-port.js');
  return openSqliteStore(location, key, options);
}
