/** readInputFile: size cap before reading, and errors that name the file. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputFile } from '../../../src/cli/read-input.js';
import { UsageError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/temp.js';

function failure(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('readInputFile', () => {
  it('returns the bytes of a small file', () => {
    const path = join(tempDir(), 'ca.pem');
    writeFileSync(path, 'abc\r\n');
    expect(readInputFile(path, 'CA certificate')).toEqual(Buffer.from('abc\r\n'));
  });

  it('accepts exactly 64 KiB and refuses one byte more, as invalid_certificate by default', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok'), Buffer.alloc(65536, 0x41));
    expect(readInputFile(join(dir, 'ok'), 'CA certificate')).toHaveLength(65536);
    writeFileSync(join(dir, 'big'), Buffer.alloc(65537, 0x41));
    const error = failure(() => readInputFile(join(dir, 'big'), 'CA certificate'));
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toBe(`CA certificate ${join(dir, 'big')} is larger than 64 KiB`);
  });

  it('refuses a 10 MB file', () => {
    const path = join(tempDir(), 'huge.pem');
    writeFileSync(path, Buffer.alloc(10 * 1024 * 1024));
    expect(failure(() => readInputFile(path, 'device certificate', { code: 'usage' })).code).toBe('usage');
  });

  it('names a missing file, a directory and an unreadable file', () => {
    const dir = tempDir();
    expect(failure(() => readInputFile(join(dir, 'nope.pem'), 'CA certificate')).message).toBe(`cannot read CA certificate ${join(dir, 'nope.pem')}: no such file or directory`);
    mkdirSync(join(dir, 'sub'));
    expect(failure(() => readInputFile(join(dir, 'sub'), 'chain')).message).toBe(`cannot read chain ${join(dir, 'sub')}: it is a directory`);
    const locked = join(dir, 'locked.pem');
    writeFileSync(locked, 'x');
    chmodSync(locked, 0);
    if (process.getuid?.() !== 0) expect(failure(() => readInputFile(locked, 'key')).message).toBe(`cannot read key ${locked}: permission denied`);
  });
});
