/**
 * Reading the small files a command is given (key and passphrase files, certificates,
 * keys): only regular files, never more than a fixed number of bytes.
 *
 * The checks run on the open file descriptor, not on the path, so a file swapped
 * between a check and the read cannot slip through. The file is opened with
 * O_NONBLOCK: opening a FIFO with no writer then returns at once (instead of waiting
 * for a writer forever), and fstat turns it away. `/dev/zero` and other devices are not
 * regular files either, so they are refused before a byte is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { UsageError, type Hint } from '../core/errors.js';

/** What a file is, for "it is not a regular file (…)". */
function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** How to name and bound a file in errors. */
export interface BoundedFileOptions {
  /** What the file is, e.g. "key file": errors read "cannot read key file F: …". */
  label: string;
  maxBytes: number;
  /** The hint of the cannot-read errors. */
  hint?: Hint;
  /** The hint of the too-large error. */
  tooLargeHint?: string;
  /** The code of the too-large error (default `usage`). */
  tooLargeCode?: 'usage' | 'invalid_certificate';
}

/** A file's bytes and the fstat of the descriptor they were read from. */
export interface BoundedFile {
  bytes: Buffer;
  stat: Stats;
}

/**
 * Reads the regular file at `path`, at most `options.maxBytes` bytes.
 * @throws UsageError naming the file when it cannot be opened, is not a regular file
 * (directory, FIFO, device, socket), or is larger than the bound (checked with fstat
 * before reading, and again while reading, in case the file grows).
 */
export function readBoundedFile(path: string, options: BoundedFileOptions): BoundedFile {
  const cannot = (reason: string): UsageError => new UsageError(`cannot read ${options.label} ${path}: ${reason}`, options.hint);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw cannot(describeFsError(error));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = kindOf(stat);
      throw cannot(kind === 'a directory' ? 'it is a directory' : `it is ${kind}, not a regular file`);
    }
    const tooLarge = (): UsageError =>
      new UsageError(`${options.label} ${path} is larger than ${formatBytes(options.maxBytes)}`, options.tooLargeHint, options.tooLargeCode ?? 'usage');
    if (stat.size > options.maxBytes) throw tooLarge();
    const buffer = Buffer.alloc(options.maxBytes + 1);
    let length = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        throw cannot(describeFsError(error));
      }
      if (n === 0) break;
      length += n;
      if (length > options.maxBytes) throw tooLarge();
    }
    return { bytes: buffer.subarray(0, length), stat };
  } finally {
    closeSync(fd);
  }
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/** A short, lowercase reason for a failed file operation. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EEXIST':
      return 'it already exists';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENXIO':
      return 'no such device or address';
    default:
      return (error as Error | undefined)?.message?.toLowerCase() ?? 'unknown error';
  }
}
