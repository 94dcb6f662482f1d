/**
 * Key files appear complete or not at all. Issue 10: creating one on a full disk
 * exited 1 and left a 0-byte key file that blocked every later run. The disk is made
 * full here by failing the data write with ENOSPC, as write(2) does.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createKeyFile, createOrAdoptKeyFile, readKeyFile } from '../../src/store/key-file.js';
import { seededRandom } from '../helpers/random.js';
import { tempDir } from '../helpers/temp.js';

const disk = vi.hoisted(() => ({ full: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((...args: Parameters<typeof real.writeSync>) => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return (real.writeSync as (...a: unknown[]) => number)(...args);
  }) as typeof real.writeSync;
  return { ...real, default: { ...real, writeSync }, writeSync };
});

describe('createKeyFile', () => {
  it('on a full disk: a clear error, no key file (not even an empty one), and the next run succeeds', () => {
    const dir = join(tempDir(), 'config');
    const path = join(dir, 'store.key');
    disk.full = true;
    try {
      expect(() => createKeyFile(path, seededRandom(1))).toThrowError(
        expect.objectContaining({ code: 'usage', message: `cannot create key file ${path}: no space left on the device` }),
      );
    } finally {
      disk.full = false;
    }
    expect(fs.readdirSync(dir)).toEqual([]);
    const key = createKeyFile(path, seededRandom(1));
    expect(readKeyFile(path)).toEqual(key);
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['store.key']);
  });

  it('never replaces an existing key file', () => {
    const path = join(tempDir(), 'store.key');
    fs.writeFileSync(path, `${'11'.repeat(32)}\n`, { mode: 0o600 });
    expect(() => createKeyFile(path, seededRandom(1))).toThrowError(expect.objectContaining({ message: `cannot create key file ${path}: it already exists` }));
    expect(fs.readFileSync(path, 'utf8')).toBe(`${'11'.repeat(32)}\n`);
  });
});

describe('createOrAdoptKeyFile (two first runs at once)', () => {
  it('creates the key file when the name is free', () => {
    const path = join(tempDir(), 'config', 'store.key');
    const { key, created } = createOrAdoptKeyFile(path, seededRandom(1));
    expect(created).toBe(true);
    expect(readKeyFile(path)).toEqual(key);
  });

  it('adopts the key of the run that linked its file first, and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'store.key');
    const theirs = createKeyFile(path, seededRandom(2));
    const { key, created } = createOrAdoptKeyFile(path, seededRandom(3));
    expect({ key, created }).toEqual({ key: theirs, created: false });
    expect(fs.readdirSync(dir)).toEqual(['store.key']);
  });

  it('refuses to adopt a key file that others can read', () => {
    const path = join(tempDir(), 'store.key');
    fs.writeFileSync(path, `${'11'.repeat(32)}\n`, { mode: 0o644 });
    fs.chmodSync(path, 0o644);
    expect(() => createOrAdoptKeyFile(path, seededRandom(1))).toThrowError(
      expect.objectContaining({ code: 'usage', message: `refusing key file ${path}: other users can read or write it (mode 0644)` }),
    );
  });
});
