// An input file the user may not read: a clear error naming the file (exit 2), and
// nothing registered.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { unprivileged, unprivilegedHome } from '../helpers/unprivileged.js';

describe('an unreadable input file', () => {
  it('is exit 2 naming the file, and nothing is registered', () => {
    const { env, home } = unprivilegedHome();
    const locked = join(home, 'locked.pem');
    writeFileSync(locked, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    chmodSync(locked, 0o000);
    expect(runBin(['init', '-q'], { env, ...unprivileged }).exitCode).toBe(0);

    const run = runBin(['ca-certificates', 'create', '-c', locked, '--verified'], { env, ...unprivileged });
    expect(run).toEqual({ stdout: '', stderr: `peridio: error: cannot read CA certificate ${locked}: permission denied\n`, exitCode: 2 });
    expect(runBin(['ca-certificates', 'list', '-q'], { env, ...unprivileged }).stdout).toBe('');
  });
});
