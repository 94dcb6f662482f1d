/**
 * Issue 10, "passphrases and key files": every attack reproduced through the CLI, with
 * the exact output and exit code it now gets.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../helpers/clock.js';
import { runCli, scriptedPrompter } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';
import { REPO_ROOT } from '../helpers/testdata.js';
import { asRoot } from '../helpers/unprivileged.js';

const WRONG_KEY_HINT = 'check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE';

/** A HOME with nothing in it: XDG defaults apply. */
function emptyHome() {
  const home = tempDir('vericode-home-');
  const file = (name: string, content: string | Buffer, mode = 0o600): string => {
    const path = join(home, name);
    writeFileSync(path, content);
    chmodSync(path, mode);
    return path;
  };
  return {
    home,
    env: { HOME: home },
    storePath: join(home, '.local', 'share', 'vericode', 'store.db'),
    keyFile: join(home, '.config', 'vericode', 'store.key'),
    file,
  };
}

describe('passphrases are bytes, never SQL text', () => {
  it('a NUL byte: init makes a whole store, nothing echoes the passphrase, and only the exact bytes open it', async () => {
    const h = emptyHome();
    const withNul = h.file('pass', 'Secret\0PassPhrase\n');
    const init = await runCli(['init', '--passphrase', '--passphrase-file', withNul, '--json'], { env: h.env });
    expect([init.exitCode, init.stderr]).toEqual([0, '']);
    expect(JSON.parse(init.stdout)).toMatchObject({ store: h.storePath, key_mode: 'passphrase' });
    expect(statSync(h.storePath).size).toBeGreaterThan(0);
    expect((await runCli(['verification-codes', 'list', '--passphrase-file', withNul], { env: h.env })).exitCode).toBe(0);

    const truncated = h.file('truncated', 'Secret\n');
    const wrong = await runCli(['verification-codes', 'list', '--passphrase-file', truncated, '--json'], { env: h.env });
    expect(wrong).toEqual({
      stdout: '',
      stderr: `${JSON.stringify({ error: { code: 'store_locked', message: `wrong passphrase or key for ${h.storePath} (tried the passphrase file ${truncated})`, hint: WRONG_KEY_HINT } })}\n`,
      exitCode: 7,
    });
    expect(wrong.stderr.toLowerCase()).not.toContain('secret');
  });

  it('two files that differ in bytes are two passphrases, even where UTF-8 decoding would merge them', async () => {
    const h = emptyHome();
    const a = h.file('a', Buffer.from([...Array(16).keys()].map((i) => 0x80 + i)));
    const b = h.file('b', Buffer.alloc(16, 0xff));
    expect((await runCli(['init', '--passphrase', '--passphrase-file', a], { env: h.env })).exitCode).toBe(0);
    expect(await runCli(['verification-codes', 'list', '--passphrase-file', b], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: wrong passphrase or key for ${h.storePath} (tried the passphrase file ${b})\nperidio: hint: ${WRONG_KEY_HINT}; this passphrase is not valid UTF-8, and version 0.1.0 keyed stores with each invalid byte replaced by U+FFFD: a store made then opens with a file holding the replaced text (then run peridio store rekey)\n`,
      exitCode: 7,
    });
    expect((await runCli(['verification-codes', 'list', '--passphrase-file', a], { env: h.env })).exitCode).toBe(0);
  });

  it('a wrong passphrase at the prompt says that is what it tried', async () => {
    const h = emptyHome();
    expect((await runCli(['init', '--passphrase'], { env: { ...h.env, VERICODE_PASSPHRASE: 'the right passphrase' } })).exitCode).toBe(0);
    const prompter = scriptedPrompter(['the wrong passphrase']);
    expect(await runCli(['verification-codes', 'list'], { env: h.env, tty: true, prompter })).toEqual({
      stdout: '',
      stderr: `peridio: error: wrong passphrase or key for ${h.storePath} (tried the passphrase typed at the prompt)\nperidio: hint: ${WRONG_KEY_HINT}\n`,
      exitCode: 7,
    });
  });

  it('trims one final newline (LF or CRLF) and nothing else', async () => {
    const h = emptyHome();
    expect((await runCli(['init', '--passphrase', '--passphrase-file', h.file('p', ' spaced passphrase \r\n')], { env: h.env })).exitCode).toBe(0);
    expect((await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_PASSPHRASE: ' spaced passphrase ' } })).exitCode).toBe(0);
    expect((await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_PASSPHRASE: 'spaced passphrase' } })).exitCode).toBe(7);
  });
});

describe('key and passphrase files must be small regular files', () => {
  async function initialized() {
    const h = emptyHome();
    expect((await runCli(['init'], { env: h.env })).exitCode).toBe(0);
    return h;
  }

  it('--key-file /dev/zero fails at once with exit 2', async () => {
    const h = await initialized();
    expect(await runCli(['--key-file', '/dev/zero', 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr:
        'peridio: error: cannot read key file /dev/zero: it is a character device, not a regular file\nperidio: hint: pass an existing key file with --key-file or VERICODE_KEY_FILE\n',
      exitCode: 2,
    });
  });

  it('a FIFO with no writer as the key file or the passphrase file fails at once with exit 2', async () => {
    const h = await initialized();
    const fifo = join(h.home, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await runCli(['--key-file', fifo, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot read key file ${fifo}: it is a named pipe, not a regular file\nperidio: hint: pass an existing key file with --key-file or VERICODE_KEY_FILE\n`,
      exitCode: 2,
    });
    expect(await runCli(['--passphrase-file', fifo, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot read passphrase file ${fifo}: it is a named pipe, not a regular file\n`,
      exitCode: 2,
    });
  });

  it('key and passphrase files over 4 KiB: exit 2', async () => {
    const h = await initialized();
    const bigKey = h.file('big.key', `${'ab'.repeat(32)}\n${' '.repeat(4096)}`);
    expect(await runCli(['--key-file', bigKey, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: key file ${bigKey} is larger than 4 KiB\nperidio: hint: a key file holds 64 hex characters\n`,
      exitCode: 2,
    });
    const bigPass = h.file('big.pass', 'p'.repeat(4097));
    expect(await runCli(['--passphrase-file', bigPass, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: passphrase file ${bigPass} is larger than 4 KiB\nperidio: hint: a passphrase file holds the passphrase on one line\n`,
      exitCode: 2,
    });
  });

  it('an empty key file left by an earlier version says how to get past it', async () => {
    const h = emptyHome();
    const empty = h.file('empty.key', '');
    expect(await runCli(['--key-file', empty, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: key file ${empty} does not hold a 256-bit key: expected 64 hex characters, found 0 characters\nperidio: hint: an empty key file is what a failed run of an earlier version left behind: if no store uses it, remove ${empty} and try again\n`,
      exitCode: 7,
    });
  });
});

describe("init and rekey adopt only a key file that is the user's alone", () => {
  const KEY = `${'5a'.repeat(32)}\n`;

  it('init refuses a key file others can read (exit 2) and creates nothing', async () => {
    const h = emptyHome();
    const shared = h.file('shared.key', KEY, 0o644);
    expect(await runCli(['init', '--key-file', shared], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: refusing key file ${shared}: other users can read or write it (mode 0644)\nperidio: hint: run chmod 600 ${shared} if no one else has seen it, or name a new file to have one created\n`,
      exitCode: 2,
    });
    expect(existsSync(h.storePath)).toBe(false);
    expect(readFileSync(shared, 'utf8')).toBe(KEY);
  });

  it.runIf(asRoot)('init and store rekey refuse a key file owned by another user (exit 2)', async () => {
    const h = emptyHome();
    const theirs = h.file('theirs.key', KEY);
    chownSync(theirs, 65534, 65534);
    const refusal = `peridio: error: refusing key file ${theirs}: it belongs to another user (uid 65534), who would know the store's key\nperidio: hint: use a key file you own, or name a new file to have one created\n`;
    expect(await runCli(['init', '--key-file', theirs], { env: h.env })).toEqual({ stdout: '', stderr: refusal, exitCode: 2 });
    expect(existsSync(h.storePath)).toBe(false);
    expect((await runCli(['init'], { env: h.env })).exitCode).toBe(0);
    expect(await runCli(['store', 'rekey', '--new-key-file', theirs], { env: h.env })).toEqual({ stdout: '', stderr: refusal, exitCode: 2 });
  });

  it('store rekey refuses a new key file others can write (exit 2) and keeps the old key', async () => {
    const h = emptyHome();
    expect((await runCli(['init'], { env: h.env })).exitCode).toBe(0);
    const writable = h.file('writable.key', KEY, 0o620);
    expect(await runCli(['store', 'rekey', '--new-key-file', writable], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: refusing key file ${writable}: other users can read or write it (mode 0620)\nperidio: hint: run chmod 600 ${writable} if no one else has seen it, or name a new file to have one created\n`,
      exitCode: 2,
    });
    expect((await runCli(['verification-codes', 'list'], { env: h.env })).exitCode).toBe(0);
  });
});

describe('store paths and first use (issue 11)', () => {
  it.each([
    ['--store', (path: string) => ({ args: ['--store', path], env: {} })],
    ['VERICODE_STORE', (path: string) => ({ args: [], env: { VERICODE_STORE: path } })],
  ])('a mistyped %s is exit 7 naming it, and creates neither store nor key file', async (_what, given) => {
    const h = emptyHome();
    const typo = join(h.home, 'stroe.db');
    const { args, env } = given(typo);
    expect(await runCli([...args, 'ca-certificates', 'list'], { env: { ...h.env, ...env } })).toEqual({
      stdout: '',
      stderr: `peridio: error: no store at ${typo}\nperidio: hint: check the path, or create a store there with: peridio init --store ${typo}\n`,
      exitCode: 7,
    });
    expect(readdirSync(h.home)).toEqual([]);
  });

  it('init --store PATH still creates the store there', async () => {
    const h = emptyHome();
    const path = join(h.home, 'elsewhere', 'store.db');
    expect((await runCli(['init', '--store', path], { env: h.env })).exitCode).toBe(0);
    expect((await runCli(['--store', path, 'ca-certificates', 'list'], { env: h.env })).exitCode).toBe(0);
  });

  it.each([['--json'], ['-q']])('the first-use notice is shown with %s too', async (flag) => {
    const h = emptyHome();
    const run = await runCli(['verification-codes', 'list', flag], { env: h.env });
    expect(run.stderr).toBe(`peridio: created a new store at ${h.storePath}, encrypted with a new key in ${h.keyFile}\n`);
    expect(run.exitCode).toBe(0);
  });
});

describe('encrypted signer keys (issue 10)', () => {
  it('x509 create refuses a key asking for 2^31-1 PBKDF2 iterations at once (exit 2)', async () => {
    const h = emptyHome();
    const fixture = (name: string): string => join(REPO_ROOT, 'fixtures', 'x509', name);
    const run = await runCli(
      [
        'x509',
        'create',
        '--common-name',
        'A'.repeat(32),
        '--signer-cert',
        fixture('signer-key-pbkdf2-2147483647-iterations.ca.pem'),
        '--signer-key',
        fixture('signer-key-pbkdf2-2147483647-iterations.pem'),
        '--signer-key-passphrase-file',
        h.file('pass', 'secretpass\n'),
        '--out',
        join(h.home, 'v.pem'),
      ],
      { env: h.env, clock: fixedClock('2026-12-10T00:00:00Z') },
    );
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: signer key ${fixture('signer-key-pbkdf2-2147483647-iterations.pem')} asks for 2147483647 key-derivation iterations, more than the 5000000 this command allows\nperidio: hint: re-encrypt it with fewer, for example: openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000 -in old.pem -out new.pem\n`,
      exitCode: 2,
    });
    expect(existsSync(join(h.home, 'v.pem'))).toBe(false);
  });
});
