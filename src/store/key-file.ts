/**
 * Key files: 32 random bytes written as 64 hex characters, mode 0600, created with
 * O_EXCL so an existing key is never overwritten.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, UsageError } from '../core/errors.js';
import type { RandomSource } from '../core/ports.js';

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/**
 * Reads a raw 256-bit store key from a key file.
 * @throws UsageError when the file cannot be read; StoreError (`store_locked`) when it
 * does not hold exactly 64 hex characters.
 */
export function readKeyFile(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read key file ${path}: ${describeFsError(error)}`, 'pass an existing key file with --key-file or VERICODE_KEY_FILE');
  }
  const hex = text.trim();
  if (!HEX_KEY.test(hex)) {
    throw new StoreError(
      'store_locked',
      `key file ${path} does not hold a 256-bit key: expected 64 hex characters, found ${hex.length} characters`,
      'a key file holds 32 random bytes as hex, for example from: openssl rand -hex 32',
    );
  }
  return Buffer.from(hex, 'hex');
}

/**
 * Creates a new key file with 32 random bytes, its directory 0700 and the file 0600.
 * @throws UsageError when the file already exists or cannot be written.
 */
export function createKeyFile(path: string, random: RandomSource): Buffer {
  const key = Buffer.from(random.bytes(32));
  ensurePrivateDirectory(dirname(path));
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    throw new UsageError(`cannot create key file ${path}: ${describeFsError(error)}`);
  }
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
  } finally {
    closeSync(fd);
  }
  return key;
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

/** A short, lowercase reason for a failed file operation. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EEXIST': return 'it already exists';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a parent is not a directory';
    case 'EROFS': return 'read-only file system';
    default: return (error as Error | undefined)?.message?.toLowerCase() ?? 'unknown error';
  }
}
