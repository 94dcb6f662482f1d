/**
 * The built command caches V8's compiled code of dist/cli in the user's cache
 * directory (src/cli/compile-cache.ts): privately, never in the way of a command.
 */
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDirectory } from '../../src/cli/compile-cache.js';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const UID = process.getuid?.();

function cacheEntries(home: string): string[] {
  const base = join(home, '.cache', 'vericode', 'compile-cache');
  return readdirSync(base).flatMap((dir) => readdirSync(join(base, dir)).map((file) => join(base, dir, file)));
}

describe('the compile cache', () => {
  it('is written on the first run, private, and gives the same results after', () => {
    const home = tempDir('vericode-cache-');
    const env = { HOME: home };
    expect(runBin(['--version'], { env })).toEqual({ stdout: '0.1.0\n', stderr: '', exitCode: 0 });
    const entries = cacheEntries(home);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(statSync(entry).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, '.cache', 'vericode', 'compile-cache')).mode & 0o777).toBe(0o700);
    expect(runBin(['--version'], { env })).toEqual({ stdout: '0.1.0\n', stderr: '', exitCode: 0 });
    expect(cacheEntries(home)).toEqual(entries);
  });

  it('a damaged entry is rejected by V8, the command runs as usual, and the entry is rewritten', () => {
    const home = tempDir('vericode-cache-');
    const env = { HOME: home };
    runBin(['--version'], { env });
    for (const entry of cacheEntries(home)) writeFileSync(entry, 'not compiled code');
    expect(runBin(['--version'], { env })).toEqual({ stdout: '0.1.0\n', stderr: '', exitCode: 0 });
    for (const entry of cacheEntries(home)) expect(statSync(entry).size).toBeGreaterThan('not compiled code'.length);
  });

  it('is not used with NODE_DISABLE_COMPILE_CACHE=1, or with VERICODE_DEBUG=1 (stack traces from source)', () => {
    for (const extra of [{ NODE_DISABLE_COMPILE_CACHE: '1' }, { VERICODE_DEBUG: '1' }] as Record<string, string>[]) {
      const home = tempDir('vericode-cache-');
      expect(runBin(['--version'], { env: { HOME: home, ...extra } }).exitCode).toBe(0);
      expect(() => statSync(join(home, '.cache', 'vericode'))).toThrow(/ENOENT/);
    }
  });

  it('a cache location that cannot be made does not stop a command', () => {
    const home = tempDir('vericode-cache-');
    writeFileSync(join(home, 'file'), '');
    expect(runBin(['--version'], { env: { HOME: home, XDG_CACHE_HOME: join(home, 'file') } })).toEqual({ stdout: '0.1.0\n', stderr: '', exitCode: 0 });
  });
});

describe('compileCacheDirectory', () => {
  it('makes ${XDG_CACHE_HOME}/vericode/compile-cache/<node and V8 version>, 0700', () => {
    const base = tempDir('vericode-cache-');
    const directory = compileCacheDirectory({ XDG_CACHE_HOME: base }, UID);
    expect(directory).toBe(join(base, 'vericode', 'compile-cache', `node-${process.version}-v8-${process.versions.v8}-${process.arch}`));
    expect(statSync(directory!).mode & 0o777).toBe(0o700);
  });

  it('refuses a directory others can write to, or that someone else owns', () => {
    const base = tempDir('vericode-cache-');
    const directory = compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)!;
    chmodSync(directory, 0o777);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)).toBeUndefined();
    chmodSync(directory, 0o700);
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, (UID ?? 0) + 1)).toBeUndefined();
    expect(compileCacheDirectory({ XDG_CACHE_HOME: base }, UID)).toBe(directory);
  });

  it('gives up where a directory cannot be made', () => {
    const base = tempDir('vericode-cache-');
    writeFileSync(join(base, 'file'), '');
    expect(compileCacheDirectory({ XDG_CACHE_HOME: join(base, 'file') }, UID)).toBeUndefined();
  });
});
