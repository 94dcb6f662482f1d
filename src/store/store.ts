/**
 * The encrypted store: one SQLite file in SQLCipher v4 format, opened through
 * SQLite3 Multiple Ciphers. Key-file mode passes a raw 256-bit key (no KDF);
 * passphrase mode lets SQLCipher derive the key (PBKDF2-HMAC-SHA512, 256,000 rounds).
 *
 * Opening never writes before the key is proven, so a wrong key leaves the file
 * byte-for-byte unchanged. A new store is built under a temporary name and linked into
 * place only when complete, so a failed creation leaves nothing that blocks the next.
 * A store this process cannot write is opened read-only (see ./connection.ts).
 */
import { sqliteAddon, type Db, type Statement, type Transaction } from './sqlite.js';
import { closeSync, existsSync, linkSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../core/errors.js';
import { describeFsError } from './bounded-file.js';
import {
  canWrite,
  configure,
  connect,
  corrupt,
  keyBytes,
  needsImmutable,
  proveKey,
  readOnlyStore,
  unlock,
  unwritable,
  type Access,
  type StoreKey,
} from './connection.js';
import { ensurePrivateDirectory, fsyncDirectory } from './key-file.js';
import { migrate } from './migrations.js';
import { fsyncPath, removeIfPresent } from './snapshot.js';

export type { StoreKey } from './connection.js';

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

/** True when `a` and `b` unlock the same store (the same key bytes). */
export function sameKey(a: StoreKey, b: StoreKey): boolean {
  return keyBytes(a).equals(keyBytes(b));
}

/**
 * Opens `path` and unlocks it with `key`, without configuring or migrating it: for
 * maintenance work on a private copy of a store.
 * @throws StoreError as `Store.open` does for a wrong key or a damaged file.
 */
export function openUnlocked(path: string, key: StoreKey): Db {
  const db = connect(path, 'read-write');
  try {
    unlock(db, key);
    proveKey(db, path, key, true);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Options of `Store.open`. */
export interface OpenOptions {
  /** Create the store when nothing is at the path. */
  create?: boolean;
  /** Runs on a new store before it appears at its path (a default organization, say). */
  initialize?: (store: Store) => Promise<void>;
}

/**
 * Prepared statements kept per store: preparing costs more than running most of the
 * store's statements (a bulk load or a purge runs the same few thousands of times).
 * The SQL texts are a small fixed set, so the bound is only a guard.
 */
const MAX_CACHED_STATEMENTS = 256;

/** An open store. Every write goes through `write`, in one immediate transaction. */
export class Store {
  private readonly statements = new Map<string, Statement>();
  /**
   * One transaction function for every unit of work: better-sqlite3 builds a new one
   * (with its savepoint statements) for each `db.transaction` call.
   */
  private readonly transaction: Transaction<(work: () => unknown) => unknown>;

  private constructor(
    readonly db: Db,
    readonly path: string,
    readonly keyMode: StoreKey['mode'],
    /** True when this process cannot write the store: reads work, `write` refuses. */
    readonly readOnly: boolean,
  ) {
    this.transaction = db.transaction((work: () => unknown) => work());
  }

  /**
   * Opens an existing store, or with `create` creates it (0600, directory 0700) when
   * nothing is at the path: atomically, with `initialize` run on it first. Applies
   * pending migrations. A store this process cannot write opens read-only.
   * @throws StoreError `store_locked` when nothing is at the path (without `create`),
   * for a wrong key or an unwritable location, `store_corrupt` when the file is not a
   * vericode store.
   */
  static async open(path: string, key: StoreKey, options: OpenOptions = {}): Promise<Store> {
    // A binding that does not load must fail before any store file is made.
    sqliteAddon();
    if (!inspectStoreFile(path)) {
      if (!options.create) throw new StoreError('store_locked', `no store at ${path}`, { kind: 'create_store', path });
      await Store.create(path, key, options.initialize);
    }
    for (let attempt = 1; ; attempt += 1) {
      const store = Store.openOnce(path, key, attempt < MAX_OPEN_ATTEMPTS);
      if (store) return store;
    }
  }

  /**
   * One attempt at `open`. Returns undefined when `store rekey` replaced the file while
   * this process waited for its lock: the connection then holds the old, unlinked file,
   * and must reopen the path rather than write to an orphan (see `replaceStoreKey`).
   */
  private static openOnce(path: string, key: StoreKey, mayRetry: boolean, fresh = false): Store | undefined {
    const inode = inodeOf(path);
    let access: Access = canWrite(path) ? 'read-write' : 'read-only';
    let db = connectTo(path, access);
    // Checked after the first read, which waits for a rekey's lock: before anything
    // could create a -wal file for the old file under the shared name.
    const replaced = (): boolean => mayRetry && inodeOf(path) !== inode;
    try {
      try {
        unlock(db, key);
        proveKey(db, path, key, !fresh);
      } catch (error) {
        if (replaced()) return closed(db);
        if (access !== 'read-only' || !needsImmutable(error, path)) throw asStoreError(path, error);
        db.close();
        access = 'immutable';
        db = connectTo(path, access);
        unlock(db, key);
        proveKey(db, path, key, true);
      }
      if (replaced()) return closed(db);
      // Only a store without tables can choose this (an existing one needs a VACUUM,
      // see `store purge --compact`): purges then give freed pages back to the disk.
      if (fresh) db.pragma('auto_vacuum = INCREMENTAL');
      configure(db, path, access);
      migrateOrRefuse(db, path, access);
    } catch (error) {
      db.close();
      throw asStoreError(path, error);
    }
    const store = new Store(db, path, key.mode, access !== 'read-write');
    KEYS.set(store, key);
    return store;
  }

  /**
   * Builds a new store at a temporary name beside `path` (keyed, migrated, initialized,
   * closed so its WAL is folded in, fsynced), then links it into place and fsyncs the
   * directory. A failure at any step removes the temporary files: nothing appears at
   * `path`. When another process created the store meanwhile, that one is kept.
   */
  private static async create(path: string, key: StoreKey, initialize: OpenOptions['initialize']): Promise<void> {
    ensurePrivateDirectory(dirname(path));
    const staging = `${path}.${process.pid}.new`;
    const stagingFiles = [staging, `${staging}-wal`, `${staging}-shm`, `${staging}-journal`];
    stagingFiles.forEach(removeIfPresent);
    try {
      closeSync(openSync(staging, 'wx', 0o600));
      const store = Store.openOnce(staging, key, false, true)!;
      try {
        await initialize?.(store);
      } finally {
        store.close();
      }
      if (existsSync(`${staging}-wal`)) throw new StoreError('store_locked', `cannot create store ${path}: its write-ahead log was not folded in`, 'try again');
      fsyncPath(staging);
      try {
        linkSync(staging, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      fsyncDirectory(dirname(path));
    } catch (error) {
      throw creationFailed(path, error);
    } finally {
      stagingFiles.forEach(removeIfPresent);
    }
  }

  /**
   * Runs `work` in a `BEGIN IMMEDIATE` transaction: all of it commits, or none.
   * @throws StoreError (`store_locked`) on a read-only store.
   */
  write<T>(work: () => T): T {
    this.assertWritable();
    return this.transaction.immediate(work) as T;
  }

  /**
   * For work that changes connection settings before its first write transaction.
   * @throws StoreError (`store_locked`) on a read-only store.
   */
  assertWritable(): void {
    if (this.readOnly) throw readOnlyStore(this.path);
  }

  /** Runs `work` in one read transaction, so it sees a single snapshot. */
  read<T>(work: () => T): T {
    return this.transaction.deferred(work) as T;
  }

  /**
   * The statement for `sql`, prepared once per store. Not for `iterate()`: a statement
   * being iterated cannot run again until the iteration ends. A mode set on it
   * (`pluck()`, `raw()`) stays: each SQL text is used in one mode.
   */
  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function connectTo(path: string, access: Access): Db {
  try {
    return connect(path, access);
  } catch (error) {
    throw unwritable(path, error);
  }
}

/** A read-only store can be read only if it needs no migration, which would write. */
function migrateOrRefuse(db: Db, path: string, access: Access): void {
  try {
    migrate(db, path);
  } catch (error) {
    if (access !== 'read-write' && (error as { code?: string }).code?.startsWith('SQLITE_READONLY')) {
      throw new StoreError(
        'store_locked',
        `store ${path} is read-only and its schema needs an upgrade, which writes to it`,
        'open it once with this version where it is writable',
      );
    }
    throw error;
  }
}

/** SQLite's own errors while opening, as the store errors users act on. */
function asStoreError(path: string, error: unknown): unknown {
  if (!(error as { code?: string }).code?.startsWith('SQLITE_')) return error;
  if ((error as { code: string }).code.startsWith('SQLITE_CORRUPT')) return corrupt(path, error);
  return unwritable(path, error);
}

/**
 * A failure while building a new store, named after the store's path rather than the
 * temporary file. Errors of the caller's `initialize` pass through.
 */
function creationFailed(path: string, error: unknown): unknown {
  const cause = error instanceof StoreError && error.cause !== undefined ? error.cause : error;
  const code = (cause as { code?: string }).code ?? '';
  if (!code.startsWith('SQLITE_') && !/^E[A-Z]+$/.test(code)) return error;
  const reason = code.startsWith('SQLITE_') ? (cause as Error).message.toLowerCase() : describeFsError(cause);
  return new StoreError('store_locked', `cannot create store ${path}: ${reason}`, `check that ${dirname(path)} is writable and has free space`, { cause });
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
      throw new StoreError('store_corrupt', `store path ${path} is a directory, not a store file`, { kind: 'give_store_file' });
    }
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    if (error instanceof StoreError) throw error;
    throw new StoreError('store_locked', `cannot read store ${path}: ${describeFsError(error)}`);
  }
  if (size === 0) {
    throw new StoreError('store_corrupt', `${path} is an empty file, not a vericode store`, { kind: 'replace_empty_store', path });
  }
  if (size % PAGE_SIZE !== 0) {
    throw new StoreError('store_corrupt', `${path} is not a vericode store: its size (${size} bytes) is not a whole number of ${PAGE_SIZE}-byte pages`, {
      kind: 'restore_truncated_store',
    });
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
