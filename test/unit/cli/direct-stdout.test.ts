/**
 * stdout written without a stream when it is a pipe, a socket, a file or /dev/null
 * (src/cli/direct-stdout.ts): whole writes in order, a reader that has gone drops the
 * rest, a non-blocking pipe hands over to the stream, a terminal keeps the stream.
 */
import type { Stats } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type DirectIo, directStdout } from '../../../src/cli/direct-stdout.js';

type Kind = 'fifo' | 'socket' | 'file' | 'null' | 'tty';

/** An fstat result of `kind`: /dev/null is character device 1:3, a pseudo-terminal 136:0. */
function stats(kind: Kind): Stats {
  return {
    isFIFO: () => kind === 'fifo',
    isSocket: () => kind === 'socket',
    isFile: () => kind === 'file',
    isCharacterDevice: () => kind === 'null' || kind === 'tty',
    rdev: kind === 'null' ? 0x103 : kind === 'tty' ? 0x8800 : 0,
  } as Stats;
}

/** A descriptor that takes at most `accept` bytes per call, then fails each call with `errors`, in turn. */
function fakeIo(kind: Kind, accept = Number.POSITIVE_INFINITY, errors: string[] = []): DirectIo & { written: string; calls: number } {
  const io = {
    written: '',
    calls: 0,
    fstat: () => stats(kind),
    write(_fd: number, bytes: Uint8Array, offset: number, length: number): number {
      io.calls += 1;
      const code = errors.shift();
      if (code) throw Object.assign(new Error(code), { code });
      const count = Math.min(length, accept);
      io.written += Buffer.from(bytes.subarray(offset, offset + count)).toString('utf8');
      return count;
    },
  };
  return io;
}

/** A stream that records what it is given. */
function recordingStream(): Writable & { text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      stream.text += chunk.toString('utf8');
      callback();
    },
  }) as Writable & { text: string };
  stream.text = '';
  return stream;
}

const noStream = (): Writable => {
  throw new Error('the stream was made');
};

describe('directStdout', () => {
  it('writes a pipe, a socket, a file and /dev/null directly, never making the stream', () => {
    for (const kind of ['fifo', 'socket', 'file', 'null'] as const) {
      const io = fakeIo(kind);
      const out = directStdout(noStream, 1, io, 'linux');
      expect(out, kind).toBeDefined();
      expect(out!.isTTY).toBe(false);
      out!.write('code ü\n');
      out!.write(Buffer.from('raw bytes\n'));
      expect(io.written).toBe('code ü\nraw bytes\n');
    }
  });

  it('leaves a terminal, and a character device it does not know, to the stream', () => {
    expect(directStdout(noStream, 1, fakeIo('tty'), 'linux')).toBeUndefined();
    expect(directStdout(noStream, 1, fakeIo('null'), 'darwin')).toBeUndefined();
    const closed: DirectIo = {
      fstat: () => {
        throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
      },
      write: () => 0,
    };
    expect(directStdout(noStream, 1, closed, 'linux')).toBeUndefined();
  });

  it('finishes a write the descriptor takes in parts', () => {
    const io = fakeIo('fifo', 3);
    directStdout(noStream, 1, io, 'linux')!.write('0123456789');
    expect(io.written).toBe('0123456789');
    expect(io.calls).toBe(4);
  });

  it('drops this and every later write once the reader has gone (EPIPE)', () => {
    const io = fakeIo('fifo', 4, ['EPIPE']);
    const out = directStdout(noStream, 1, io, 'linux')!;
    expect(out.write('abcdefgh')).toBe(true);
    expect(out.write('later')).toBe(true);
    expect(io.written).toBe('');
    expect(io.calls).toBe(1);
  });

  it('hands the rest of a write, and every later one, to the stream when the pipe would block (EAGAIN)', () => {
    const io = fakeIo('fifo', 4);
    const stream = recordingStream();
    const out = directStdout(() => stream, 1, io, 'linux')!;
    out.write('ab');
    io.write = (() => {
      throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    }) as DirectIo['write'];
    out.write('cdef');
    out.write('gh');
    expect(io.written).toBe('ab');
    expect(stream.text).toBe('cdefgh');
  });

  it('raises any other write error', () => {
    const out = directStdout(noStream, 1, fakeIo('file', 10, ['ENOSPC']), 'linux')!;
    expect(() => out.write('full disk')).toThrow('ENOSPC');
  });
});
