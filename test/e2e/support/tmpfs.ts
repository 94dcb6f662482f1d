/**
 * Small tmpfs mounts, for what only a real file system shows: a full disk, read-only
 * media. Mounting needs root with CAP_SYS_ADMIN; `canMountTmpfs` says whether this
 * machine allows it, so the tests that need it run where they can.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asRoot } from '../../helpers/unprivileged.js';

/** Mounts a tmpfs of `size` (as mount(8) spells it, e.g. `1m`) on `dir`. */
export function mountTmpfs(dir: string, size: string): boolean {
  return asRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]).status === 0;
}

/** Makes the tmpfs on `dir` read-only. */
export function remountReadOnly(dir: string): boolean {
  return spawnSync('mount', ['-o', 'remount,ro', dir]).status === 0;
}

export function unmount(dir: string): void {
  spawnSync('umount', [dir]);
}

/** Whether this machine lets the tests mount a tmpfs. */
export const canMountTmpfs = ((): boolean => {
  const probe = mkdtempSync(join(tmpdir(), 'vericode-mount-probe-'));
  try {
    if (!mountTmpfs(probe, '64k')) return false;
    unmount(probe);
    return true;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();
