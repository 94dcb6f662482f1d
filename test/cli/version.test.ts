/**
 * `-V` as the Peridio CLI prints it (name and version), and `--version` with what a bug
 * report needs: Node, the platform, SQLite and SQLite3 Multiple Ciphers.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/store/sqlite.js';
import { cliSession } from '../helpers/run-cli.js';

/** The versions, asked of SQLite directly. */
function sqliteVersions(): { sqlite: string; sqlite3mc: string } {
  const db = new Database(':memory:');
  try {
    const row = db.prepare('SELECT sqlite_version() AS s, sqlite3mc_version() AS m').get() as { s: string; m: string };
    return { sqlite: row.s, sqlite3mc: row.m.replace('SQLite3 Multiple Ciphers ', '') };
  } finally {
    db.close();
  }
}

describe('-V and --version', () => {
  it('-V prints the name and version only', async () => {
    const s = cliSession();
    expect(await s.run(['-V'])).toEqual({ stdout: 'vericode 0.1.0\n', stderr: '', exitCode: 0 });
  });

  it('--version adds Node, the platform, the SQLite versions and the kind of build, and makes no store', async () => {
    const s = cliSession();
    const { sqlite, sqlite3mc } = sqliteVersions();
    expect(sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(await s.run(['--version'])).toEqual({
      stdout: [
        'vericode 0.1.0',
        `node       ${process.versions.node}`,
        `platform   ${process.platform}-${process.arch}`,
        `sqlite     ${sqlite}`,
        `sqlite3mc  ${sqlite3mc}`,
        'build      npm',
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    expect(existsSync(s.storePath)).toBe(false);
  });

  it('--version --json (and -V --json) print one JSON document', async () => {
    const s = cliSession();
    const expected = {
      name: 'vericode',
      version: '0.1.0',
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      ...sqliteVersions(),
      sqlite_error: null,
      release_executable: false,
    };
    for (const args of [
      ['--version', '--json'],
      ['--json', '--version'],
      ['-V', '--json'],
    ]) {
      const run = await s.run(args);
      expect(run).toEqual({ stdout: `${JSON.stringify(expected)}\n`, stderr: '', exitCode: 0 });
    }
  });

  it('-V before a command still only prints the version', async () => {
    const s = cliSession();
    expect(await s.run(['-V', 'store', 'info'])).toEqual({ stdout: 'vericode 0.1.0\n', stderr: '', exitCode: 0 });
    expect(existsSync(s.storePath)).toBe(false);
  });
});
