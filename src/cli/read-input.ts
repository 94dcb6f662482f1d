/**
 * Reading the small input files commands take (certificates, chains, keys,
 * passphrases): size-capped before anything is read, with errors that name the file.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { describeFsError } from '../store/key-file.js';

/** The default cap: SPEC section 5's 64 KiB per certificate file. */
export const MAX_INPUT_FILE_BYTES = 65536;

/**
 * The contents of the file at `path`. `label` says what it is ("CA certificate"), and
 * errors read "cannot read CA certificate ca.pem: …".
 * @throws UsageError when the file is missing, unreadable, a directory, or larger
 * than `options.maxBytes` (default 64 KiB; checked with fstat before reading, and
 * again while reading, so a 10 MB file or an endless pipe is never read whole). The
 * size error has `options.code` (default `invalid_certificate`).
 */
export function readInputFile(path: string, label: string, options: { maxBytes?: number; code?: 'usage' | 'invalid_certificate' } = {}): Buffer {
  const maxBytes = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${label} ${path}: ${describeFsError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${label} ${path}: it is a directory`);
    const tooLarge = (): UsageError => new UsageError(`${label} ${path} is larger than ${maxBytes / 1024} KiB`, 'give a single certificate or key file, PEM or DER', options.code ?? 'invalid_certificate');
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge();
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        throw new UsageError(`cannot read ${label} ${path}: ${describeFsError(error)}`);
      }
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw tooLarge();
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
