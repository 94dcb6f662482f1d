// A store on read-only media: reading commands work, writing ones fail with exit 7
// and a clear message, and nothing is written beside the store. Root ignores file
// modes, so the CLI runs as nobody when the tests run as root.
import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { unprivileged as ids, unprivilegedHome } from '../helpers/unprivileged.js';
import { peridio, requireBuild } from './support/processes.js';
import { canMountTmpfs, mountTmpfs, remountReadOnly, unmount } from './support/tmpfs.js';

/** An initialized store with a code in it, owned by the CLI's user. */
async function storeWithData() {
  requireBuild();
  const h = unprivilegedHome();
  const env = { ...process.env, ...h.env, HOME: h.home, CI: 'true' };
  expect((await peridio(['init'], env, ids)).exitCode).toBe(0);
  const issued = await peridio(['verification-codes', 'create', '--json'], env, ids);
  expect(issued.exitCode, issued.stderr).toBe(0);
  return { ...h, env, codeId: JSON.parse(issued.stdout).id as string };
}

const writeRefused = (storePath: string): string =>
  `peridio: error: store ${storePath} is read-only: this command changes it\nperidio: hint: reading commands (list, get, store info, audit verify/list/export, store backup) work on a read-only store; to change it, make ${storePath} and ${dirname(storePath)} writable\n`;

describe.each([
  ['a read-only directory and file', { dir: 0o500, file: 0o400 }],
  ['a read-only directory', { dir: 0o500, file: 0o600 }],
  ['a read-only file', { dir: 0o700, file: 0o400 }],
])('a store in %s', (_what, modes) => {
  it('serves every reading command, refuses writing ones with exit 7, and changes nothing', async () => {
    const h = await storeWithData();
    const storeDir = dirname(h.storePath);
    chmodSync(h.storePath, modes.file);
    chmodSync(storeDir, modes.dir);
    const before = readFileSync(h.storePath);
    try {
      for (const args of [
        ['verification-codes', 'list'],
        ['verification-codes', 'get', h.codeId],
        ['ca-certificates', 'list'],
        ['organizations', 'list'],
        ['store', 'info'],
        ['audit', 'verify'],
        ['audit', 'list'],
        ['audit', 'export'],
      ]) {
        const run = await peridio(args, h.env, ids);
        expect({ args, exitCode: run.exitCode, stderr: run.stderr }).toEqual({ args, exitCode: 0, stderr: '' });
      }

      const out = join(h.home, 'backup.db');
      const backup = await peridio(['store', 'backup', '--out', out, '-q'], h.env, ids);
      expect(backup).toEqual({
        exitCode: 0,
        stdout: `${out}\n`,
        stderr: 'peridio: warning: the store is read-only: this backup is not recorded in its audit log (no store.backup event)\n',
      });
      const copy = await peridio(['audit', 'verify', '--json'], { ...h.env, XDG_DATA_HOME: '', VERICODE_STORE: out }, ids);
      expect(copy.exitCode, copy.stderr).toBe(0);
      expect(JSON.parse(copy.stdout).events).toBe(2);

      for (const args of [
        ['verification-codes', 'create'],
        ['codes', 'short', '--user', 'u', '--purpose', 'p'],
        ['store', 'purge'],
      ]) {
        expect(await peridio(args, h.env, ids)).toEqual({ exitCode: 7, stdout: '', stderr: writeRefused(h.storePath) });
      }
      expect(await peridio(['store', 'rekey', '--new-key-file', join(h.home, 'new.key')], h.env, ids)).toMatchObject({
        exitCode: 7,
        stderr: writeRefused(h.storePath),
      });
    } finally {
      chmodSync(storeDir, 0o700);
    }
    expect(readFileSync(h.storePath)).toEqual(before);
    if (modes.dir === 0o500) expect(readdirSync(storeDir)).toEqual(['store.db']);
  });
});

describe.runIf(canMountTmpfs)('a store on a read-only file system (EROFS, as root)', () => {
  it('serves reading commands and a backup elsewhere; writing commands fail with exit 7', async () => {
    requireBuild();
    const home = tempDir('vericode-rofs-');
    const media = join(home, 'media');
    mkdirSync(media);
    expect(mountTmpfs(media, '4m')).toBe(true);
    try {
      const env = { ...process.env, HOME: home, CI: 'true' };
      const storePath = join(media, 'store.db');
      expect((await peridio(['init', '--store', storePath, '-q'], env)).exitCode).toBe(0);
      const withStore = { ...env, VERICODE_STORE: storePath };
      expect((await peridio(['verification-codes', 'create', '-q'], withStore)).exitCode).toBe(0);
      expect(remountReadOnly(media)).toBe(true);
      for (const args of [
        ['verification-codes', 'list'],
        ['store', 'info'],
        ['audit', 'verify'],
        ['audit', 'export'],
      ]) {
        const run = await peridio(args, withStore);
        expect({ args, exitCode: run.exitCode, stderr: run.stderr }).toEqual({ args, exitCode: 0, stderr: '' });
      }
      const out = join(home, 'backup.db');
      expect((await peridio(['store', 'backup', '--out', out, '-q'], withStore)).exitCode).toBe(0);
      expect(await peridio(['verification-codes', 'create'], withStore)).toEqual({ exitCode: 7, stdout: '', stderr: writeRefused(storePath) });
    } finally {
      unmount(media);
    }
  });
});
