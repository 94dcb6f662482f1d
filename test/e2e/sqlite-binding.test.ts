/**
 * A SQLite addon that does not load (built for another Node: "module did not
 * self-register", a wrong NODE_MODULE_VERSION; damaged; missing) is its own error
 * naming the cause and the fix, and no store file is left behind. The built command is
 * copied beside a package whose addon is broken, as an install that outlived its Node.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddonFile } from '../../src/store/sqlite.js';
import { REPO_ROOT } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const NODE24_ADDON = join(REPO_ROOT, 'build', 'node24', 'addon', 'build', 'Release', 'better_sqlite3.node');
const HINT = `peridio: hint: rebuild it for this node (${process.version}) with: npm rebuild better-sqlite3-multiple-ciphers; or use the release executable (vericode-linux-x64), which carries its own\n`;

/** A copy of the built command whose SQLite package holds `addon` (or no addon). */
function installWithAddon(addon: string | undefined): { bin: string; addonPath: string } {
  const root = tempDir('vericode-binding-');
  cpSync(join(REPO_ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO_ROOT, 'dist', 'cli'), join(root, 'dist', 'cli'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'package.json'), join(root, 'package.json'));
  const pkg = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
  mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'node_modules', 'better-sqlite3-multiple-ciphers', 'package.json'), join(pkg, 'package.json'));
  const addonPath = join(pkg, 'build', 'Release', 'better_sqlite3.node');
  if (addon !== undefined) writeFileSync(addonPath, addon);
  return { bin: join(root, 'bin', 'peridio.js'), addonPath };
}

function run(bin: string, args: string[], home: string) {
  const result = spawnSync(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8', input: '' });
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.status };
}

describe('a SQLite addon that does not load', () => {
  it('a damaged addon: exit 7 naming the file, the cause and the fix; no store file made', () => {
    const { bin, addonPath } = installWithAddon('not a shared object');
    const home = tempDir('vericode-binding-home-');
    const result = run(bin, ['ca-certificates', 'verification-codes', 'create'], home);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^peridio: error: cannot load the sqlite binding ${addonPath.replaceAll('/', '\\/')}: .*(invalid elf header|file too short).*\\n`),
    );
    expect(result.stderr.endsWith(HINT)).toBe(true);
    expect(result.exitCode).toBe(7);
    expect(existsSync(join(home, '.local', 'share', 'vericode', 'store.db'))).toBe(false);
  });

  it('a missing addon says the install did not compile it', () => {
    const { bin, addonPath } = installWithAddon(undefined);
    const home = tempDir('vericode-binding-home-');
    const result = run(bin, ['init'], home);
    expect(result).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot load the sqlite binding ${addonPath}: it is missing: the install did not compile it\n${HINT}`,
      exitCode: 7,
    });
    expect(existsSync(join(home, '.local', 'share', 'vericode', 'store.db'))).toBe(false);
  });

  it('--version still answers, saying why SQLite is unavailable', () => {
    const { bin, addonPath } = installWithAddon(undefined);
    const result = run(bin, ['--version', '--json'], tempDir('vericode-binding-home-'));
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      sqlite: null,
      sqlite3mc: null,
      sqlite_error: `cannot load the sqlite binding ${addonPath}: it is missing: the install did not compile it`,
    });
  });

  // The Node 24 addon that scripts/node24.mjs builds (CI builds it before the suite).
  it.runIf(existsSync(NODE24_ADDON) && process.versions.node.split('.')[0] !== '24')('an addon built for another Node says so', () => {
    expect(() => loadAddonFile(NODE24_ADDON)).toThrowError(
      expect.objectContaining({
        code: 'sqlite_unavailable',
        message: `cannot load the sqlite binding ${NODE24_ADDON}: it was built for another version of node (node_module_version 137; this node needs ${process.versions.modules})`,
      }),
    );
  });
});
