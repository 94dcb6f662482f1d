import { describe, expect, it } from 'vitest';
import { CODE_PRN, codesSession, errorOutput } from './codes-session.js';

describe('peridio codes short|long|phrase', () => {
  it('prints exactly the documented JSON', async () => {
    const s = await codesSession();
    const run = await s.run(['codes', 'short', '--user', 'alice@example.com', '--purpose', 'add_credential', '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['id', 'type', 'code', 'user_id', 'purpose', 'is_authorized', 'created_at', 'expires_at']);
    expect(json).toEqual({
      id: expect.stringMatching(new RegExp(`^${CODE_PRN}$`)),
      type: 'short',
      code: expect.stringMatching(/^[0-9]{6}$/),
      user_id: 'alice@example.com',
      purpose: 'add_credential',
      is_authorized: false,
      created_at: '2025-01-01T00:00:00Z',
      expires_at: '2025-01-01T00:03:00Z',
    });
  });

  it('prints one tab-separated field per line when piped, with a hint to authorize on stderr', async () => {
    const s = await codesSession();
    const run = await s.run(['codes', 'long', '--user', 'alice', '--purpose', 'add_credential']);
    expect(run).toEqual({
      stdout: expect.stringMatching(
        new RegExp(
          `^code\\t[A-Za-z0-9_-]{32}\\nid\\t${CODE_PRN}\\ntype\\tlong\\nuser\\talice\\npurpose\\tadd_credential\\nauthorized\\tno\\nexpires at\\t2025-01-01T01:00:00Z\\n$`,
        ),
      ),
      stderr: 'peridio: hint: the code must be authorized before it can be redeemed: peridio codes authorize --user alice --purpose add_credential\n',
      exitCode: 0,
    });
  });

  it('aligns the fields on a terminal', async () => {
    const s = await codesSession();
    const run = await s.run(['codes', 'phrase', '--user', 'alice', '--purpose', 'account_recovery', '--authorize', '--no-color'], { tty: true });
    expect(run).toEqual({
      stdout: expect.stringMatching(
        new RegExp(
          `^code:       ([a-z]+ ){11}[a-z]+\\nid:         ${CODE_PRN}\\ntype:       phrase\\nuser:       alice\\npurpose:    account_recovery\\nauthorized: yes\\nexpires at: 2025-01-02T00:00:00Z\\n$`,
        ),
      ),
      stderr: '',
      exitCode: 0,
    });
  });

  it.each([
    ['short', /^[0-9]{6}\n$/],
    ['long', /^[A-Za-z0-9_-]{32}\n$/],
    ['phrase', /^([a-z]+ ){11}[a-z]+\n$/],
  ])('prints only the %s code with -q', async (type, format) => {
    const s = await codesSession();
    const run = await s.run(['codes', type, '--user', 'u1', '--purpose', 'p', '-q']);
    expect(run).toEqual({ stdout: expect.stringMatching(format), stderr: '', exitCode: 0 });
  });

  it("honours --ttl within the type's range", async () => {
    const s = await codesSession();
    const run = await s.run(['codes', 'short', '--user', 'u', '--purpose', 'p', '--ttl', '10m', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ expires_at: '2025-01-01T00:10:00Z' });
  });

  it.each([
    [['short', '--ttl', '11m'], '--ttl 11m is out of range: it must be from 1m to 10m', undefined],
    [['short', '--ttl', '30s'], '--ttl 30s is out of range: it must be from 1m to 10m', undefined],
    [['long', '--ttl', '25h'], '--ttl 25h is out of range: it must be from 5m to 1d', undefined],
    [['phrase', '--ttl', '59m'], '--ttl 59m is out of range: it must be from 1h to 3d', undefined],
    [
      ['phrase', '--ttl', 'soon'],
      'invalid --ttl "soon": expected a positive whole number followed by s, m, h or d',
      'for example --ttl 90s, --ttl 5m, --ttl 24h or --ttl 7d',
    ],
    [
      ['short', '--user', 'has space'],
      'invalid --user "has space": a user id is 1 to 128 characters with no spaces or control characters',
      'for example --user alice@example.com or --user 4f1c2d',
    ],
    [
      ['short', '--purpose', 'Add-Credential'],
      'invalid --purpose "Add-Credential": a purpose is 1 to 64 characters of a-z, 0-9 and _',
      'for example --purpose add_credential or --purpose temporary_authentication',
    ],
  ])('refuses %j (exit 2) and stores nothing', async (args, message, hint) => {
    const s = await codesSession();
    const [type, ...rest] = args;
    const flags = ['--user', 'alice', '--purpose', 'p'];
    for (let i = 0; i < rest.length; i += 2) if (flags.includes(rest[i]!)) flags.splice(flags.indexOf(rest[i]!), 2);
    const run = await s.run(['codes', type!, ...flags, ...rest]);
    expect(run).toEqual({ stdout: '', stderr: errorOutput(message, hint), exitCode: 2 });
    expect(await s.run(['codes', 'list', '--json'])).toMatchObject({ stdout: '{\n  "items": [],\n  "next_page": null\n}\n', exitCode: 0 });
  });

  it.each([
    [['--purpose', 'p'], "required option '--user <id>' not specified"],
    [['--user', 'u'], "required option '--purpose <purpose>' not specified"],
  ])('requires --user and --purpose (%j)', async (flags, message) => {
    const s = await codesSession();
    expect(await s.run(['codes', 'short', ...flags])).toEqual({ stdout: '', stderr: errorOutput(message, 'see peridio codes short --help'), exitCode: 2 });
  });

  it('refuses a sixth active short code for the same user and purpose (exit 5)', async () => {
    const s = await codesSession();
    for (let i = 0; i < 5; i += 1) await s.issue('short', 'u', 'p');
    expect(await s.run(['codes', 'short', '--user', 'u', '--purpose', 'p'])).toEqual({
      stdout: '',
      stderr: errorOutput(
        'user "u" already has 5 active short codes for purpose p',
        'redeem one or let them expire, or invalidate them: peridio codes invalidate --user u --purpose p --type short',
      ),
      exitCode: 5,
    });
  });
});
