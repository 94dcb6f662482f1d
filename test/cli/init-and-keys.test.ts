import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exactly } from '../helpers/expect-output.js';
import { runCli, scriptedPrompter } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

/** A HOME with nothing in it: XDG defaults apply. */
function emptyHome() {
  const home = tempDir('vericode-home-');
  return {
    home,
    env: { HOME: home },
    storePath: join(home, '.local', 'share', 'vericode', 'store.db'),
    keyFile: join(home, '.config', 'vericode', 'store.key'),
  };
}

describe('first use', () => {
  it('creates the store and a key file at the XDG defaults, 0700/0600, and says so', async () => {
    const h = emptyHome();
    const run = await runCli(['verification-codes', 'list'], { env: h.env });
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: created a new store at ${h.storePath}, encrypted with a new key in ${h.keyFile}\nperidio: hint: keep the key file safe: without it the store cannot be opened; to use a passphrase instead, run: peridio store rekey --new-passphrase\n`,
      exitCode: 0,
    });
    expect(readFileSync(h.keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(statSync(h.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(h.storePath).mode & 0o777).toBe(0o600);
    expect(statSync(join(h.home, '.config', 'vericode')).mode & 0o777).toBe(0o700);
    expect(statSync(join(h.home, '.local', 'share', 'vericode')).mode & 0o777).toBe(0o700);
    expect(await runCli(['verification-codes', 'list'], { env: h.env })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('honours XDG_DATA_HOME and XDG_CONFIG_HOME', async () => {
    const h = emptyHome();
    const env = { HOME: h.home, XDG_DATA_HOME: join(h.home, 'data'), XDG_CONFIG_HOME: join(h.home, 'config') };
    expect((await runCli(['verification-codes', 'list'], { env })).exitCode).toBe(0);
    expect(existsSync(join(h.home, 'data', 'vericode', 'store.db'))).toBe(true);
    expect(existsSync(join(h.home, 'config', 'vericode', 'store.key'))).toBe(true);
  });

  it('warns when the key file or store is readable by others', async () => {
    const h = emptyHome();
    await runCli(['verification-codes', 'list'], { env: h.env });
    chmodSync(h.keyFile, 0o644);
    expect((await runCli(['verification-codes', 'list'], { env: h.env })).stderr).toBe(
      `peridio: warning: ${h.keyFile} is readable by other users: run chmod 600 ${h.keyFile}\n`,
    );
  });
});

describe('peridio init', () => {
  it('creates a key-file store with a named default organization', async () => {
    const h = emptyHome();
    const run = await runCli(['init', '--org-name', 'acme'], { env: h.env });
    expect(run.stdout).toMatch(exactly(`store\t${h.storePath}\nkey mode\tkey-file\nkey file\t${h.keyFile} (new)\norganization\tacme (prn:1:{uuid})\n`));
    expect(run.stderr).toBe('peridio: hint: keep the key file safe and private: without it the store cannot be opened\n');
    expect(run.exitCode).toBe(0);
  });

  it('uses an existing key file without touching it', async () => {
    const h = emptyHome();
    const keyFile = join(h.home, 'my.key');
    writeFileSync(keyFile, `${'c'.repeat(64)}\n`, { mode: 0o600 });
    const run = await runCli(['init', '--key-file', keyFile, '--json'], { env: h.env });
    expect(JSON.parse(run.stdout)).toMatchObject({ store: h.storePath, key_mode: 'key-file', key_file: keyFile, key_file_created: false });
    expect(readFileSync(keyFile, 'utf8')).toBe(`${'c'.repeat(64)}\n`);
    expect((await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_KEY_FILE: keyFile } })).exitCode).toBe(0);
  });

  it('refuses to replace an existing store (exit 5)', async () => {
    const h = emptyHome();
    await runCli(['init'], { env: h.env });
    const before = readFileSync(h.storePath);
    expect(await runCli(['init'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: a store already exists at ${h.storePath}\nperidio: hint: use it as it is, or pass --store PATH to create another\n`,
      exitCode: 5,
    });
    expect(readFileSync(h.storePath)).toEqual(before);
  });

  it('takes the passphrase from --passphrase-file, and the store then needs it', async () => {
    const h = emptyHome();
    const passFile = join(h.home, 'pass');
    writeFileSync(passFile, 'correct horse battery\n');
    const run = await runCli(['init', '--passphrase', '--passphrase-file', passFile, '--json'], { env: h.env });
    expect(JSON.parse(run.stdout)).toMatchObject({ key_mode: 'passphrase', key_file: null });
    expect(existsSync(h.keyFile)).toBe(false);
    expect((await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_PASSPHRASE: 'correct horse battery' } })).exitCode).toBe(0);
    expect(await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_PASSPHRASE: 'wrong horse battery' } })).toEqual({
      stdout: '',
      stderr: `peridio: error: wrong passphrase or key for ${h.storePath} (tried VERICODE_PASSPHRASE)\nperidio: hint: check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE\n`,
      exitCode: 7,
    });
  });

  it('prompts twice on a TTY, hidden', async () => {
    const h = emptyHome();
    const prompter = scriptedPrompter(['a long passphrase', 'a long passphrase']);
    const run = await runCli(['init', '--passphrase', '-q'], { env: h.env, tty: true, prompter });
    expect(run.exitCode).toBe(0);
    expect(prompter.asked).toEqual(['New store passphrase', 'Repeat the passphrase']);
    expect((await runCli(['verification-codes', 'list'], { env: { ...h.env, VERICODE_PASSPHRASE: 'a long passphrase' } })).exitCode).toBe(0);
  });

  it('asks for the passphrase on a TTY when the store has no key file', async () => {
    const h = emptyHome();
    await runCli(['init', '--passphrase'], { env: { ...h.env, VERICODE_PASSPHRASE: 'a long passphrase' } });
    const prompter = scriptedPrompter(['a long passphrase']);
    expect((await runCli(['verification-codes', 'list'], { env: h.env, tty: true, prompter })).exitCode).toBe(0);
    expect(prompter.asked).toEqual([`Passphrase for ${h.storePath}`]);
  });

  it.each([
    ['mismatched prompts', ['first passphrase', 'second passphrase'], 'peridio: error: the passphrases do not match\n', 2],
    ['a short passphrase, before asking it again', ['short'], 'peridio: error: the passphrase is too short: use at least 8 characters\n', 1],
  ])('refuses %s and creates nothing', async (_what, answers, stderr, asked) => {
    const h = emptyHome();
    const prompter = scriptedPrompter([...answers]);
    expect(await runCli(['init', '--passphrase'], { env: h.env, tty: true, prompter })).toEqual({ stdout: '', stderr, exitCode: 2 });
    expect(prompter.asked).toHaveLength(asked);
    expect(existsSync(h.storePath)).toBe(false);
    expect(existsSync(h.keyFile)).toBe(false);
  });

  it.each([
    ['CI=true', { CI: 'true' }, true, []],
    ['--no-input', {}, true, ['--no-input']],
    ['piped stdin', {}, false, []],
  ])('never prompts with %s: the missing passphrase is a usage error naming its sources', async (_what, env, tty, flags) => {
    const h = emptyHome();
    expect(await runCli([...flags, 'init', '--passphrase'], { env: { ...h.env, ...env }, tty, prompter: scriptedPrompter([]) })).toEqual({
      stdout: '',
      stderr:
        'peridio: error: --passphrase needs a passphrase\nperidio: hint: pass --passphrase-file, or set VERICODE_PASSPHRASE_FILE or VERICODE_PASSPHRASE\n',
      exitCode: 2,
    });
  });

  it('reports an unreadable or empty passphrase file', async () => {
    const h = emptyHome();
    const missing = join(h.home, 'missing');
    expect((await runCli(['init', '--passphrase', '--passphrase-file', missing], { env: h.env })).stderr).toBe(
      `peridio: error: cannot read passphrase file ${missing}: no such file or directory\n`,
    );
    writeFileSync(join(h.home, 'empty'), '\n');
    expect((await runCli(['init', '--passphrase'], { env: { ...h.env, VERICODE_PASSPHRASE_FILE: join(h.home, 'empty') } })).stderr).toBe(
      `peridio: error: passphrase file ${join(h.home, 'empty')} is empty\n`,
    );
  });
});

describe('unlocking an existing store', () => {
  async function initialized() {
    const h = emptyHome();
    await runCli(['init'], { env: h.env });
    return { ...h, before: readFileSync(h.storePath) };
  }

  it('refuses a wrong key file with exit 7 and changes nothing', async () => {
    const h = await initialized();
    const wrong = join(h.home, 'wrong.key');
    writeFileSync(wrong, 'd'.repeat(64));
    expect(await runCli(['verification-codes', 'create'], { env: { ...h.env, VERICODE_KEY_FILE: wrong } })).toEqual({
      stdout: '',
      stderr: `peridio: error: wrong passphrase or key for ${h.storePath} (tried the key file ${wrong})\nperidio: hint: check --key-file, --passphrase-file, VERICODE_KEY_FILE or VERICODE_PASSPHRASE\n`,
      exitCode: 7,
    });
    expect(readFileSync(h.storePath)).toEqual(h.before);
  });

  it.each([
    ['too short', 'abcd', 4],
    ['not hex', 'z'.repeat(64), 64],
    ['a raw binary key', '\u0001'.repeat(32), 32],
  ])('refuses a key file that is %s with exit 7', async (_what, content, length) => {
    const h = await initialized();
    const bad = join(h.home, 'bad.key');
    writeFileSync(bad, content);
    expect(await runCli(['--key-file', bad, 'verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: key file ${bad} does not hold a 256-bit key: expected 64 hex characters, found ${length} characters\nperidio: hint: a key file holds 32 random bytes as hex, for example from: openssl rand -hex 32\n`,
      exitCode: 7,
    });
  });

  it('says a missing key file cannot be read (exit 2)', async () => {
    const h = await initialized();
    const missing = join(h.home, 'missing.key');
    expect((await runCli(['--key-file', missing, 'verification-codes', 'list'], { env: h.env })).stderr).toBe(
      `peridio: error: cannot read key file ${missing}: no such file or directory\nperidio: hint: pass an existing key file with --key-file or VERICODE_KEY_FILE\n`,
    );
  });

  it('in CI with no key source, fails with exit 7 naming the sources, and never prompts', async () => {
    const h = await initialized();
    const elsewhere = emptyHome();
    const run = await runCli(['verification-codes', 'list'], {
      env: { HOME: elsewhere.home, VERICODE_STORE: h.storePath, CI: 'true' },
      tty: true,
      prompter: scriptedPrompter([]),
    });
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: no passphrase or key for ${h.storePath}\nperidio: hint: pass --key-file or --passphrase-file, or set VERICODE_KEY_FILE, VERICODE_PASSPHRASE_FILE or VERICODE_PASSPHRASE\n`,
      exitCode: 7,
    });
  });

  it('calls a directory, a text file and a truncated store what they are (exit 7)', async () => {
    const h = await initialized();
    const dir = join(h.home, 'dir.db');
    mkdirSync(dir);
    expect((await runCli(['--store', dir, 'verification-codes', 'list'], { env: h.env })).stderr).toBe(
      `peridio: error: store path ${dir} is a directory, not a store file\nperidio: hint: pass the store file itself with --store or VERICODE_STORE\n`,
    );
    const text = join(h.home, 'notes.txt');
    writeFileSync(text, 'not a store\n');
    const run = await runCli(['--store', text, 'verification-codes', 'list'], { env: h.env });
    expect(run.exitCode).toBe(7);
    expect(run.stderr).toBe(
      `peridio: error: ${text} is not a vericode store: its size (12 bytes) is not a whole number of 4096-byte pages\nperidio: hint: the file may be truncated: restore it from a backup (peridio store backup)\n`,
    );
    expect(readFileSync(text, 'utf8')).toBe('not a store\n');
    writeFileSync(h.storePath, h.before.subarray(0, 8192));
    expect(await runCli(['verification-codes', 'list'], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: store ${h.storePath} is damaged: database disk image is malformed\nperidio: hint: restore it from a backup (peridio store backup)\n`,
      exitCode: 7,
    });
  });
});
