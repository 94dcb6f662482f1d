/**
 * Connecting to a store file and unlocking it: the key handed to SQLite3 Multiple
 * Ciphers as bytes, and read-only stores.
 *
 * The key never passes through SQL text. `PRAGMA key='…'` used to splice the
 * passphrase into a statement: a NUL byte ended the statement early and SQLite's error
 * then quoted the passphrase back. `Database#key(Buffer)` calls `sqlite3_key_v2` with
 * the exact bytes instead. SQLCipher reads the same bytes the same way either way (the
 * UTF-8 text of a passphrase; `x'<64 hex>'` for a raw key), so stores made with the
 * pragma open unchanged.
 *
 * Read-only stores: a WAL database needs its `-shm` index, which SQLite creates beside
 * the file. On read-only media, or in a directory the user cannot write, it cannot,
 * and even a read-only connection fails. A store with no `-wal` file beside it holds
 * every committed write in the main file, and with no way to create a `-wal` no one
 * can be writing to it, so it is opened with SQLite's `immutable=1` URI parameter:
 * no locks, no `-shm`, nothing written.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError, type Hint } from '../core/errors.js';
import { describeFsError } from './bounded-file.js';
import type { StoreKey } from '../core/records.js';
import { openDatabase, type Db } from './sqlite.js';

export type { StoreKey } from '../core/records.js';

/**
 * The bytes SQLite3 Multiple Ciphers takes as the key: a passphrase's own bytes, or
 * SQLCipher's raw-key form `x'<hex>'`, which skips the KDF.
 */
export function keyBytes(key: StoreKey): Buffer {
  if (key.mode === 'key-file') return Buffer.from(`x'${Buffer.from(key.key).toString('hex')}'`, 'latin1');
  return typeof key.passphrase === 'string' ? Buffer.from(key.passphrase, 'utf8') : Buffer.from(key.passphrase);
}

/** Where the key came from, for "wrong passphrase or key for S (tried …)". */
export function keySource(key: StoreKey): string {
  if (key.mode === 'key-file') return key.keyFile === undefined ? 'a raw key' : `the key file ${key.keyFile}`;
  return key.source ?? 'a passphrase';
}

/** How a connection may touch the file. */
export type Access = 'read-write' | 'read-only' | 'immutable';

/** True when this process may write the store file and create files beside it. */
export function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A connection to an existing file, waiting up to 5 s for other writers' locks. */
export function connect(path: string, access: Access): Db {
  const absolute = resolve(path);
  const name = access === 'immutable' ? `file:${absolute.replace(/[%?#]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)}?immutable=1` : absolute;
  return openDatabase(name, { fileMustExist: true, readonly: access !== 'read-write', timeout: 5000 });
}

/** True for the failures a read-only connection meets when it cannot create `-shm`. */
export function needsImmutable(error: unknown, path: string): boolean {
  const code = (error as { code?: string }).code ?? '';
  return (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) && !existsSync(`${path}-wal`);
}

/** Sets SQLCipher v4 and the key. Nothing is read or written yet. */
export function unlock(db: Db, key: StoreKey): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.key(keyBytes(key));
}

/** Reads page 1: with a wrong key SQLCipher's page HMAC fails and nothing is written. */
export function proveKey(db: Db, path: string, key: StoreKey, existed: boolean): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (existed && code === 'SQLITE_NOTADB') {
      throw new StoreError('store_locked', `wrong passphrase or key for ${path} (tried ${keySource(key)})`, wrongKeyHint(key), { cause: error });
    }
    if (code === 'SQLITE_CORRUPT') throw corrupt(path, error);
    throw error;
  }
}

function wrongKeyHint(key: StoreKey): Hint {
  const bytes = key.mode === 'passphrase' ? keyBytes(key) : undefined;
  const legacyPassphrase = bytes !== undefined && !Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
  return { kind: 'check_store_key', ...(legacyPassphrase ? { legacyPassphrase } : {}) };
}

/** WAL mode and the settings every connection needs; a read-only one changes nothing. */
export function configure(db: Db, path: string, access: Access): void {
  try {
    db.pragma('temp_store = MEMORY');
    if (access === 'read-write' && db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') throw corrupt(path, error);
    throw unwritable(path, error);
  }
}

/** `store_corrupt`, with SQLite's reason. */
export function corrupt(path: string, cause: unknown): StoreError {
  return new StoreError('store_corrupt', `store ${path} is damaged: ${(cause as Error).message.toLowerCase()}`, { kind: 'restore_from_backup' }, { cause });
}

/** `store_locked`: the store or its directory cannot be written. */
export function unwritable(path: string, cause: unknown): StoreError {
  const reason = (cause as { code?: string }).code?.startsWith('SQLITE_') ? (cause as Error).message.toLowerCase() : describeFsError(cause);
  return new StoreError('store_locked', `cannot open store ${path} for writing: ${reason}`, `check that you can write to ${dirname(path)} and the store file`, {
    cause,
  });
}

/** What a writing command on a read-only store gets. */
export function readOnlyStore(path: string): StoreError {
  return new StoreError(
    'store_locked',
    `store ${path} is read-only: this command changes it`,
    `reading commands (list, get, store info, audit verify/list/export, store backup) work on a read-only store; to change it, make ${path} and ${dirname(path)} writable`,
  );
}
