/**
 * Writing the files commands make (certificates, keys, CSRs): created with O_EXCL so
 * an existing file is never overwritten, private keys 0600, and all or nothing.
 */
import { closeSync, fchmodSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../core/errors.js';
import { describeFsError } from '../store/key-file.js';

/** A file to create: path, contents, mode, and what to call it in errors. */
export interface NewFile {
  path: string;
  data: string | Buffer;
  /** 0o600 for private keys, 0o644 for certificates and CSRs. */
  mode: number;
  /** What it is, for errors: "private key", "certificate". */
  label: string;
}

/**
 * Creates every file in `files`, or none of them.
 * @throws UsageError when two outputs are the same path, a file already exists
 * ("refusing to overwrite"), or a file cannot be created; files this call created
 * are removed again.
 */
export function writeNewFiles(files: readonly NewFile[]): void {
  const seen = new Map<string, string>();
  for (const file of files) {
    const absolute = resolve(file.path);
    const other = seen.get(absolute);
    if (other) throw new UsageError(`the ${other} and the ${file.label} would both be written to ${file.path}`, 'give each output its own path');
    seen.set(absolute, file.label);
  }
  const opened: Array<{ file: NewFile; fd: number }> = [];
  const undo = (): void => {
    for (const { file, fd } of opened) {
      try {
        closeSync(fd);
      } catch {
        /* already closed */
      }
      try {
        unlinkSync(file.path);
      } catch {
        /* already gone */
      }
    }
  };
  for (const file of files) {
    try {
      const fd = openSync(file.path, 'wx', file.mode);
      opened.push({ file, fd });
      fchmodSync(fd, file.mode);
    } catch (error) {
      undo();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new UsageError(`${file.label} ${file.path} already exists: refusing to overwrite it`, 'choose another path, or remove the file first');
      throw new UsageError(`cannot create ${file.label} ${file.path}: ${describeFsError(error)}`);
    }
  }
  try {
    for (const { file, fd } of opened) writeSync(fd, Buffer.from(file.data));
  } catch (error) {
    undo();
    throw new UsageError(`cannot write ${files.map((f) => f.path).join(', ')}: ${describeFsError(error)}`);
  }
  for (const { fd } of opened) closeSync(fd);
}
