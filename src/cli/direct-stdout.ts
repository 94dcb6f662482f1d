/**
 * stdout written straight to file descriptor 1 when it is a pipe, a socket, a file or a
 * memory device such as /dev/null: what scripts give it (`CODE=$(peridio …)`,
 * `> file`). Node's process.stdout would first load its stream modules and build a
 * stream (~4 ms of Node 24's start and 0.2 MB of young heap, so a garbage collection
 * sooner) to write one line. A terminal, or anything else, gets process.stdout: its
 * width and colour support matter there, and a person does not notice 4 ms.
 *
 * Each write is whole and in order (writeSync, as Node's own stdout writes files and,
 * on Linux, pipes). A reader that has gone (EPIPE) drops this and later writes, as
 * `ignoreClosedReader` does for the streams; a pipe its other end made non-blocking
 * (EAGAIN) hands this and every later write to process.stdout, which waits for it.
 */
import { fstatSync, type Stats, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** The part of a stream the CLI uses of stdout. */
export interface DirectStdout {
  readonly isTTY: false;
  readonly columns: undefined;
  write(chunk: string | Uint8Array): boolean;
}

/** The system calls it makes: fs's, or a test's. */
export interface DirectIo {
  fstat(fd: number): Stats;
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number;
}

const FS_IO: DirectIo = { fstat: fstatSync, write: writeSync };
/** Linux's memory devices (/dev/null, /dev/zero, /dev/full): never a terminal. */
const MEMORY_DEVICES_MAJOR = 1;

/** A writer for `fd` (stdout) when it is not a terminal (see above), else undefined. */
export function directStdout(fallback: () => Writable, fd = 1, io: DirectIo = FS_IO, platform = process.platform): DirectStdout | undefined {
  let kind: Stats;
  try {
    kind = io.fstat(fd);
  } catch {
    return undefined;
  }
  const memoryDevice = platform === 'linux' && kind.isCharacterDevice() && ((kind.rdev >> 8) & 0xfff) === MEMORY_DEVICES_MAJOR;
  if (!(kind.isFIFO() || kind.isSocket() || kind.isFile() || memoryDevice)) return undefined;
  let closed = false;
  let stream: Writable | undefined;
  return {
    isTTY: false,
    columns: undefined,
    write(chunk) {
      if (stream) return stream.write(chunk);
      if (closed) return true;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      for (let written = 0; written < bytes.length; ) {
        try {
          written += io.write(fd, bytes, written, bytes.length - written);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') {
            closed = true;
            return true;
          }
          if (code !== 'EAGAIN') throw error;
          stream = fallback();
          return stream.write(bytes.subarray(written));
        }
      }
      return true;
    },
  };
}
