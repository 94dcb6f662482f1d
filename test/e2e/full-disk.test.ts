// Issue 10: `init` on a full disk exited 1 and left a 0-byte key file that blocked
// every later run. On a real full file system (a 1 MiB tmpfs, which needs root) it
// now fails with a clear error, leaves no file behind, and succeeds once there is room.
import { readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { peridio, requireBuild } from './support/processes.js';
import { canMountTmpfs, mountTmpfs, unmount } from './support/tmpfs.js';

/** Every regular file under `dir`, relative to it, but for Node's compile cache. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .filter((name) => name !== '.cache')
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path, `${prefix}${name}/`) : [`${prefix}${name}`];
    });
}

/** Fills the file system holding `dir` until a write fails with ENOSPC. */
function fill(dir: string): void {
  try {
    writeFileSync(join(dir, 'filler'), Buffer.alloc(1 << 20));
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
}

describe.runIf(canMountTmpfs)('init on a full disk', () => {
  it('fails with a clear error, leaves nothing that blocks the next run, and then succeeds', async () => {
    requireBuild();
    const home = tempDir('vericode-full-');
    expect(mountTmpfs(home, '1m')).toBe(true);
    try {
      fill(home);
      const env = { ...process.env, HOME: home, CI: 'true' };
      const keyFile = join(home, '.config', 'vericode', 'store.key');
      expect(await peridio(['init'], env)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `peridio: error: cannot create key file ${keyFile}: no space left on the device\n`,
      });
      expect(filesUnder(home)).toEqual(['filler']);

      // Room for the key file, not for the store: init removes the key file it made.
      truncateSync(join(home, 'filler'), statSync(join(home, 'filler')).size - 8192);
      const storePath = join(home, '.local', 'share', 'vericode', 'store.db');
      expect(await peridio(['init'], env)).toEqual({
        exitCode: 7,
        stdout: '',
        stderr: `peridio: error: cannot create store ${storePath}: database or disk is full\nperidio: hint: check that ${join(home, '.local', 'share', 'vericode')} is writable and has free space\n`,
      });
      expect(filesUnder(home)).toEqual(['filler']);

      rmSync(join(home, 'filler'));
      const retry = await peridio(['init', '-q'], env);
      expect(retry.exitCode, retry.stderr).toBe(0);
      expect(filesUnder(home).sort()).toEqual(['.config/vericode/store.key', '.local/share/vericode/store.db']);
    } finally {
      unmount(home);
    }
  });
});
