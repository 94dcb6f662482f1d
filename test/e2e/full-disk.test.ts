// Issue 10: `init` on a full disk exited 1 and left a 0-byte key file that blocked
// every later run. On a real full file system (a 64 KiB tmpfs, which needs root) it
// now fails with a clear error, leaves no file behind, and succeeds once there is room.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { asRoot } from '../helpers/unprivileged.js';
import { peridio, requireBuild } from './support/processes.js';

function mountTinyTmpfs(dir: string): boolean {
  return asRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dir]).status === 0;
}

/** Every regular file under `dir`, relative to it, but for Node's compile cache. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).filter((name) => name !== '.cache').flatMap((name) => {
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

/** Whether this machine lets the tests mount a tmpfs (root, with CAP_SYS_ADMIN). */
const canMount = ((): boolean => {
  const probe = mkdtempSync(join(tmpdir(), 'vericode-mount-probe-'));
  try {
    return mountTinyTmpfs(probe) && spawnSync('umount', [probe]).status === 0;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

describe.runIf(canMount)('init on a full disk', () => {
  it('fails with a clear error, leaves nothing that blocks the next run, and then succeeds', async () => {
    requireBuild();
    const home = tempDir('vericode-full-');
    expect(mountTinyTmpfs(home)).toBe(true);
    try {
      fill(home);
      const env = { ...process.env, HOME: home, CI: 'true' };
      const keyFile = join(home, '.config', 'vericode', 'store.key');
      expect(await peridio(['init'], env)).toEqual({ exitCode: 2, stdout: '', stderr: `peridio: error: cannot create key file ${keyFile}: no space left on the device\n` });
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
      spawnSync('umount', [home]);
    }
  });
});
