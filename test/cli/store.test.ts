import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { resolveOrganizationId } from '../../src/core/organizations.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY } from '../helpers/store.js';
import { cliHome, runCli, scriptedPrompter, type CliHome } from '../helpers/run-cli.js';

async function initialized(): Promise<CliHome> {
  const home = cliHome();
  expect((await runCli(['init'], { env: home.env })).exitCode).toBe(0);
  return home;
}

describe('peridio store info', () => {
  it('prints one field per line when piped', async () => {
    const home = await initialized();
    const run = await runCli(['store', 'info'], { env: home.env });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        `path\t${home.storePath}`,
        'format\tsqlcipher-4',
        'key mode\tkey-file',
        `schema version\t${SCHEMA_VERSION}`,
        `size\t${statSync(home.storePath).size} bytes`,
        'free\t0 bytes',
        'organizations\t1',
        'ca certificates\t0 active, 0 inactive, 0 verified, 0 unverified',
        'verification codes\t0 active, 0 consumed, 0 expired',
        'one time codes\t0 active, 0 locked, 0 consumed, 0 invalidated, 0 expired',
        'audit events\t1',
        `audit head\t${JSON.parse((await runCli(['audit', 'verify', '--json'], { env: home.env })).stdout).head_hash}`,
        '',
      ].join('\n'),
    );
    expect(run.stdout).not.toContain(readFileSync(home.keyFile, 'utf8').trim());
  });
});

describe('peridio store purge', () => {
  it('reports what it removed', async () => {
    const home = await initialized();
    await runCli(['verification-codes', 'create', '--ttl', '5m'], { env: home.env });
    const later = fixedClock('2025-01-02T00:00:00Z');
    expect(await runCli(['store', 'purge', '--older-than', '1h'], { env: home.env, clock: later })).toEqual({
      stdout:
        'verification codes removed\t1\none time codes removed\t0\nspent before\t2025-01-01T23:00:00Z\nspace given back\t0 bytes\nfree inside the file\t0 bytes\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await runCli(['store', 'purge', '-q'], { env: home.env, clock: later })).toEqual({ stdout: '0\n', stderr: '', exitCode: 0 });
  });

  it('shows progress on a terminal, then erases it', async () => {
    const home = await initialized();
    const store = await openSqliteStore(home.storePath, { mode: 'key-file', key: TEST_KEY });
    try {
      const ctx = { store, clock: fixedClock(), random: seededRandom(8) };
      const organizationId = await resolveOrganizationId(ctx, undefined);
      await ctx.store.withBulkWrites(async () => {
        for (let i = 0; i < 1001; i += 1) await issueVerificationCode(ctx, { organizationId, ttlMs: 300_000 });
      });
    } finally {
      await store.close();
    }
    const run = await runCli(['store', 'purge', '--older-than', '1h'], { env: home.env, tty: true, clock: fixedClock('2025-01-02T00:00:00Z') });
    const erase = '\r\x1b[2K';
    expect(run.stderr).toBe(`${erase}peridio: purging: 1001 records removed${erase}`);
    expect(run.exitCode).toBe(0);
  });

  it.each(['soon', '-5d', '0d', '5', '1w', '1.5h', ''])('refuses --older-than %j (exit 2) and removes nothing', async (value) => {
    const home = await initialized();
    await runCli(['verification-codes', 'create', '--ttl', '5m'], { env: home.env });
    const later = fixedClock('2025-03-01T00:00:00Z');
    const run = await runCli(['store', 'purge', '--older-than', value], { env: home.env, clock: later });
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: invalid --older-than "${value}": expected a positive whole number followed by s, m, h or d\nperidio: hint: for example --older-than 90s, --older-than 5m, --older-than 24h or --older-than 7d\n`,
      exitCode: 2,
    });
    expect(JSON.parse((await runCli(['store', 'info', '--json'], { env: home.env, clock: later })).stdout).records.verification_codes).toEqual({
      active: 0,
      consumed: 0,
      expired: 1,
    });
  });
});

describe('peridio store backup', () => {
  it('writes the copy and prints its facts', async () => {
    const home = await initialized();
    const out = join(home.home, 'backup.db');
    const run = await runCli(['store', 'backup', '--out', out, '--json'], { env: home.env });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      path: out,
      bytes: statSync(out).size,
      audit: { events: 1, head_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      created_at: '2025-01-01T00:00:00Z',
      event_recorded: true,
    });
    const copy = await runCli(['audit', 'verify', '-q'], { env: { ...home.env, VERICODE_STORE: out } });
    expect(copy).toEqual({ stdout: `${JSON.parse(run.stdout).audit.head_hash}\n`, stderr: '', exitCode: 0 });
  });

  it('refuses an existing file (exit 5) and leaves it untouched', async () => {
    const home = await initialized();
    const out = join(home.home, 'taken.db');
    writeFileSync(out, 'precious');
    expect(await runCli(['store', 'backup', '--out', out], { env: home.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: ${out} already exists: backups never overwrite a file\nperidio: hint: choose a new --out path, or move the old file away first\n`,
      exitCode: 5,
    });
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });

  it('refuses a missing directory (exit 2) and needs --out', async () => {
    const home = await initialized();
    const out = join(home.home, 'missing', 'b.db');
    expect(await runCli(['store', 'backup', '--out', out], { env: home.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot write backup ${out}: directory ${join(home.home, 'missing')} does not exist\nperidio: hint: create the directory first, or choose another --out path\n`,
      exitCode: 2,
    });
    const run = await runCli(['store', 'backup'], { env: home.env });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^peridio: error: required option '--out <file>' not specified\n/);
  });

  it("refuses the store's -wal, -shm, -journal and rekey files (exit 2), which the store would delete later", async () => {
    const home = await initialized();
    for (const suffix of ['-wal', '-shm', '-journal', '.rekey']) {
      const out = `${home.storePath}${suffix}`;
      expect(await runCli(['store', 'backup', '--out', out], { env: home.env })).toEqual({
        stdout: '',
        stderr: `peridio: error: the backup ${out} would be ${out}, a file the store keeps beside it and deletes or replaces\nperidio: hint: choose another file for the backup\n`,
        exitCode: 2,
      });
    }
  });

  it.skipIf(process.getuid?.() !== 0)('names the destination when it is full (exit 7)', async () => {
    const home = await initialized();
    const store = await openSqliteStore(home.storePath, { mode: 'key-file', key: Buffer.from(readFileSync(home.keyFile, 'utf8').trim(), 'hex') });
    try {
      const ctx = { store, clock: fixedClock(), random: seededRandom(3) };
      const organizationId = await resolveOrganizationId(ctx, undefined);
      // Without an fsync per code: 4,000 of them would take half a minute on a busy machine.
      await store.withBulkWrites(async () => {
        for (let i = 0; i < 4000; i += 1) await issueVerificationCode(ctx, { organizationId });
      });
    } finally {
      await store.close();
    }
    const dir = join(home.home, 'small');
    mkdirSync(dir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    try {
      const out = join(dir, 'backup.db');
      expect(await runCli(['store', 'backup', '--out', out], { env: home.env })).toEqual({
        stdout: '',
        stderr: `peridio: error: cannot write backup ${out}: no space left on device\nperidio: hint: free space in ${dir}, or choose another --out path\n`,
        exitCode: 7,
      });
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});

describe('peridio store rekey', () => {
  const newKeyHex = 'ab'.repeat(32);

  it('moves to a new key file it creates 0600, and only that key opens the store afterwards', async () => {
    const home = await initialized();
    const newKeyFile = join(home.home, 'new.key');
    const run = await runCli(['store', 'rekey', '--new-key-file', newKeyFile], { env: home.env });
    expect(run).toEqual({
      stdout: `store\t${home.storePath}\nkey mode\tkey-file -> key-file\nkey file\t${newKeyFile}\n`,
      stderr: `peridio: hint: from now on unlock with --key-file ${newKeyFile} or VERICODE_KEY_FILE; ${home.keyFile} now opens only backups made before this rekey\n`,
      exitCode: 0,
    });
    expect(statSync(newKeyFile).mode & 0o777).toBe(0o600);
    expect((await runCli(['store', 'info'], { env: home.env })).exitCode).toBe(7);
    expect((await runCli(['audit', 'verify'], { env: { ...home.env, VERICODE_KEY_FILE: newKeyFile } })).exitCode).toBe(0);
  });

  it('shows each step on a terminal, then erases the line', async () => {
    const home = await initialized();
    const run = await runCli(['store', 'rekey', '--new-key-file', join(home.home, 'tty.key')], { env: home.env, tty: true });
    expect(run.exitCode).toBe(0);
    const erase = '\r\x1b[2K';
    const steps = [
      'waiting for sole use of the store',
      'copying the store',
      're-encrypting the copy (a passphrase takes a moment)',
      'checking the re-encrypted copy',
      'replacing the store',
    ];
    expect(run.stderr.startsWith(`${steps.map((step) => `${erase}peridio: rekey: ${step}`).join('')}${erase}peridio: hint: `)).toBe(true);
  });

  it('uses an existing new key file without changing it', async () => {
    const home = await initialized();
    const newKeyFile = join(home.home, 'given.key');
    writeFileSync(newKeyFile, `${newKeyHex}\n`, { mode: 0o600 });
    expect((await runCli(['store', 'rekey', '--new-key-file', newKeyFile, '-q'], { env: home.env })).stdout).toBe(`${home.storePath}\n`);
    expect(readFileSync(newKeyFile, 'utf8')).toBe(`${newKeyHex}\n`);
    expect((await runCli(['store', 'info'], { env: { ...home.env, VERICODE_KEY_FILE: newKeyFile } })).exitCode).toBe(0);
  });

  it('asks for a new passphrase twice on a terminal, then the passphrase opens the store', async () => {
    const home = await initialized();
    const prompter = scriptedPrompter(['a long new passphrase', 'a long new passphrase']);
    const run = await runCli(['store', 'rekey', '--new-passphrase', '--json'], { env: home.env, tty: true, prompter });
    expect(run.exitCode).toBe(0);
    expect(prompter.asked).toEqual(['New store passphrase', 'Repeat the passphrase']);
    expect(JSON.parse(run.stdout)).toEqual({
      path: home.storePath,
      previous_key_mode: 'key-file',
      key_mode: 'passphrase',
      rekeyed_at: '2025-01-01T00:00:00Z',
      key_file: null,
    });
    const withPassphrase = { ...home.env, VERICODE_KEY_FILE: undefined, VERICODE_PASSPHRASE: 'a long new passphrase' };
    expect(JSON.parse((await runCli(['store', 'info', '--json'], { env: withPassphrase })).stdout).key_mode).toBe('passphrase');
  });

  it('takes the new passphrase from a file or VERICODE_NEW_PASSPHRASE', async () => {
    const home = await initialized();
    const file = join(home.home, 'new.pass');
    writeFileSync(file, 'from a file, long enough\n', { mode: 0o600 });
    expect((await runCli(['store', 'rekey', '--new-passphrase-file', file], { env: home.env })).exitCode).toBe(0);
    const fromFile = { ...home.env, VERICODE_KEY_FILE: undefined, VERICODE_PASSPHRASE_FILE: file };
    expect((await runCli(['store', 'rekey', '--new-passphrase'], { env: { ...fromFile, VERICODE_NEW_PASSPHRASE: 'from the environment' } })).exitCode).toBe(0);
    expect(
      (await runCli(['store', 'info'], { env: { ...fromFile, VERICODE_PASSPHRASE_FILE: undefined, VERICODE_PASSPHRASE: 'from the environment' } })).exitCode,
    ).toBe(0);
  });

  describe('bad input: a clear error, the right exit code, and the store still opens with its old key', () => {
    async function expectUnchanged(home: CliHome, before: Buffer): Promise<void> {
      expect(readFileSync(home.storePath).equals(before)).toBe(true);
      expect((await runCli(['audit', 'verify'], { env: home.env })).exitCode).toBe(0);
    }

    it.each([
      [[], 'store rekey needs exactly one of --new-key-file, --new-passphrase-file or --new-passphrase'],
      [['--new-key-file', 'a.key', '--new-passphrase'], 'store rekey needs exactly one of --new-key-file, --new-passphrase-file or --new-passphrase'],
    ])('flags %j: exit 2', async (flags, message) => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const run = await runCli(['store', 'rekey', ...flags], { env: home.env });
      expect(run.exitCode).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(`peridio: error: ${message}`);
      await expectUnchanged(home, before);
    });

    it('a wrong current key: exit 7, file unchanged, no new key file made', async () => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const wrong = join(home.home, 'wrong.key');
      writeFileSync(wrong, `${'cd'.repeat(32)}\n`);
      const newKeyFile = join(home.home, 'new.key');
      const run = await runCli(['store', 'rekey', '--new-key-file', newKeyFile], { env: { ...home.env, VERICODE_KEY_FILE: wrong } });
      expect(run).toEqual({
        stdout: '',
        stderr: `peridio: error: wrong passphrase or key for ${home.storePath} (tried the key file ${wrong})\nperidio: hint: check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE\n`,
        exitCode: 7,
      });
      expect(() => statSync(newKeyFile)).toThrow();
      await expectUnchanged(home, before);
    });

    it('a new key file that is a directory: exit 2', async () => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const dir = join(home.home, 'keydir');
      mkdirSync(dir);
      expect(await runCli(['store', 'rekey', '--new-key-file', dir], { env: home.env })).toEqual({
        stdout: '',
        stderr: `peridio: error: cannot read key file ${dir}: it is a directory\nperidio: hint: pass an existing key file with --key-file or VERICODE_KEY_FILE\n`,
        exitCode: 2,
      });
      await expectUnchanged(home, before);
    });

    it('a new key file without a 256-bit key: exit 2', async () => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const bad = join(home.home, 'short.key');
      writeFileSync(bad, 'abcd\n', { mode: 0o600 });
      expect(await runCli(['store', 'rekey', '--new-key-file', bad], { env: home.env })).toEqual({
        stdout: '',
        stderr: `peridio: error: --new-key-file: key file ${bad} does not hold a 256-bit key: expected 64 hex characters, found 4 characters\nperidio: hint: a key file holds 32 random bytes as hex, for example from: openssl rand -hex 32\n`,
        exitCode: 2,
      });
      expect(readFileSync(bad, 'utf8')).toBe('abcd\n');
      await expectUnchanged(home, before);
    });

    it('a new key file in a missing directory is created with its directory, 0700', async () => {
      const home = await initialized();
      const nested = join(home.home, 'keys', 'new.key');
      expect((await runCli(['store', 'rekey', '--new-key-file', nested], { env: home.env })).exitCode).toBe(0);
      expect(statSync(join(home.home, 'keys')).mode & 0o777).toBe(0o700);
    });

    it('the current key again: exit 2', async () => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const run = await runCli(['store', 'rekey', '--new-key-file', home.keyFile], { env: home.env });
      expect(run.stderr).toBe(
        'peridio: error: the new key is the key the store already has\nperidio: hint: pass a different --new-key-file, or a new passphrase\n',
      );
      expect(run.exitCode).toBe(2);
      await expectUnchanged(home, before);
    });

    it.each([
      [['--new-passphrase'], {}, false, [], '--new-passphrase needs a passphrase'],
      [['--new-passphrase'], {}, true, ['a long passphrase', 'another one'], 'the passphrases do not match'],
      [['--new-passphrase'], { VERICODE_NEW_PASSPHRASE: 'short' }, false, [], 'the passphrase is too short: use at least 8 characters'],
      [['--new-passphrase-file', '/nonexistent/pass'], {}, false, [], 'cannot read passphrase file /nonexistent/pass: no such file or directory'],
    ] as const)('%j %j tty=%s: exit 2', async (flags, extraEnv, tty, answers, message) => {
      const home = await initialized();
      const before = readFileSync(home.storePath);
      const run = await runCli(['store', 'rekey', ...flags], { env: { ...home.env, ...extraEnv }, tty, prompter: scriptedPrompter([...answers]) });
      expect(run.exitCode).toBe(2);
      expect(run.stderr.split('\n')[0]).toBe(`peridio: error: ${message}`);
      await expectUnchanged(home, before);
    });
  });
});
