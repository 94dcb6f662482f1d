// An input file the user may not read: a clear error naming the file (exit 2), and
// nothing registered. Tests run as root in CI, and root reads anything, so there the
// command runs as nobody.
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

describe('an unreadable input file', () => {
  it('is exit 2 naming the file, and nothing is registered', () => {
    const base = tempDir('vericode-unreadable-');
    chmodSync(base, 0o755);
    const home = join(base, 'home');
    mkdirSync(home, { mode: 0o700 });
    const user = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
    if (asRoot) chownSync(home, NOBODY, NOBODY);
    const env = { HOME: home };
    const locked = join(base, 'locked.pem');
    writeFileSync(locked, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', { mode: 0o000 });
    chmodSync(locked, 0o000);
    expect(runBin(['init', '-q'], { env, ...user }).exitCode).toBe(0);

    const run = runBin(['ca-certificates', 'create', '-c', locked, '--verified'], { env, ...user });
    expect(run).toEqual({ stdout: '', stderr: `peridio: error: cannot read CA certificate ${locked}: permission denied\n`, exitCode: 2 });
    expect(runBin(['ca-certificates', 'list', '-q'], { env, ...user }).stdout).toBe('');
  });
});
