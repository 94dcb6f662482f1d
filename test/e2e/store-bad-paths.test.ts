/**
 * Paths the user cannot write or read, with the built CLI. Root ignores file
 * permissions, so when the tests run as root the CLI runs as `nobody` (65534) in a
 * home that nobody owns, while the unwritable and unreadable paths stay root's.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliHome } from '../helpers/run-cli.js';
import { asRoot, unprivileged as ids, unprivilegedHome } from '../helpers/unprivileged.js';
import { peridio, requireBuild } from './support/processes.js';

/** A home with an initialized store, owned by the user the CLI will run as. */
async function home(): Promise<CliHome & { env: NodeJS.ProcessEnv }> {
  const h = unprivilegedHome();
  const env = { ...process.env, ...h.env, HOME: h.home };
  expect((await peridio(['init'], env, ids)).exitCode).toBe(0);
  return { ...h, env };
}

/** A directory the CLI's user may read but not write (owned by root when running as root). */
function readOnlyDirectory(parent: string): string {
  const dir = join(parent, 'read-only');
  mkdirSync(dir, { mode: 0o755 });
  if (!asRoot) chmodSync(dir, 0o555);
  return dir;
}

async function expectStoreIntact(h: CliHome & { env: NodeJS.ProcessEnv }): Promise<void> {
  const verify = await peridio(['audit', 'verify', '-q'], h.env, ids);
  expect(verify.exitCode, verify.stderr).toBe(0);
}

describe('unwritable and unreadable paths', () => {
  it('store backup --out into a read-only directory: exit 2, nothing written', async () => {
    requireBuild();
    const h = await home();
    const dir = readOnlyDirectory(h.home);
    const out = join(dir, 'backup.db');
    const run = await peridio(['store', 'backup', '--out', out], h.env, ids);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `peridio: error: cannot write backup ${out}: permission denied\nperidio: hint: check that you can write to ${dir}\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
    await expectStoreIntact(h);
  });

  it('store backup --out onto an existing read-only file: exit 5, the file untouched', async () => {
    requireBuild();
    const h = await home();
    const out = join(h.home, 'old-backup.db');
    writeFileSync(out, 'an older backup', { mode: 0o400 });
    const run = await peridio(['store', 'backup', '--out', out], h.env, ids);
    expect(run.exitCode).toBe(5);
    expect(run.stderr).toBe(
      `peridio: error: ${out} already exists: backups never overwrite a file\nperidio: hint: choose a new --out path, or move the old file away first\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('an older backup');
  });

  it('store rekey with an unreadable new key file: exit 2, the store keeps its key', async () => {
    requireBuild();
    const h = await home();
    const keyFile = join(h.home, 'unreadable.key');
    writeFileSync(keyFile, `${'ef'.repeat(32)}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o000);
    const before = readFileSync(h.storePath);
    const run = await peridio(['store', 'rekey', '--new-key-file', keyFile], h.env, ids);
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `peridio: error: cannot read key file ${keyFile}: permission denied\nperidio: hint: pass an existing key file with --key-file or VERICODE_KEY_FILE\n`,
    });
    expect(readFileSync(h.storePath).equals(before)).toBe(true);
    await expectStoreIntact(h);
  });

  it('store rekey with a new key file in a read-only directory: exit 2, no key file, the store keeps its key', async () => {
    requireBuild();
    const h = await home();
    const dir = readOnlyDirectory(h.home);
    const keyFile = join(dir, 'new.key');
    const run = await peridio(['store', 'rekey', '--new-key-file', keyFile], h.env, ids);
    expect(run).toEqual({ exitCode: 2, stdout: '', stderr: `peridio: error: cannot create key file ${keyFile}: permission denied\n` });
    expect(existsSync(keyFile)).toBe(false);
    await expectStoreIntact(h);
  });
});
