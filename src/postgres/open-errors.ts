/** The errors of opening and using a PostgreSQL store, worded as the SQLite store's are. */
import { StoreError } from '../core/errors.js';
import type { StoreKey } from '../core/records.js';

/** Where the key came from, for "wrong passphrase or key for S (tried …)". */
function keySource(key: StoreKey): string {
  if (key.mode === 'key-file') return key.keyFile === undefined ? 'a raw key' : `the key file ${key.keyFile}`;
  return key.source ?? 'a passphrase';
}

export function noStore(location: string): StoreError {
  return new StoreError('store_locked', `no store at ${location}`, { kind: 'create_store', path: location });
}

export function wrongKey(location: string, key: StoreKey): StoreError {
  return new StoreError('store_locked', `wrong passphrase or key for ${location} (tried ${keySource(key)})`, { kind: 'check_store_key' });
}

/** Another process rekeyed the store after this one opened it. */
export function keyChanged(location: string): StoreError {
  return new StoreError('store_locked', `the key of store ${location} changed while this command ran (store rekey)`, {
    text: 'run the command again with the new key',
    next: { kind: 'check_store_key' },
  });
}

export function notAStore(location: string): StoreError {
  return new StoreError(
    'store_corrupt',
    `database ${location} holds other tables and no vericode store`,
    'create an empty database for vericode (createdb), and name it in the URL',
  );
}

export function damaged(location: string, problem: string): StoreError {
  return new StoreError('store_corrupt', `store ${location} is damaged: ${problem}`, { kind: 'restore_from_backup' });
}

export function readOnlyStore(location: string): StoreError {
  return new StoreError(
    'store_locked',
    `store ${location} is read-only: this command changes it`,
    'reading commands (list, get, store info, audit verify/list/export, store backup) work on a read-only store; to change it, connect as a role that may write its tables, to a server that is not a standby',
  );
}

export function needsUpgrade(location: string): StoreError {
  return new StoreError(
    'store_locked',
    `store ${location} is read-only and its schema needs an upgrade, which writes to it`,
    'open it once with this version as a role that may change its tables',
  );
}

/** The role may not create tables in the database. */
export function cannotCreate(location: string, cause: unknown): StoreError {
  return new StoreError(
    'store_locked',
    `cannot create a store in ${location}: ${(cause as Error).message}`,
    "connect as the database's owner, or grant the role CREATE on its schema",
    { cause },
  );
}
