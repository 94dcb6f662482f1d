/**
 * Changing the store's key so that an interruption at any moment (kill -9, power
 * loss) leaves a store that opens with the old key or with the new one.
 *
 * SQLite3 Multiple Ciphers refuses `PRAGMA rekey` in WAL mode ("Rekeying is not
 * supported in WAL journal mode"), and in rollback-journal mode an in-place rekey is not
 * crash-safe: killing processes at random points of an in-place `PRAGMA rekey` (SQLite3MC
 * 2.3.5, SQLite 3.53, a 20,000-row store, journal_mode=DELETE, synchronous=FULL) left 7
 * stores out of 30 that opened with neither key, page 1 already under the new key while
 * the hot journal waits for the old one. So the live file is never rekeyed in place:
 *
 * 1. Take the store for ourselves: leave WAL mode (`journal_mode=DELETE`, which
 *    checkpoints and deletes the -wal and -shm files, and which SQLite refuses while
 *    any other connection is open), then hold an EXCLUSIVE lock (`locking_mode =
 *    EXCLUSIVE`) so no process reads or writes until we are done. Openers blocked on
 *    that lock notice afterwards that the path names a new file and reopen it (see
 *    `Store.open`), so nothing is ever written to the replaced file.
 * 2. Copy the snapshot with `VACUUM INTO` to `<store>.rekey` (same key, 0600), and
 *    run `PRAGMA rekey` on that private copy, in rollback mode where SQLite3MC allows it.
 * 3. Open the copy with the new key, let the caller record its audit event there (so
 *    the event commits exactly when the new key does), check its integrity, close it
 *    (its WAL is checkpointed and removed), and fsync it.
 * 4. `rename` the copy over the store (atomic) and fsync the directory. Only then is
 *    the old file's lock released.
 *
 * Before step 4 the store file is untouched and opens with the old key; after it, the
 * file is a complete copy under the new key with no -wal, -shm or -journal beside it
 * that could belong to the old one. A crash leaves at most `<store>.rekey*` files,
 * which the next rekey removes.
 */
import { existsSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import { copySnapshotInto, fsyncPath, removeIfPresent } from './snapshot.js';
import { keyBytes, readOnlyStore } from './connection.js';
import type { RekeyStep } from '../core/store-port.js';
import { keyOf, openUnlocked, sameKey, Store, type StoreKey } from './store.js';

export type { RekeyStep } from '../core/store-port.js';

/** What the caller does during a rekey. */
export interface RekeyHooks {
  onStep?: (step: RekeyStep) => void;
  /** Runs on the re-encrypted copy before it replaces the store: record the audit event here. */
  beforeReplace: (copy: Store) => Promise<void>;
}

/**
 * Re-encrypts `store` under `newKey` (see the module comment for why this is crash-safe).
 * `store` is closed afterwards, whatever happens: open the path again with the key that
 * now applies.
 * @throws UsageError when `newKey` is the current key (the store stays open);
 * StoreError (`store_locked`) when another process has the store open;
 * (`store_corrupt`) when the copy fails its integrity check. In both cases the store
 * is unchanged and keeps its old key.
 */
export async function replaceStoreKey(store: Store, newKey: StoreKey, hooks: RekeyHooks): Promise<void> {
  if (store.readOnly) throw readOnlyStore(store.path);
  if (sameKey(newKey, keyOf(store))) {
    throw new UsageError('the new key is the key the store already has', { kind: 'choose_different_new_key' });
  }
  const staging = `${store.path}.rekey`;
  const stagingFiles = [staging, `${staging}-journal`, `${staging}-wal`, `${staging}-shm`];
  let replaced = false;
  try {
    hooks.onStep?.('locking');
    takeSoleLock(store);
    stagingFiles.forEach(removeIfPresent);
    hooks.onStep?.('copying');
    copySnapshotInto(store, staging);
    hooks.onStep?.('encrypting');
    const copy = openUnlocked(staging, keyOf(store));
    try {
      copy.rekey(keyBytes(newKey));
    } finally {
      copy.close();
    }
    hooks.onStep?.('verifying');
    await finishCopy(staging, newKey, hooks);
    hooks.onStep?.('replacing');
    fsyncPath(staging);
    renameSync(staging, store.path);
    replaced = true;
    fsyncPath(dirname(store.path));
  } catch (error) {
    // After the rename our connection holds the replaced file: switching it back to
    // WAL would create a -wal file under the name the new store now owns.
    if (!replaced) {
      stagingFiles.forEach(removeIfPresent);
      releaseSoleLock(store);
    }
    throw error;
  } finally {
    store.close();
  }
}

/** Records the caller's event in the copy and checks it, leaving no -wal file beside it. */
async function finishCopy(staging: string, newKey: StoreKey, hooks: RekeyHooks): Promise<void> {
  const copy = await Store.open(staging, newKey);
  try {
    await hooks.beforeReplace(copy);
    const check = copy.db.pragma('integrity_check', { simple: true });
    if (check !== 'ok')
      throw new StoreError('store_corrupt', `the re-encrypted copy failed its integrity check (${String(check)}): the store was left unchanged`);
  } finally {
    copy.close();
  }
  if (existsSync(`${staging}-wal`))
    throw new StoreError('store_locked', 'the re-encrypted copy was not checkpointed: the store was left unchanged', 'try again');
}

/** How long rekey waits for other processes (short-lived commands, mostly) to close the store. */
const SOLE_USE_WAIT_MS = 3000;
const SOLE_USE_RETRY_MS = 50;

/**
 * Leaves WAL mode and holds an EXCLUSIVE lock, retrying while other connections are
 * open, since SQLite refuses to leave WAL mode then without calling the busy handler.
 * @throws StoreError (`store_locked`) when the store is still in use after the wait.
 */
function takeSoleLock(store: Store): void {
  const deadline = Date.now() + SOLE_USE_WAIT_MS;
  for (;;) {
    if (tryTakeSoleLock(store)) return;
    releaseSoleLock(store);
    if (Date.now() >= deadline) {
      throw new StoreError('store_locked', `the store ${store.path} is in use by another process: rekey needs it to itself`, {
        kind: 'wait_for_other_processes',
      });
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SOLE_USE_RETRY_MS);
  }
}

function tryTakeSoleLock(store: Store): boolean {
  try {
    if (store.db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') return false;
    store.db.pragma('locking_mode = EXCLUSIVE');
    // A write transaction takes the EXCLUSIVE lock; in exclusive locking mode it is kept.
    store.db.exec('BEGIN EXCLUSIVE; COMMIT');
    // Another process may have switched back to WAL between our two statements.
    return store.db.pragma('journal_mode', { simple: true }) === 'delete';
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
    throw error;
  }
}

/** Puts the store back as other processes expect it: WAL mode, normal locking. */
function releaseSoleLock(store: Store): void {
  if (!store.db.open) return;
  try {
    store.db.pragma('locking_mode = NORMAL');
    store.db.pragma('journal_mode = WAL');
  } catch {
    // The next Store.open switches it back to WAL anyway.
  }
}
