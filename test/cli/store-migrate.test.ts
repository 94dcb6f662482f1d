import { createHash } from 'node:crypto';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { cliSession, type CliSession } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

function errorOutput(message: string, hint?: string): string {
  return `peridio: error: ${message}\n${hint === undefined ? '' : `peridio: hint: ${hint}\n`}`;
}

/** A store with a code of each kind and a failed redeem: every table holds a row. */
async function usedStore(): Promise<CliSession> {
  const s = cliSession();
  expect((await s.run(['init', '-q'])).exitCode).toBe(0);
  expect((await s.run(['verification-codes', 'create', '-q'])).exitCode).toBe(0);
  expect((await s.run(['codes', 'long', '--user', 'alice', '--purpose', 'add_credential', '--authorize', '-q'])).exitCode).toBe(0);
  expect((await s.run(['codes', 'redeem', '--user', 'alice', '--purpose', 'add_credential'], { stdin: 'B'.repeat(32) })).exitCode).toBe(3);
  return s;
}

async function head(s: CliSession, env: Record<string, string> = {}): Promise<{ events: number; head_hash: string }> {
  const run = await s.run(['audit', 'verify', '--json'], { env });
  expect(run.exitCode, run.stderr).toBe(0);
  const { events, head_hash } = JSON.parse(run.stdout) as { events: number; head_hash: string };
  return { events, head_hash };
}

/** A key file named `name` in `dir`, holding 32 bytes of `byte` (hex), with `mode`. */
function keyFileIn(dir: string, name: string, byte: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, `${byte.repeat(32)}\n`, { mode });
  return path;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('peridio store migrate', () => {
  it('copies a store file into a new one and prints what it copied, one field a line when piped', async () => {
    const s = await usedStore();
    const before = await head(s);
    const target = join(tempDir(), 'copy.db');
    const run = await s.run(['store', 'migrate', '--to', target]);
    const after = await head(s, { VERICODE_STORE: target });
    expect(after.events).toBe(before.events + 1);
    expect(run).toEqual({
      stdout: [
        `source\t${s.storePath} (sqlite)`,
        `target\t${target} (sqlite)`,
        'meta\t3',
        'organizations\t1',
        'ca certificates\t0',
        'verification codes\t1',
        'one time codes\t1',
        'one time code attempts\t1',
        `audit events\t${before.events}`,
        `audit head\t${before.head_hash}`,
        `target audit head\t${after.head_hash} (store.migrate, event ${after.events})`,
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
    // The copy is the same store: the same records, the source's log, and its own last event.
    const list = (env: Record<string, string>) => s.run(['codes', 'list', '--json'], { env });
    expect(await list({ VERICODE_STORE: target })).toEqual(await list({}));
    const newest = JSON.parse((await s.run(['audit', 'list', '--limit', '1', '--json'], { env: { VERICODE_STORE: target } })).stdout) as {
      items: Array<Record<string, unknown>>;
    };
    expect(newest.items[0]).toMatchObject({
      seq: after.events,
      action: 'store.migrate',
      prev_hash: before.head_hash,
      details: { from: s.storePath, from_kind: 'sqlite', audit_events: before.events, audit_head_hash: before.head_hash },
    });
  });

  it('prints the counts per table and both heads as JSON, and the target with -q', async () => {
    const s = await usedStore();
    const before = await head(s);
    const dir = tempDir();
    const run = await s.run(['store', 'migrate', '--to', join(dir, 'copy.db'), '--json']);
    expect(run.exitCode, run.stderr).toBe(0);
    const after = await head(s, { VERICODE_STORE: join(dir, 'copy.db') });
    expect(JSON.parse(run.stdout)).toEqual({
      source: { location: s.storePath, kind: 'sqlite', audit: before },
      target: { location: join(dir, 'copy.db'), kind: 'sqlite', audit: after },
      tables: {
        meta: 3,
        organizations: 1,
        ca_certificates: 0,
        verification_codes: 1,
        one_time_codes: 1,
        one_time_code_attempts: 1,
        audit_events: before.events,
      },
      audit: before,
      migrated_at: '2025-01-01T00:00:00Z',
    });
    expect(await s.run(['store', 'migrate', '--to', join(dir, 'quiet.db'), '-q'])).toEqual({ stdout: `${join(dir, 'quiet.db')}\n`, stderr: '', exitCode: 0 });
  });

  it('never changes the source: the same bytes before and after', async () => {
    const s = await usedStore();
    const before = sha256(s.storePath);
    expect((await s.run(['store', 'migrate', '--to', join(tempDir(), 'copy.db'), '-q'])).exitCode).toBe(0);
    expect(sha256(s.storePath)).toBe(before);
  });

  it("encrypts the copy with --to-key-file or --to-passphrase-file instead of the source's key", async () => {
    const s = await usedStore();
    const dir = tempDir();
    const keyFile = keyFileIn(dir, 'team.key', '5a');
    const passphraseFile = join(dir, 'passphrase');
    writeFileSync(passphraseFile, 'correct horse battery staple\n', { mode: 0o600 });
    expect((await s.run(['store', 'migrate', '--to', join(dir, 'keyed.db'), '--to-key-file', keyFile, '-q'])).exitCode).toBe(0);
    expect((await s.run(['store', 'migrate', '--to', join(dir, 'phrase.db'), '--to-passphrase-file', passphraseFile, '-q'])).exitCode).toBe(0);

    expect((await head(s, { VERICODE_STORE: join(dir, 'keyed.db'), VERICODE_KEY_FILE: keyFile })).events).toBeGreaterThan(1);
    expect((await head(s, { VERICODE_STORE: join(dir, 'phrase.db'), VERICODE_PASSPHRASE_FILE: passphraseFile })).events).toBeGreaterThan(1);
    const withSourceKey = await s.run(['store', 'info'], { env: { VERICODE_STORE: join(dir, 'keyed.db') } });
    expect(withSourceKey).toMatchObject({
      stdout: '',
      exitCode: 7,
      stderr: expect.stringContaining(`peridio: error: wrong passphrase or key for ${join(dir, 'keyed.db')}`),
    });
  });

  it('refuses a target that holds records (exit 5), and changes neither store', async () => {
    const s = await usedStore();
    const other = join(tempDir(), 'other.db');
    expect((await s.run(['init', '--store', other, '-q'])).exitCode).toBe(0);
    const before = [sha256(s.storePath), sha256(other)];
    expect(await s.run(['store', 'migrate', '--to', other])).toEqual({
      stdout: '',
      stderr: errorOutput(
        `the target ${other} is not empty: it holds settings, organizations, audit events`,
        'migrate into a new store file, or an empty PostgreSQL database',
      ),
      exitCode: 5,
    });
    expect([sha256(s.storePath), sha256(other)]).toEqual(before);
  });

  it('refuses the store itself as the target (exit 2), by any path', async () => {
    const s = await usedStore();
    const link = join(tempDir(), 'link.db');
    symlinkSync(s.storePath, link);
    for (const to of [s.storePath, link]) {
      expect(await s.run(['store', 'migrate', '--to', to])).toEqual({
        stdout: '',
        stderr: errorOutput(
          `--to ${to} is the store being copied`,
          'name a new file or another database; the store in use is chosen with --store or VERICODE_STORE (see peridio store info)',
        ),
        exitCode: 2,
      });
    }
  });

  it('refuses a wrong key for an existing target (exit 7) and leaves it as it was', async () => {
    const s = await usedStore();
    const dir = tempDir();
    const keyFile = keyFileIn(dir, 'other.key', 'c3');
    const other = join(dir, 'other.db');
    expect((await s.run(['init', '--store', other, '-q'])).exitCode).toBe(0);
    const before = sha256(other);
    expect(await s.run(['store', 'migrate', '--to', other, '--to-key-file', keyFile])).toEqual({
      stdout: '',
      stderr: errorOutput(
        `wrong passphrase or key for ${other} (tried the key file ${keyFile})`,
        'the target is a store under another key: pass its key with --to-key-file or --to-passphrase-file (the default is the key of the store being copied), or migrate into a new file or an empty database',
      ),
      exitCode: 7,
    });
    expect(sha256(other)).toBe(before);
  });

  it('refuses a target file that is not a store (exit 7) and leaves it as it was', async () => {
    const s = await usedStore();
    const notes = join(tempDir(), 'notes.txt');
    writeFileSync(notes, 'not a store\n');
    const run = await s.run(['store', 'migrate', '--to', notes]);
    expect(run).toMatchObject({
      stdout: '',
      exitCode: 7,
      stderr: expect.stringMatching(new RegExp(`^peridio: error: ${notes.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a vericode store`)),
    });
    expect(readFileSync(notes, 'utf8')).toBe('not a store\n');
  });

  it('refuses bad key flags (exit 2) and creates nothing', async () => {
    const s = await usedStore();
    const dir = tempDir();
    const target = join(dir, 'copy.db');
    const missing = join(dir, 'missing.key');
    expect(await s.run(['store', 'migrate', '--to', target, '--to-key-file', missing])).toEqual({
      stdout: '',
      stderr: errorOutput(`cannot read key file ${missing}: no such file or directory`, 'pass an existing key file with --key-file or VERICODE_KEY_FILE'),
      exitCode: 2,
    });
    const both = await s.run(['store', 'migrate', '--to', target, '--to-key-file', missing, '--to-passphrase-file', missing]);
    expect(both).toMatchObject({
      stdout: '',
      exitCode: 2,
      stderr: expect.stringContaining("option '--to-key-file <path>' cannot be used with option '--to-passphrase-file <path>'"),
    });
    expect(await s.run(['store', 'migrate'])).toMatchObject({
      exitCode: 2,
      stderr: expect.stringContaining("required option '--to <url|path>' not specified"),
    });
    expect(existsSync(target)).toBe(false);
  });

  it('shows each table and each check on a terminal, then erases the line', async () => {
    const s = await usedStore();
    const { events } = await head(s);
    const run = await s.run(['store', 'migrate', '--to', join(tempDir(), 'copy.db')], { tty: true });
    const erase = '\r\x1b[2K';
    const rows: Array<[string, number]> = [
      ['meta', 3],
      ['organizations', 1],
      ['ca certificates', 0],
      ['verification codes', 1],
      ['one time codes', 1],
      ['one time code attempts', 1],
      ['audit events', events],
    ];
    const lines = [
      ...rows.flatMap(([table, n]) => [`migrate: copying ${table}: 0 rows`, ...(n > 0 ? [`migrate: copying ${table}: ${n} rows`] : [])]),
      `migrate: checking the source's audit log: 0 of ${events} events`,
      `migrate: checking the target's audit log: 0 of ${events} events`,
    ];
    expect({ stderr: run.stderr, exitCode: run.exitCode }).toEqual({
      stderr: `${lines.map((line) => `${erase}peridio: ${line}`).join('')}${erase}`,
      exitCode: 0,
    });
  });

  it("warns when the target's key file is readable by other users", async () => {
    const s = await usedStore();
    const dir = tempDir();
    const keyFile = keyFileIn(dir, 'shared.key', '5a', 0o644);
    const run = await s.run(['store', 'migrate', '--to', join(dir, 'copy.db'), '--to-key-file', keyFile, '-q']);
    expect(run).toEqual({
      stdout: `${join(dir, 'copy.db')}\n`,
      stderr: `peridio: warning: ${keyFile} is readable by other users: run chmod 600 ${keyFile}\n`,
      exitCode: 0,
    });
  });

  it('refuses to make a store on first use only to copy it (exit 7)', async () => {
    const s = cliSession();
    const target = join(tempDir(), 'copy.db');
    expect(await s.run(['store', 'migrate', '--to', target])).toEqual({
      stdout: '',
      stderr: errorOutput(`no store at ${s.storePath} to migrate`, 'name the store to copy with --store or VERICODE_STORE'),
      exitCode: 7,
    });
    expect([existsSync(s.storePath), existsSync(target)]).toEqual([false, false]);
  });

  it('documents its examples and exit codes in --help', async () => {
    const run = await cliSession().run(['store', 'migrate', '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      [
        'Examples:',
        '  $ peridio store migrate --to postgres://vericode@db.example.com:5432/vericode',
        '  $ VERICODE_STORE=postgres://vericode@db.example.com/vericode peridio store migrate --to ./store-copy.db --json',
        '  $ peridio store migrate --to postgres://vericode@db.example.com/vericode --to-key-file /run/secrets/team.key',
        '',
        'Exit codes:',
        '  0  success',
        '  1  unexpected failure (please report it)',
        '  2  bad flag, argument or input',
        "  3  the audit log does not verify on one side (nothing is copied when the source's chain is broken)",
        '  5  the target already holds records',
        '  7  store locked (wrong or missing key) or unreadable',
        '  7  the target: a wrong key, not a vericode store, or a database that cannot be reached',
      ].join('\n'),
    );
  });

  it('refuses a source whose audit log is broken (exit 3) and removes the new file it made', async () => {
    const s = await usedStore();
    const source = await openSqliteStore(s.storePath, { mode: 'key-file', key: TEST_KEY });
    source.connection.db.prepare("UPDATE audit_events SET outcome = 'success' WHERE seq = 4").run();
    await source.close();
    const target = join(tempDir(), 'copy.db');
    expect(await s.run(['store', 'migrate', '--to', target])).toEqual({
      stdout: '',
      stderr: errorOutput(
        'audit log is broken at event 4: its contents do not match its hash',
        'the store was changed outside vericode; compare with a backup or an exported copy (peridio audit export)',
      ),
      exitCode: 3,
    });
    expect(existsSync(target)).toBe(false);
  });
});
