/**
 * The encrypted store: one SQLite file in SQLCipher v4 format, opened through
 * SQLite3 Multiple Ciphers. Key-file mode passes a raw 256-bit key (no KDF);
 * passphrase mode lets SQLCipher derive the key (PBKDF2-HMAC-SHA512, 256,000 rounds).
 *
 * Opening never writes before the key is proven, so a wrong key leaves the file
 * byte-for-byte unchanged.
 */
import { Database, type Db } from './sqlite.js';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMMAND, StoreError, UsageError } from '../core/errors.js';
import { describeFsError, ensurePrivateDirectory } from './key-file.js';
import { migrate } from './migrations.js';

/** How the store is unlocked. */
export type StoreKey =
  | { mode: 'key-file'; key: Uint8Array; keyFile?: string }
  | { mode: 'passphrase'; passphrase: string };

/**
 * The compiled SQLite binding, passed to the driver directly: its default lookup
 * (the `bindings` package) probes a dozen paths on every start.
 */
const NATIVE_BINDING = ((): string | undefined => {
  const path = join(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
})();

/** SQLCipher v4 pages: a valid store is a whole number of them. */
const PAGE_SIZE = 4096;
const PLAINTEXT_SQLITE_HEADER = 'SQLite format 3\0';
/** A file replaced by `store rekey` more often than this while opening is not a race any more. */
const MAX_OPEN_ATTEMPTS = 5;

/** Each open store's key, kept out of the object so it never shows in a dump or log. */
const KEYS = new WeakMap<Store, StoreKey>();

/** The key `store` was opened with, for maintenance that must reopen a copy of it. */
export function keyOf(store: Store): StoreKey {
  const key = KEYS.get(store);
  if (!key) throw new Error('store was not opened by Store.open');
  return key;
}

/**
 * Opens `path` and unlocks it with `key`, without configuring or migrating it: for
 * maintenance work on a private copy of a store.
 * @throws StoreError as `Store.open` does for a wrong key or a damaged file.
 */
export function openUnlocked(path: string, key: StoreKey): Db {
  const db = connect(path);
  try {
    unlock(db, key);
    proveKey(db, path, true);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The value of `PRAGMA key` or `PRAGMA rekey` for `key`, quoted for SQL. */
export function keyPragmaValue(key: StoreKey): string {
  return key.mode === 'key-file'
    ? `"x'${Buffer.from(key.key).toString('hex')}'"`
    : `'${key.passphrase.replaceAll("'", "''")}'`;
}

/** An open store. Every write goes through `write`, in one immediate transaction. */
export class Store {
  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly keyMode: StoreKey['mode'],
  ) {}

  /**
   * Opens an existing store, or creates it (0600, directory 0700) when `create` is set
   * and the file does not exist. Applies pending migrations.
   * @throws StoreError `store_locked` for a wrong key or an unwritable location,
   * `store_corrupt` when the file is not a vericode store.
   */
  static open(path: string, key: StoreKey, options: { create?: boolean } = {}): Store {
    for (let attempt = 1; ; attempt += 1) {
      const store = Store.openOnce(path, key, options, attempt < MAX_OPEN_ATTEMPTS);
      if (store) return store;
    }
  }

  /**
   * One attempt at `open`. Returns undefined when `store rekey` replaced the file while
   * this process waited for its lock: the connection then holds the old, unlinked file,
   * and must reopen the path rather than write to an orphan (see `replaceStoreKey`).
   */
  private static openOnce(path: string, key: StoreKey, options: { create?: boolean }, mayRetry: boolean): Store | undefined {
    const exists = inspectStoreFile(path);
    const inode = exists ? inodeOf(path) : undefined;
    if (!exists && !options.create) {
      throw new UsageError(`no store at ${path}`, `create one with: ${COMMAND} init`);
    }
    if (!exists) createEmptyPrivateFile(path);
    let db: Db;
    try {
      db = connect(path);
    } catch (error) {
      throw unwritable(path, error);
    }
    // Checked after the first read, which waits for a rekey's lock: before anything
    // could create a -wal file for the old file under the shared name.
    const replaced = (): boolean => mayRetry && inode !== undefined && inodeOf(path) !== inode;
    try {
      try {
        unlock(db, key);
        proveKey(db, path, exists);
      } catch (error) {
        if (replaced()) return closed(db);
        throw error;
      }
      if (replaced()) return closed(db);
      configure(db, path);
      migrate(db, path);
    } catch (error) {
      db.close();
      throw error;
    }
    const store = new Store(db, path, key.mode);
    KEYS.set(store, key);
    return store;
  }

  /** Runs `work` in a `BEGIN IMMEDIATE` transaction: all of it commits, or none. */
  write<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Runs `work` in one read transaction, so it sees a single snapshot. */
  read<T>(work: () => T): T {
    return this.db.transaction(work).deferred();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A connection to an existing file, waiting up to 5 s for other writers' locks. */
function connect(path: string): Db {
  return new Database(path, { fileMustExist: true, timeout: 5000, nativeBinding: NATIVE_BINDING });
}

function closed(db: Db): undefined {
  db.close();
  return undefined;
}

/** The file's inode number, or undefined when it is gone. */
function inodeOf(path: string): bigint | undefined {
  try {
    return statSync(path, { bigint: true }).ino;
  } catch {
    return undefined;
  }
}

/** False when nothing is at `path`; throws when something is there that cannot be a store. */
function inspectStoreFile(path: string): boolean {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      throw new StoreError('store_corrupt', `store path ${path} is a directory, not a store file`, 'pass the store file itself with --store or VERICODE_STORE');
    }
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (error instanceof StoreError) throw error;
    throw new StoreError('store_locked', `cannot read store ${path}: ${describeFsError(error)}`);
  }
  if (size === 0 || size % PAGE_SIZE !== 0) {
    throw new StoreError('store_corrupt', `${path} is not a vericode store: its size (${size} bytes) is not a whole number of ${PAGE_SIZE}-byte pages`, `the file may be truncated: restore it from a backup (${COMMAND} store backup)`);
  }
  if (readHeader(path) === PLAINTEXT_SQLITE_HEADER) {
    throw new StoreError('store_corrupt', `${path} is an unencrypted SQLite database, not a vericode store`);
  }
  return true;
}

function readHeader(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function createEmptyPrivateFile(path: string): void {
  ensurePrivateDirectory(dirname(path));
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    throw unwritable(path, error);
  }
}

function unlock(db: Db, key: StoreKey): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key=${keyPragmaValue(key)}`);
}

/** Reads page 1: with a wrong key SQLCipher's page HMAC fails and nothing is written. */
function proveKey(db: Db, path: string, existed: boolean): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (existed && code === 'SQLITE_NOTADB') {
      throw new StoreError('store_locked', `wrong passphrase or key for ${path}`, 'check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE', { cause: error });
    }
    if (code === 'SQLITE_CORRUPT') throw corrupt(path, error);
    throw unwritable(path, error);
  }
}

function configure(db: Db, path: string): void {
  try {
    db.pragma('temp_store = MEMORY');
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') throw corrupt(path, error);
    throw unwritable(path, error);
  }
}

function corrupt(path: string, cause: unknown): StoreError {
  return new StoreError('store_corrupt', `store ${path} is damaged: ${(cause as Error).message.toLowerCase()}`, `restore it from a backup (${COMMAND} store backup)`, { cause });
}

function unwritable(path: string, cause: unknown): StoreError {
  const reason = (cause as { code?: string }).code?.startsWith('SQLITE_')
    ? (cause as Error).message.toLowerCase()
    : describeFsError(cause);
  return new StoreError('store_locked', `cannot open store ${path} for writing: ${reason}`, `check that you can write to ${dirname(path)} and the store file`, { cause });
}
