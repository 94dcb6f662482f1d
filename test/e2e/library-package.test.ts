/**
 * The README's library snippet, as a user of the package would run it: `npm pack`,
 * the tarball unpacked into a separate package's node_modules (offline: its
 * dependencies are linked from this checkout), type-checked with
 * `moduleResolution: node`, compiled and run (issue 11).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

/** The ```ts block of the README's "## Library" section. */
function librarySnippet(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Library\n'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```ts block under ## Library');
  return match[1]!;
}

/** A package that depends on vericode, installed from the tarball `npm pack` makes. */
function consumerPackage(): string {
  const dir = tempDir('vericode-consumer-');
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' }),
  ) as Array<{ filename: string }>;
  const installed = join(dir, 'node_modules', 'vericode');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(dir, packed[0]!.filename), '-C', installed, '--strip-components=1']);
  // Offline: the package's dependencies (and @types/node for tsc) come from this checkout.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(installed, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { vericode: '*' } }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node',
        target: 'ES2022',
        strict: true,
        outDir: 'out',
        typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['snippet.ts'],
    }),
  );
  return dir;
}

describe('the library, from a separate package', () => {
  it('type-checks with moduleResolution node and runs the README snippet as written', () => {
    const dir = consumerPackage();
    writeFileSync(join(dir, 'snippet.ts'), librarySnippet());
    const tsc = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, [join(dir, 'out', 'snippet.js')], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^[A-Za-z0-9]{32} \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\nnot_found: organization prn:1:00000000-0000-4000-8000-000000000000 not found\n$/,
    );
    expect(run.status).toBe(0);
  }, 180_000);
});
