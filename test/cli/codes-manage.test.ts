import { describe, expect, it } from 'vitest';
import { CODE_PRN, codesSession, errorOutput } from './codes-session.js';

describe('peridio codes invalidate', () => {
  it('invalidates the active codes of the pair and prints how many', async () => {
    const s = await codesSession();
    await s.issue('short');
    await s.issue('long');
    await s.issue('long', 'bob');
    expect(await s.run(['codes', 'invalidate', '--user', 'alice', '--purpose', 'add_credential', '--type', 'long', '-q'])).toEqual({
      stdout: '1\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await s.run(['codes', 'invalidate', '--user', 'alice', '--purpose', 'add_credential'])).toEqual({
      stdout: 'user\talice\npurpose\tadd_credential\ntype\tall\ninvalidated\t1\n',
      stderr: '',
      exitCode: 0,
    });
    const json = await s.run(['codes', 'invalidate', '--user', 'alice', '--purpose', 'add_credential', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ user_id: 'alice', purpose: 'add_credential', type: null, invalidated: 0 });
    expect((await s.run(['codes', 'list', '--status', 'invalidated', '-q'])).stdout.trim().split('\n')).toHaveLength(2);
  });

  it.each([
    [['--type', 'all'], 'invalid --type "all": expected one of short, long, phrase', undefined],
    [
      ['--purpose', 'Add'],
      'invalid --purpose "Add": a purpose is 1 to 64 characters of a-z, 0-9 and _',
      'for example --purpose add_credential or --purpose temporary_authentication',
    ],
  ])('refuses %j (exit 2)', async (extra, message, hint) => {
    const s = await codesSession();
    const args = ['codes', 'invalidate', '--user', 'alice', '--purpose', 'add_credential', ...extra];
    expect(await s.run(args)).toEqual({ stdout: '', stderr: errorOutput(message, hint), exitCode: 2 });
  });
});

describe('peridio codes list and get', () => {
  it('lists status only, never the code: one line per code when piped', async () => {
    const s = await codesSession();
    const short = await s.issue('short');
    const long = await s.issue('long', 'bob', 'temporary_authentication', []);
    const run = await s.run(['codes', 'list']);
    expect(run).toEqual({
      stdout: expect.stringMatching(
        new RegExp(
          `^${CODE_PRN}\\tlong\\tbob\\ttemporary_authentication\\tactive\\tno\\t2025-01-01T01:00:00Z\\n${CODE_PRN}\\tshort\\talice\\tadd_credential\\tactive\\tyes\\t2025-01-01T00:03:00Z\\n$`,
        ),
      ),
      stderr: '',
      exitCode: 0,
    });
    const json = (await s.run(['codes', 'list', '--json'])).stdout;
    expect(json).not.toContain(short);
    expect(json).not.toContain(long);
    expect((await s.run(['codes', 'list', '--user', 'bob', '-q'])).stdout).toMatch(new RegExp(`^${CODE_PRN}\\n$`));
    expect((await s.run(['codes', 'list', '--purpose', 'add_credential', '--status', 'active', '-q'])).stdout).toMatch(new RegExp(`^${CODE_PRN}\\n$`));
    s.clock.advance(180_000);
    expect((await s.run(['codes', 'list', '--status', 'expired', '--json'])).stdout).toContain('"type": "short"');
  });

  it('shows a table with headers on a terminal, and (none) when empty', async () => {
    const s = await codesSession();
    expect(await s.run(['codes', 'list', '--no-color'], { tty: true })).toEqual({ stdout: '(none)\n', stderr: '', exitCode: 0 });
    await s.issue('short');
    const run = await s.run(['codes', 'list', '--no-color'], { tty: true });
    expect(run.stdout.split('\n')[0]).toMatch(/^ID +TYPE +USER +PURPOSE +STATUS +AUTHORIZED +EXPIRES$/);
  });

  it.each([
    [['--status', 'used'], 'invalid --status "used": expected one of active, consumed, expired, invalidated, locked, all'],
    [['--limit', '0'], 'invalid --limit "0": it must be a whole number from 1 to 1000'],
    [['--user', 'a b'], 'invalid --user "a b": a user id is 1 to 128 characters with no spaces or control characters'],
  ])('refuses %j (exit 2)', async (extra, message) => {
    const s = await codesSession();
    const run = await s.run(['codes', 'list', ...extra]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(`peridio: error: ${message}`);
  });

  it('gets one code by PRN: -q prints its status; an unknown id is not found (exit 4)', async () => {
    const s = await codesSession();
    const code = await s.issue('long');
    const id = (await s.run(['codes', 'list', '-q'])).stdout.trim();
    const got = await s.run(['codes', 'get', id, '--json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, status: 'active', type: 'long' });
    expect(got.stdout).not.toContain(code);
    expect(await s.run(['codes', 'get', id, '-q'])).toEqual({ stdout: 'active\n', stderr: '', exitCode: 0 });
    expect(await s.run(['codes', 'get', 'missing'])).toEqual({
      stdout: '',
      stderr: errorOutput('one-time code missing not found', 'see peridio codes list'),
      exitCode: 4,
    });
  });
});
