/** readInputFile: regular files only, size cap before reading, `-` for stdin, errors that name the file. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readInputFile } from '../../../src/cli/read-input.js';
import { UsageError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/temp.js';

async function failure(run: () => Promise<unknown>): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

/** A stdin that has nothing to give: a test that reads it by mistake fails loudly. */
const noStdin = new Readable({
  read() {
    throw new Error('stdin must not be read');
  },
});

function stdinOf(text: string | Buffer): PassThrough {
  const stream = new PassThrough();
  stream.end(text);
  return stream;
}

describe('readInputFile', () => {
  it('returns the bytes of a small file', async () => {
    const path = join(tempDir(), 'ca.pem');
    writeFileSync(path, 'abc\r\n');
    expect(await readInputFile(noStdin, path, 'CA certificate')).toEqual(Buffer.from('abc\r\n'));
  });

  it('accepts exactly 64 KiB and refuses one byte more, as invalid_certificate by default', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok'), Buffer.alloc(65536, 0x41));
    expect(await readInputFile(noStdin, join(dir, 'ok'), 'CA certificate')).toHaveLength(65536);
    writeFileSync(join(dir, 'big'), Buffer.alloc(65537, 0x41));
    const error = await failure(() => readInputFile(noStdin, join(dir, 'big'), 'CA certificate'));
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toBe(`CA certificate ${join(dir, 'big')} is larger than 64 KiB`);
  });

  it('refuses a 10 MB file', async () => {
    const path = join(tempDir(), 'huge.pem');
    writeFileSync(path, Buffer.alloc(10 * 1024 * 1024));
    expect((await failure(() => readInputFile(noStdin, path, 'device certificate', { code: 'usage' }))).code).toBe('usage');
  });

  it('names a missing file, a directory and an unreadable file', async () => {
    const dir = tempDir();
    expect((await failure(() => readInputFile(noStdin, join(dir, 'nope.pem'), 'CA certificate'))).message).toBe(
      `cannot read CA certificate ${join(dir, 'nope.pem')}: no such file or directory`,
    );
    mkdirSync(join(dir, 'sub'));
    expect((await failure(() => readInputFile(noStdin, join(dir, 'sub'), 'chain'))).message).toBe(`cannot read chain ${join(dir, 'sub')}: it is a directory`);
    const locked = join(dir, 'locked.pem');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0);
    if (process.getuid?.() !== 0)
      expect((await failure(() => readInputFile(noStdin, locked, 'key'))).message).toBe(`cannot read key ${locked}: permission denied`);
  });

  it('refuses /dev/zero at once instead of reading it (a character device)', async () => {
    const error = await failure(() => readInputFile(noStdin, '/dev/zero', 'signer key', { code: 'usage' }));
    expect([error.code, error.message]).toEqual(['usage', 'cannot read signer key /dev/zero: it is a character device, not a regular file']);
  });

  it('refuses a FIFO with no writer at once instead of waiting for one', async () => {
    const fifo = join(tempDir(), 'ca.pem');
    execFileSync('mkfifo', [fifo]);
    expect((await failure(() => readInputFile(noStdin, fifo, 'CA certificate'))).message).toBe(
      `cannot read CA certificate ${fifo}: it is a named pipe, not a regular file`,
    );
  });

  it('reads - from stdin, with the same cap', async () => {
    expect(await readInputFile(stdinOf('pem\n'), '-', 'CA certificate')).toEqual(Buffer.from('pem\n'));
    const error = await failure(() => readInputFile(stdinOf(Buffer.alloc(65537)), '-', 'CA certificate'));
    expect([error.code, error.message]).toEqual(['invalid_certificate', 'CA certificate on standard input is larger than 64 KiB']);
  });

  it('reads stdin for one input only', async () => {
    const stdin = stdinOf('pem\n');
    await readInputFile(stdin, '-', 'CA certificate');
    const error = await failure(() => readInputFile(stdin, '-', 'verification certificate'));
    expect([error.message, error.hint]).toEqual([
      'cannot read verification certificate from standard input: it is already the CA certificate',
      'only one input can be - (standard input): give the others as files',
    ]);
  });
});
