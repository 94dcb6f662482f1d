/**
 * Consistent encrypted copies of an open store, for `store backup` and `store rekey`.
 *
 * The copy is made with `VACUUM INTO`, not the online backup API: better-sqlite3's
 * `db.backup()` opens its destination without a key, and SQLite3 Multiple Ciphers
 * refuses a backup from an encrypted source into it ("backup is not supported with
 * incompatible source and target databases"). `VACUUM INTO` is SQLite's other online
 * copy: it reads one snapshot inside a read transaction (in WAL mode other processes
 * keep writing meanwhile) and SQLite3MC writes every page of the copy with the source's
 * cipher and key, so no plaintext page ever reaches the disk.
 */
import { closeSync, fsyncSync, linkSync, openSync, statSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { GENESIS_HASH } from '../core/audit/chain.js';
import { ConflictError, StoreError, UsageError } from '../core/errors.js';
import { describeFsError } from './key-file.js';
import { keyOf, openUnlocked, type Store, type StoreKey } from './store.js';

/**
 * Copies the store's current snapshot into `target`, which must not exist: it is
 * created 0600 with O_EXCL, filled, and flushed to disk. On failure it is removed.
 * @throws UsageError (with `describe`'s wording) when `target` cannot be created.
 */
export function copySnapshotInto(store: Store, target: string, describe = (reason: string) => `cannot create ${target}: ${reason}`): void {
  try {
    closeSync(openSync(target, 'wx', 0o600));
  } catch (error) {
    throw new UsageError(describe(describeFsError(error)), `check that you can write to ${dirname(target)}`);
  }
  try {
    store.db.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
    fsyncPath(target);
  } catch (error) {
    removeIfPresent(target);
    throw error;
  }
}

/**
 * Writes a consistent copy of the store to `out`, never replacing anything: the copy
 * is made under a hidden temporary name next to `out`, then hard-linked to `out`,
 * which fails atomically if `out` appeared meanwhile. A crash leaves at most the
 * temporary file, never a partial `out`.
 * @throws ConflictError (`already_registered`) when `out` exists; UsageError when its
 * directory is missing or not writable.
 */
export function writeBackup(store: Store, out: string): BackupFacts {
  refuseExisting(out);
  const directory = dirname(out);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`cannot write backup ${out}: ${missing ? `directory ${directory} does not exist` : describeFsError(error)}`, 'create the directory first, or choose another --out path');
  }
  if (!isDirectory) throw new UsageError(`cannot write backup ${out}: ${directory} is not a directory`);
  const partial = join(directory, `.${basename(out)}.partial-${randomBytes(6).toString('hex')}`);
  copySnapshotInto(store, partial, (reason) => `cannot write backup ${out}: ${reason}`);
  try {
    try {
      linkSync(partial, out);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(out);
      throw new UsageError(`cannot write backup ${out}: ${describeFsError(error)}`);
    }
    fsyncPath(directory);
  } finally {
    removeIfPresent(partial);
  }
  return { bytes: statSync(out).size, ...checkCopy(out, keyOf(store)) };
}

/** What a backup holds, read back from the file itself. */
export interface BackupFacts {
  bytes: number;
  audit_events: number;
  audit_head_hash: string;
}

/**
 * Reopens the copy with the store's key, as a restore would, and checks it.
 * @throws StoreError (`store_corrupt`) when it fails SQLite's quick check.
 */
function checkCopy(path: string, key: StoreKey): Omit<BackupFacts, 'bytes'> {
  const db = openUnlocked(path, key);
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new StoreError('store_corrupt', `the backup ${path} failed its integrity check: ${String(check)}`);
    const row = db.prepare('SELECT count(*) AS events, (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1) AS head FROM audit_events').get() as { events: number; head: string | null };
    return { audit_events: row.events, audit_head_hash: row.head ?? GENESIS_HASH };
  } finally {
    db.close();
  }
}

function refuseExisting(out: string): void {
  let exists = true;
  try {
    statSync(out);
  } catch {
    exists = false;
  }
  if (exists) {
    throw new ConflictError('already_registered', `${out} already exists: backups never overwrite a file`, 'choose a new --out path, or move the old file away first');
  }
}

/**
 * Flushes a file's data, or a directory's entries, to disk: before a rename or link
 * so it never exposes a torn copy, and after it so the new name survives a power loss.
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes `path`, ignoring a file that is already gone. */
export function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
