/** scripts/postgres-cluster.mjs finds PostgreSQL's binaries, or says how to install them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations.
import { findPostgresBin } from '../../scripts/postgres-cluster.mjs';
import { tempDir } from '../helpers/temp.js';

function fakeBin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'initdb'), '', { mode: 0o755 });
  return dir;
}

describe('postgres-cluster.mjs', () => {
  it('takes initdb from PATH first, else the newest Debian version', () => {
    const root = tempDir();
    const onPath = fakeBin(join(root, 'path-bin'));
    fakeBin(join(root, 'debian', '9', 'bin'));
    const newest = fakeBin(join(root, 'debian', '16', 'bin'));
    expect(findPostgresBin(`/nonexistent:${onPath}`, join(root, 'debian'))).toBe(onPath);
    expect(findPostgresBin('/nonexistent', join(root, 'debian'))).toBe(newest);
  });

  it('says how to install PostgreSQL when it is missing (the PostgreSQL tests then fail with this)', () => {
    const result = findPostgresBin('/nonexistent', join(tempDir(), 'none'));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(
      /^PostgreSQL is not installed: no initdb in PATH or .*\/none\/\*\/bin \(on Debian: apt-get install -y postgresql\)$/,
    );
  });
});
