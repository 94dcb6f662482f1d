/**
 * Key files: 32 random bytes written as 64 hex characters, mode 0600.
 *
 * A new key file is written under a private temporary name, fsynced, then linked to
 * its final name (link, unlike rename, fails when the name exists, so an existing key
 * is never overwritten) and the directory is fsynced: a full disk or a crash leaves
 * either no key file or a complete one, never an empty file that blocks later runs.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import type { RandomSource } from '../core/ports.js';
import { describeFsError, readBoundedFile } from './bounded-file.js';

export { describeFsError } from './bounded-file.js';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
/** Key and passphrase files are a few dozen bytes; 4 KiB leaves room for comments and CRLF. */
export const MAX_KEY_FILE_BYTES = 4096;

/**
 * Reads a raw 256-bit store key from a key file (a regular file of at most 4 KiB).
 * With `adopt` (a key file `init` or `store rekey` is about to put a store under), it
 * must also be owned by the current user and not readable or writable by others:
 * whoever else can read it would know the key.
 * @throws UsageError when the file cannot be read, is not a regular file, is too large,
 * or (with `adopt`) is another user's or open to others; StoreError (`store_locked`)
 * when it does not hold exactly 64 hex characters.
 */
export function readKeyFile(path: string, options: { adopt?: boolean } = {}): Buffer {
  const { bytes, stat } = readBoundedFile(path, {
    label: 'key file',
    maxBytes: MAX_KEY_FILE_BYTES,
    hint: { kind: 'give_existing_key_file' },
    tooLargeHint: 'a key file holds 64 hex characters',
  });
  if (options.adopt) refuseForeignKeyFile(path, stat);
  const hex = bytes.toString('latin1').trim();
  if (!HEX_KEY.test(hex)) {
    throw new StoreError(
      'store_locked',
      `key file ${path} does not hold a 256-bit key: expected 64 hex characters, found ${hex.length} characters`,
      hex.length === 0
        ? `an empty key file is what a failed run of an earlier version left behind: if no store uses it, remove ${path} and try again`
        : 'a key file holds 32 random bytes as hex, for example from: openssl rand -hex 32',
    );
  }
  return Buffer.from(hex, 'hex');
}

function refuseForeignKeyFile(path: string, stat: { uid: number; mode: number }): void {
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new UsageError(
      `refusing key file ${path}: it belongs to another user (uid ${stat.uid}), who would know the store's key`,
      'use a key file you own, or name a new file to have one created',
    );
  }
  if ((stat.mode & 0o066) !== 0) {
    throw new UsageError(
      `refusing key file ${path}: other users can read or write it (mode ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`,
      `run chmod 600 ${path} if no one else has seen it, or name a new file to have one created`,
    );
  }
}

/**
 * Creates a new key file with 32 random bytes, its directory 0700 and the file 0600,
 * atomically (see the module comment).
 * @throws UsageError when the file already exists or cannot be written; nothing is
 * left behind then.
 */
export function createKeyFile(path: string, random: RandomSource): Buffer {
  const key = writeNewKeyFile(path, random);
  if (key === undefined) throw keyFileFailure(path, 'it already exists');
  return key;
}

/**
 * The key of a first run: a new key file as `createKeyFile` makes it, or, when another
 * process made that file first (two first runs at once), the key in that file, so
 * both use one key and one store. The other's file is complete (it was linked into
 * place after fsync) and is adopted only if it is the user's own and private.
 * @throws UsageError when the file cannot be written, or the existing one is not ours.
 */
export function createOrAdoptKeyFile(path: string, random: RandomSource): { key: Buffer; created: boolean } {
  const key = writeNewKeyFile(path, random);
  return key === undefined ? { key: readKeyFile(path, { adopt: true }), created: false } : { key, created: true };
}

/** The key written to the new file `path`, or undefined when a file of that name exists. */
function writeNewKeyFile(path: string, random: RandomSource): Buffer | undefined {
  const key = Buffer.from(random.bytes(32));
  ensurePrivateDirectory(dirname(path));
  return writeNewFileDurably(path, Buffer.from(`${key.toString('hex')}\n`), (reason) => keyFileFailure(path, reason)) ? key : undefined;
}

function keyFileFailure(path: string, reason: string): UsageError {
  return new UsageError(`cannot create key file ${path}: ${reason}`);
}

/**
 * Writes `bytes` to the new file `path` (0600) so that it appears complete or not at
 * all: a temporary name beside it, fsync, link into place (never replacing a file),
 * fsync the directory.
 * @returns false, writing nothing, when a file named `path` exists.
 * @throws what `fail` makes of the reason, after removing the temporary file.
 */
function writeNewFileDurably(path: string, bytes: Buffer, fail: (reason: string) => Error): boolean {
  const staging = `${path}.${process.pid}.tmp`;
  removeStale(staging);
  let fd: number | undefined;
  let linking = false;
  try {
    fd = openSync(staging, 'wx', 0o600);
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    linking = true;
    linkSync(staging, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeStale(staging);
    if (linking && (error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fail(describeFsError(error));
  }
  removeStale(staging);
  fsyncDirectory(dirname(path));
  return true;
}

function removeStale(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Absent, which is what we want.
  }
}

/** Flushes a directory's entries, so a new name in it survives a power loss. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `dir` and its missing parents with mode 0700. */
export function ensurePrivateDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UsageError(`cannot create directory ${dir}: ${describeFsError(error)}`);
  }
}

/** True when `path` exists and other users may read or write it. */
export function isExposedToOthers(path: string): boolean {
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}
