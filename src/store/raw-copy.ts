/**
 * `store backup`'s copy: the store's encrypted pages copied byte for byte, as fast as
 * `cp`, yet a consistent snapshot while other processes write. (`VACUUM INTO`, which
 * `store rekey` still uses, rebuilds every b-tree: 30 times slower than `cp` at a
 * million codes. The online backup API cannot write a keyed destination here, see
 * snapshot.ts.)
 *
 * Why copying the main file and then its WAL under one read transaction yields a
 * consistent database (SQLite's WAL rules, wal.c):
 * - A reader pins a snapshot: the WAL frames up to its mark. A checkpoint never copies
 *   a frame past any reader's mark into the main file, and while the reader reads the
 *   main file alone (mark 0) no checkpoint writes the main file at all.
 * - So during our copy the main file changes, if at all, only to page versions that
 *   are in WAL frames up to our mark; the WAL cannot be restarted under a reader with
 *   a mark, and frames are only ever appended.
 * - Opening the copy recovers its WAL: every frame up to the last commit whose
 *   checksum chain holds is applied over the copied main file, which replaces any page
 *   a concurrent checkpoint was rewriting; a frame being appended as we read fails
 *   its checksum and ends the chain at the commit before it. The result is the state
 *   at our snapshot or at a later commit, never a mix.
 * Both files hold only encrypted pages (SQLite3 Multiple Ciphers encrypts WAL frames
 * with the page key), and settling the copy writes through SQLite3MC, so no plaintext
 * page reaches the disk.
 */
import { chmodSync, constants, copyFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import { describeFsError } from './key-file.js';
import { auditHeadHash, recordCounts } from './store-stats.js';
import { openUnlocked, type Store, type StoreKey } from './store.js';

/**
 * Copies the store's file and WAL, as they are under one read transaction, to
 * `target` and `target-wal`, both created 0600 with O_EXCL.
 * @throws UsageError (with `describe`'s wording) when `target` cannot be created;
 * StoreError (`store_locked`) naming it when writing fails, a full disk.
 */
export function copyEncryptedSnapshot(store: Store, target: string, describe: (reason: string) => string): void {
  store.read(() => {
    // The first read takes the read lock that pins the snapshot (see the module comment).
    store.prepare('SELECT count(*) FROM sqlite_master').get();
    copyFileBytes(store.path, target, describe);
    copyFileBytes(`${store.path}-wal`, `${target}-wal`, describe);
  });
}

/**
 * Opens the copy with the store's key, as a restore would, folds its WAL into the
 * file (leaving one self-contained file in rollback-journal mode) and reads back its
 * schema, audit count and head. A whole-file `PRAGMA quick_check` would cost as much
 * as the copy again; opening proves the key (SQLCipher checks page 1's HMAC) and the
 * WAL recovery checks every frame's checksum.
 * @throws StoreError naming `out` when the copy cannot be settled or read.
 */
export function settleCopy(path: string, key: StoreKey, out: string): { audit_events: number; audit_head_hash: string } {
  let db;
  try {
    db = openUnlocked(path, key);
  } catch (error) {
    throw new StoreError('store_corrupt', `the backup ${out} did not open with the store's key: ${(error as Error).message}`, undefined, { cause: error });
  }
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    return { audit_events: recordCounts(db, 'audit_events').all ?? 0, audit_head_hash: auditHeadHash(db) };
  } catch (error) {
    throw writeFailure(out, error);
  } finally {
    db.close();
  }
}

/**
 * Copies `from` (absent: nothing to copy) into a new file `to` in the kernel
 * (copy_file_range, as `cp` does). The copy starts with the source's mode, at most
 * that of the store itself, and is made 0600 at once.
 */
function copyFileBytes(from: string, to: string, describe: (reason: string) => string): void {
  try {
    copyFileSync(from, to, constants.COPYFILE_EXCL);
    chmodSync(to, 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT' && from.endsWith('-wal') && !existsSync(from)) return;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new StoreError(
        'store_locked',
        describe('no space left on device'),
        { kind: 'choose_another_backup_path', because: 'disk_full', directory: dirname(to) },
        { cause: error },
      );
    }
    throw new UsageError(describe(describeFsError(error)), `check that you can write to ${dirname(to)}`);
  }
}

function writeFailure(out: string, error: unknown): StoreError {
  const code = (error as { code?: string }).code ?? '';
  const reason = code === 'SQLITE_FULL' ? 'no space left on device' : (error as Error).message.toLowerCase();
  return new StoreError(
    'store_locked',
    `cannot write backup ${out}: ${reason}`,
    { kind: 'choose_another_backup_path', because: 'disk_full', directory: dirname(out) },
    {
      cause: error,
    },
  );
}
