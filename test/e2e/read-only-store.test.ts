// A store whose directory the user cannot write: SQLite cannot create the WAL, so
// the command must fail clearly (exit 7) and leave the store as it was.
import { chmodSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { unprivileged, unprivilegedHome } from '../helpers/unprivileged.js';

describe('a read-only store directory', () => {
  it('fails with exit 7 naming the directory, and changes nothing', () => {
    const { env, storePath } = unprivilegedHome();
    expect(runBin(['init'], { env, ...unprivileged }).exitCode).toBe(0);
    const before = readFileSync(storePath);

    chmodSync(dirname(storePath), 0o500);
    const run = runBin(['verification-codes', 'create'], { env, ...unprivileged });
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot open store ${storePath} for writing: attempt to write a readonly database\nperidio: hint: check that you can write to ${dirname(storePath)} and the store file\n`,
      exitCode: 7,
    });
    expect(readFileSync(storePath)).toEqual(before);
  });
});
