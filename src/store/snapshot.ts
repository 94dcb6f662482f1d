/**
 * Consistent encrypted copies of an open store: `store backup` copies the encrypted
 * file itself (see raw-copy.ts); `store rekey`, which holds the store alone, makes a
 * compacted copy with `VACUUM INTO`.
 *
 * Neither uses the online backup API: better-sqlite3's
 * `db.backup()` opens its destination without a key, and SQLite3 Multiple Ciphers
 * refuses a backup from an encrypted source into it ("backup is not supported with
 * incompatible source and target databases"). `VACUUM INTO` is SQLite's other online
 * copy: it reads one snapshot inside a read transaction (in WAL mode other processes
 * keep writing meanwhile) and SQLite3MC writes every page of the copy with the source's
 * cipher and key, so no plaintext page ever reaches the disk.
 */
import { closeSync, fsyncSync, linkSync, openSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { ConflictError, UsageError } from '../core/errors.js';
import { describeFsError } from './key-file.js';
import { copyEncryptedSnapshot, settleCopy } from './raw-copy.js';
import { keyOf, type Store } from './store.js';

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
 * is made under a hidden temporary name next to `out`, checked, then hard-linked to
 * `out`, which fails atomically if `out` appeared meanwhile. A crash leaves at most
 * the temporary files, never a partial `out`.
 * @throws ConflictError (`already_registered`) when `out` exists; UsageError when it
 * names the store or one of its companion files, or its directory is missing or not
 * writable; StoreError (`store_locked`) naming `out` when writing it fails (a full disk).
 */
export function writeBackup(store: Store, out: string): BackupFacts {
  refuseCompanion(store.path, out);
  refuseExisting(out);
  refuseMissingDirectory(out);
  const directory = dirname(out);
  const partial = join(directory, `.${basename(out)}.partial-${randomBytes(6).toString('hex')}`);
  let facts: Omit<BackupFacts, 'bytes'>;
  try {
    copyEncryptedSnapshot(store, partial, (reason) => `cannot write backup ${out}: ${reason}`);
    facts = settleCopy(partial, keyOf(store), out);
    fsyncPath(partial);
    try {
      linkSync(partial, out);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') refuseExisting(out);
      throw new UsageError(`cannot write backup ${out}: ${describeFsError(error)}`);
    }
    fsyncPath(directory);
  } finally {
    for (const file of sqliteFiles(partial)) removeIfPresent(file);
  }
  return { bytes: statSync(out).size, ...facts };
}

/** What a backup holds, read back from the file itself. */
export interface BackupFacts {
  bytes: number;
  audit_events: number;
  audit_head_hash: string;
}

/** A database file and the files SQLite keeps beside it. */
function sqliteFiles(path: string): string[] {
  return [path, `${path}-journal`, `${path}-wal`, `${path}-shm`];
}

/**
 * Refuses an `--out` that is the store or a file SQLite or `store rekey` keeps beside
 * it: the backup would be deleted or overwritten later (issue 10).
 * @throws UsageError naming what `out` would clash with.
 */
function refuseCompanion(storePath: string, out: string): void {
  const real = (path: string): string => {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  };
  const target = real(out);
  const companions = [...sqliteFiles(storePath), ...sqliteFiles(`${storePath}.rekey`)];
  const clash = companions.find((file) => real(file) === target);
  if (clash === undefined) return;
  const what = clash === storePath ? 'the store itself' : `${clash}, a file the store keeps beside it and deletes or replaces`;
  throw new UsageError(`the backup ${out} would be ${what}`, { kind: 'choose_another_backup_path', because: 'clashes_with_store' });
}

/**
 * Refuses a backup directory that is missing or not a directory (a backup never makes one).
 * @throws UsageError naming `out`.
 */
export function refuseMissingDirectory(out: string): void {
  const directory = dirname(out);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(`cannot write backup ${out}: ${missing ? `directory ${directory} does not exist` : describeFsError(error)}`, {
      kind: 'choose_another_backup_path',
      because: 'missing_directory',
      directory,
    });
  }
  if (!isDirectory) throw new UsageError(`cannot write backup ${out}: ${directory} is not a directory`);
}

/**
 * Refuses a backup path where something already is: backups never overwrite.
 * @throws ConflictError (`already_registered`).
 */
export function refuseExisting(out: string): void {
  let exists = true;
  try {
    statSync(out);
  } catch {
    exists = false;
  }
  if (exists) {
    throw new ConflictError('already_registered', `${out} already exists: backups never overwrite a file`, {
      kind: 'choose_another_backup_path',
      because: 'file_exists',
      directory: dirname(out),
    });
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
