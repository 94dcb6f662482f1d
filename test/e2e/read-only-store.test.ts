// A store whose directory the user cannot write: SQLite cannot create the WAL, so
// the command must fail clearly (exit 7) and leave the store as it was. Tests run as
// root in CI, and root ignores permissions, so there the command runs as nobody.
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

describe('a read-only store directory', () => {
  it('fails with exit 7 naming the directory, and changes nothing', () => {
    const base = tempDir('vericode-ro-');
    chmodSync(base, 0o755);
    const dir = join(base, 'store');
    mkdirSync(dir, { mode: 0o700 });
    const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
    if (asRoot) chownSync(dir, NOBODY, NOBODY);
    const keyFile = join(dir, 'store.key');
    const storePath = join(dir, 'store.db');
    writeFileSync(keyFile, `${'e'.repeat(64)}\n`, { mode: 0o600 });
    if (asRoot) chownSync(keyFile, NOBODY, NOBODY);
    const env = { HOME: dir, VERICODE_STORE: storePath, VERICODE_KEY_FILE: keyFile };
    expect(runBin(['init'], { env, ...user }).exitCode).toBe(0);
    const before = readFileSync(storePath);

    chmodSync(dir, 0o500);
    const run = runBin(['verification-codes', 'create'], { env, ...user });
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`peridio: error: cannot open store ${storePath} for writing: attempt to write a readonly database\nperidio: hint: check that you can write to ${dir} and the store file\n`);
    expect(run.exitCode).toBe(7);
    expect(readFileSync(storePath)).toEqual(before);
  });
});
