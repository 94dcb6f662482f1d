/**
 * The built command uses Node's own compile cache (Node 22.1+) in the user's cache
 * directory, only where that directory's whole path is safe from other users
 * (src/cli/compile-cache.ts, src/store/private-directory.ts). Node 20 has no cache: the
 * hand-written loader hook it had could be raced into running another user's code.
 */
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDirectory } from '../../src/cli/compile-cache.js';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';
import { asRoot } from '../helpers/unprivileged.js';

const UID = process.getuid!();
const NOBODY = 65534;
const NODE_HAS_COMPILE_CACHE = typeof (Module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const VERSION_LINE = { stdout: 'vericode 0.1.0\n', stderr: '', exitCode: 0 };

function cacheDir(home: string): string {
  return join(home, '.cache', 'vericode', 'compile-cache');
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(entry.parentPath, entry.name)) : [join(entry.parentPath, entry.name)],
  );
}

describe('the compile cache of the built command', () => {
  it.runIf(NODE_HAS_COMPILE_CACHE)('is written on the first run into a private directory, and gives the same results after', () => {
    const home = tempDir('vericode-cache-');
    expect(runBin(['-V'], { env: { HOME: home } })).toEqual(VERSION_LINE);
    expect(filesUnder(cacheDir(home)).length).toBeGreaterThan(0);
    expect(statSync(cacheDir(home)).mode & 0o777).toBe(0o700);
    expect(runBin(['-V'], { env: { HOME: home } })).toEqual(VERSION_LINE);
  });

  it.runIf(!NODE_HAS_COMPILE_CACHE)('is not made at all on a Node without module.enableCompileCache (Node 20)', () => {
    const home = tempDir('vericode-cache-');
    expect(runBin(['-V'], { env: { HOME: home } })).toEqual(VERSION_LINE);
    expect(() => statSync(join(home, '.cache'))).toThrow(/ENOENT/);
  });

  it('is not used with NODE_DISABLE_COMPILE_CACHE=1, or with VERICODE_DEBUG=1 (stack traces from source)', () => {
    for (const extra of [{ NODE_DISABLE_COMPILE_CACHE: '1' }, { VERICODE_DEBUG: '1' }] as Record<string, string>[]) {
      const home = tempDir('vericode-cache-');
      expect(runBin(['-V'], { env: { HOME: home, ...extra } })).toEqual(VERSION_LINE);
      expect(() => statSync(join(home, '.cache', 'vericode'))).toThrow(/ENOENT/);
    }
  });

  it('a cache location that cannot be made does not stop a command', () => {
    const home = tempDir('vericode-cache-');
    writeFileSync(join(home, 'file'), '');
    expect(runBin(['-V'], { env: { HOME: home, XDG_CACHE_HOME: join(home, 'file') } })).toEqual(VERSION_LINE);
  });

  // The attack: root runs with HOME (or XDG_CACHE_HOME) in a directory another user owns;
  // that user could swap directories between any check and Node's read of the cache.
  it.runIf(asRoot)('root with a HOME another user owns: no cache is read or written there', () => {
    const home = join(tempDir('vericode-cache-'), 'alice');
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, NOBODY, NOBODY);
    expect(runBin(['-V'], { env: { HOME: home } })).toEqual(VERSION_LINE);
    expect(readdirSync(home)).toEqual([]);
    expect(compileCacheDirectory({ HOME: home }, 0)).toBeUndefined();
  });
});

describe('compileCacheDirectory', () => {
  it('makes ${XDG_CACHE_HOME}/vericode/compile-cache, 0700, under a root-owned sticky /tmp', () => {
    const base = tempDir('vericode-cache-');
    const directory = compileCacheDirectory({ XDG_CACHE_HOME: base }, UID);
    expect(directory).toBe(join(base, 'vericode', 'compile-cache'));
    expect(statSync(directory!).mode & 0o777).toBe(0o700);
    expect(statSync(join(base, 'vericode')).mode & 0o777).toBe(0o700);
  });

  it('makes a directory readable by others private again', () => {
    const base = tempDir('vericode-cache-');
    const directory = compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)!;
    chmodSync(directory, 0o755);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)).toBe(directory);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
  });

  it('refuses a cache directory others could write to (it may hold their entries), or that someone else owns', () => {
    const base = tempDir('vericode-cache-');
    const directory = compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)!;
    chmodSync(directory, 0o770);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)).toBeUndefined();
    chmodSync(directory, 0o700);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID + 1)).toBeUndefined();
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)).toBe(directory);
  });

  it('refuses a path with a component others can write to (not sticky), making nothing under it', () => {
    const shared = join(tempDir('vericode-cache-'), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: join(shared, 'cache') }, UID)).toBeUndefined();
    expect(readdirSync(shared)).toEqual([]);
  });

  it.runIf(asRoot)('refuses a path with a component another user owns', () => {
    const alice = join(tempDir('vericode-cache-'), 'alice');
    mkdirSync(join(alice, '.cache', 'vericode', 'compile-cache'), { recursive: true, mode: 0o700 });
    chownSync(alice, NOBODY, NOBODY);
    expect(compileCacheDirectory({ HOME: alice }, 0)).toBeUndefined();
  });

  it('refuses a path through a symbolic link', () => {
    const base = tempDir('vericode-cache-');
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'link'));
    expect(compileCacheDirectory({ XDG_CACHE_HOME: join(base, 'link') }, UID)).toBeUndefined();
    expect(readdirSync(join(base, 'real'))).toEqual([]);
  });

  it('gives up where a directory cannot be made, or without a user id or an absolute path', () => {
    const base = tempDir('vericode-cache-');
    writeFileSync(join(base, 'file'), '');
    expect(compileCacheDirectory({ XDG_CACHE_HOME: join(base, 'file') }, UID)).toBeUndefined();
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, undefined)).toBeUndefined();
    expect(compileCacheDirectory({ XDG_CACHE_HOME: 'relative/cache' }, UID)).toBeUndefined();
  });
});
