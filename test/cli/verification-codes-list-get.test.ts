import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exactly } from '../helpers/expect-output.js';
import { cliSession } from '../helpers/run-cli.js';

async function sessionWithCodes(count: number) {
  const s = cliSession();
  await s.run(['init']);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    ids.unshift((JSON.parse((await s.run(['verification-codes', 'create', '--json', '--ttl', '1h'])).stdout) as { id: string }).id);
    s.clock.advance(60_000);
  }
  return { s, ids };
}

describe('peridio ca-certificates verification-codes list', () => {
  it('prints one tab-separated line per code when piped, newest first, never the code', async () => {
    const { s, ids } = await sessionWithCodes(2);
    const run = await s.run(['ca-certificates', 'verification-codes', 'list']);
    expect(run).toEqual({
      stdout: `${ids[0]}\tactive\t2025-01-01T00:01:00Z\t2025-01-01T01:01:00Z\t-\n${ids[1]}\tactive\t2025-01-01T00:00:00Z\t2025-01-01T01:00:00Z\t-\n`,
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints a table with a header and short ids on a TTY, and (none) when empty', async () => {
    const { s, ids } = await sessionWithCodes(1);
    const run = await s.run(['--no-color', 'verification-codes', 'list'], { tty: true });
    // A code's id is a version 7 UUID: its first digits are its time, its last 8 random.
    const shortId = /:ca_verification_code:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{4}([0-9a-f]{8})$/.exec(ids[0]!)![1];
    expect(run.stdout).toBe(
      `ID        STATUS  CREATED               EXPIRES               CERTIFICATE\n${shortId}  active  2025-01-01T00:00:00Z  2025-01-01T01:00:00Z  -\n`,
    );
    expect((await s.run(['--no-color', 'verification-codes', 'list', '--status', 'consumed'], { tty: true })).stdout).toBe('(none)\n');
  });

  it('tells apart on a TTY codes issued a minute apart, whose ids begin alike, by their short ids', async () => {
    const { s, ids } = await sessionWithCodes(3);
    const run = await s.run(['--no-color', 'verification-codes', 'list'], { tty: true });
    const shown = run.stdout
      .split('\n')
      .slice(1, -1)
      .map((line) => line.split(' ')[0]);
    expect(shown.sort()).toEqual(ids.map((prn) => prn.slice(-8)).sort());
    expect(new Set(shown).size).toBe(3);
  });

  it('pages with --limit and --page, pointing at the next page on stderr', async () => {
    const { s, ids } = await sessionWithCodes(3);
    const first = await s.run(['verification-codes', 'list', '--limit', '2', '--json']);
    const page = JSON.parse(first.stdout) as { items: Array<{ id: string }>; next_page: string };
    expect(page.items.map((c) => c.id)).toEqual(ids.slice(0, 2));
    const piped = await s.run(['verification-codes', 'list', '--limit', '2', '-q']);
    expect(piped.stdout).toBe(`${ids[0]}\n${ids[1]}\n`);
    const human = await s.run(['verification-codes', 'list', '--limit', '2']);
    expect(human.stderr).toBe(`peridio: hint: more codes: add --page ${page.next_page}\n`);
    const second = await s.run(['verification-codes', 'list', '--limit', '2', '--page', page.next_page, '--json']);
    expect(JSON.parse(second.stdout)).toEqual({ items: [expect.objectContaining({ id: ids[2] })], next_page: null });
  });

  it('filters by status as time passes', async () => {
    const { s, ids } = await sessionWithCodes(2);
    s.clock.advance(3_600_000 - 120_000);
    expect((await s.run(['verification-codes', 'list', '--status', 'active', '-q'])).stdout).toBe(`${ids[0]}\n`);
    expect((await s.run(['verification-codes', 'list', '--status', 'expired', '-q'])).stdout).toBe(`${ids[1]}\n`);
  });

  it('prints an empty JSON page', async () => {
    const s = cliSession();
    expect((await s.run(['verification-codes', 'list', '--json'])).stdout).toBe('{\n  "items": [],\n  "next_page": null\n}\n');
  });

  it.each([
    [['--status', 'used'], 'peridio: error: invalid --status "used": expected one of active, consumed, expired, all\n'],
    [['--limit', '0'], 'peridio: error: invalid --limit "0": it must be a whole number from 1 to 1000\n'],
    [['--limit', 'ten'], 'peridio: error: invalid --limit "ten": it must be a whole number from 1 to 1000\n'],
    [['--page', 'nope'], 'peridio: error: invalid --page token "nope"\nperidio: hint: pass the next_page value from the previous page unchanged\n'],
  ])('rejects %j with exit 2, before creating any store', async (flags, stderr) => {
    const s = cliSession();
    expect(await s.run(['verification-codes', 'list', ...flags])).toEqual({ stdout: '', stderr, exitCode: 2 });
    expect(existsSync(s.storePath)).toBe(false);
  });
});

describe('peridio ca-certificates verification-codes get', () => {
  it('shows the status, never the code', async () => {
    const { s, ids } = await sessionWithCodes(1);
    const run = await s.run(['verification-codes', 'get', ids[0]!]);
    expect(run).toEqual({
      stdout: `id\t${ids[0]}\nstatus\tactive\norganization\t${ids[0]!.split(':ca_')[0]}\ncertificate\t-\ncreated at\t2025-01-01T00:00:00Z\nexpires at\t2025-01-01T01:00:00Z\nconsumed at\t-\n`,
      stderr: '',
      exitCode: 0,
    });
    expect(JSON.parse((await s.run(['verification-codes', 'get', ids[0]!, '--json'])).stdout)).toEqual({
      id: ids[0],
      organization_id: ids[0]!.split(':ca_')[0],
      certificate_prn: null,
      created_at: '2025-01-01T00:00:00Z',
      expires_at: '2025-01-01T01:00:00Z',
      consumed_at: null,
      status: 'active',
    });
    expect((await s.run(['verification-codes', 'get', ids[0]!, '-q'])).stdout).toBe('active\n');
  });

  it('says not found (exit 4) for an unknown id', async () => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(['verification-codes', 'get', 'nope'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: verification code nope not found\nperidio: hint: see peridio ca-certificates verification-codes list\n',
      exitCode: 4,
    });
  });

  it('says which argument is missing', async () => {
    const s = cliSession();
    expect((await s.run(['verification-codes', 'get'])).stderr).toBe(
      "peridio: error: missing required argument 'id'\nperidio: hint: see peridio verification-codes get --help\n",
    );
  });

  it('matches exactly(): holes only where stated', () => {
    expect('code\tabc').not.toMatch(exactly('code\t{code}'));
  });
});
