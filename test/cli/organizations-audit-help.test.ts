import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { exactly } from '../helpers/expect-output.js';
import { cliSession, runCli } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';

describe('peridio organizations', () => {
  it('creates, lists, gets and switches organizations', async () => {
    const s = cliSession();
    await s.run(['init', '--org-name', 'first']);
    const created = await s.run(['organizations', 'create', '--name', 'second']);
    expect(created.stdout).toMatch(exactly('prn\tprn:1:{uuid}\nname\tsecond\ndefault\tno\ncreated at\t2025-01-01T00:00:00Z\n'));
    const second = created.stdout.split('\n')[0]!.split('\t')[1]!;
    expect((await s.run(['organizations', 'use', second, '-q'])).stdout).toBe(`${second}\n`);
    const list = await s.run(['organizations', 'list']);
    expect(list.stdout).toMatch(exactly('prn:1:{uuid}\tfirst\t\t2025-01-01T00:00:00Z\nprn:1:{uuid}\tsecond\t*\t2025-01-01T00:00:00Z\n'));
    expect(JSON.parse((await s.run(['organizations', 'get', second, '--json'])).stdout)).toEqual({
      prn: second,
      name: 'second',
      is_default: true,
      created_at: '2025-01-01T00:00:00Z',
    });
  });

  it('keeps codes in their organization: another organization cannot see them', async () => {
    const s = cliSession();
    await s.run(['init']);
    const other = (await s.run(['organizations', 'create', '--name', 'other', '-q'])).stdout.trim();
    const id = JSON.parse((await s.run(['verification-codes', 'create', '--json'])).stdout).id as string;
    expect((await s.run(['--org', other, 'verification-codes', 'list', '-q'])).stdout).toBe('');
    expect((await s.run(['--org', other, 'verification-codes', 'get', id])).exitCode).toBe(4);
    expect((await s.run(['verification-codes', 'list', '-q'], { env: { VERICODE_ORG: other } })).stdout).toBe('');
  });

  it.each([
    [['organizations', 'create'], "peridio: error: required option '--name <name>' not specified\nperidio: hint: see peridio organizations create --help\n", 2],
    [['organizations', 'create', '--name', ' '], 'peridio: error: invalid organization name: it must be 1 to 128 printable characters\n', 2],
    [
      ['organizations', 'get', 'acme'],
      'peridio: error: "acme" is not an organization PRN\nperidio: hint: organization PRNs look like prn:1:<uuid>; see peridio organizations list\n',
      2,
    ],
    [
      ['organizations', 'use', 'prn:1:00000000-0000-4000-8000-000000000000'],
      'peridio: error: organization prn:1:00000000-0000-4000-8000-000000000000 not found\nperidio: hint: see peridio organizations list\n',
      4,
    ],
  ])('%j fails clearly', async (args, stderr, exitCode) => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(args)).toEqual({ stdout: '', stderr, exitCode });
  });
});

describe('peridio audit', () => {
  it('lists events piped, and verifies the chain', async () => {
    const s = cliSession();
    await s.run(['init']);
    s.clock.advance(1500);
    await s.run(['verification-codes', 'create']);
    const list = await s.run(['audit', 'list']);
    expect(list.stdout).toMatch(
      exactly(
        '2\t2025-01-01T00:00:01Z\tverification_code.create\tsuccess\t-\tprn:1:{uuid}:ca_verification_code:{uuid}\n1\t2025-01-01T00:00:00Z\torganization.create\tsuccess\t-\tprn:1:{uuid}\n',
      ),
    );
    expect((await s.run(['audit', 'list', '--action', 'organization', '-q'])).stdout).toBe('1\n');
    const verify = await s.run(['audit', 'verify']);
    expect(verify).toEqual({ stdout: expect.stringMatching(exactly('status\tok\nevents\t2\nhead hash\t{hash}\n')), stderr: '', exitCode: 0 });
    const events = (JSON.parse((await s.run(['audit', 'list', '--json'])).stdout) as { items: Array<Record<string, unknown>> }).items;
    expect(Object.keys(events[0]!)).toEqual(['seq', 'at', 'action', 'organization_id', 'subject', 'outcome', 'reason', 'details', 'prev_hash', 'hash']);
  });

  it('exits 3 naming the first bad event when the chain was tampered with', async () => {
    const s = cliSession();
    await s.run(['init']);
    await s.run(['verification-codes', 'create']);
    await s.run(['verification-codes', 'create']);
    const store = await Store.open(s.storePath, { mode: 'key-file', key: TEST_KEY });
    store.db.exec("UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2");
    store.close();
    expect(await s.run(['audit', 'verify'])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: audit log is broken at event 2: its contents do not match its hash\nperidio: hint: the store was changed outside vericode; compare with a backup or an exported copy (peridio audit export)\n',
      exitCode: 3,
    });
    expect((await s.run(['audit', 'verify', '--json'])).stderr).toBe(
      '{"error":{"code":"audit_broken","message":"audit log is broken at event 2: its contents do not match its hash","hint":"the store was changed outside vericode; compare with a backup or an exported copy (peridio audit export)"}}\n',
    );
  });

  it('rejects bad filters before opening the store', async () => {
    const s = cliSession();
    expect(await s.run(['audit', 'list', '--limit', '-1'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --limit "-1": it must be a whole number from 1 to 1000\n',
      exitCode: 2,
    });
    await s.run(['init']);
    expect((await s.run(['audit', 'list', '--since', 'last week'])).stderr).toBe(
      'peridio: error: invalid --since "last week": expected an ISO 8601 date and time\nperidio: hint: for example --since 2024-03-01T00:00:00Z\n',
    );
  });
});

describe('help, version and errors', () => {
  it('prints -V', async () => {
    const s = cliSession();
    expect(await s.run(['-V'])).toEqual({ stdout: 'vericode 0.1.0\n', stderr: '', exitCode: 0 });
  });

  it('gives every command a description, examples and exit codes', async () => {
    const s = cliSession();
    const help = await s.run(['ca-certificates', 'verification-codes', 'create', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: peridio ca-certificates verification-codes create [options]');
    expect(help.stdout).toContain('Examples:\n  $ peridio ca-certificates verification-codes create\n');
    expect(help.stdout).toContain(
      'Exit codes:\n  0  success\n  1  unexpected failure (please report it)\n  2  bad flag, argument or input\n  4  the organization or the --certificate CA does not exist\n  5  stale --if-match, or the --certificate CA is already verified\n  7  store locked (wrong or missing key) or unreadable\n',
    );
    for (const args of [
      ['init'],
      ['organizations', 'create'],
      ['organizations', 'list'],
      ['organizations', 'get'],
      ['organizations', 'use'],
      ['verification-codes', 'list'],
      ['verification-codes', 'get'],
      ['audit', 'list'],
      ['audit', 'verify'],
    ]) {
      const run = await s.run([...args, '--help']);
      expect(run.stdout, args.join(' ')).toMatch(/Examples:\n {2}\$ peridio .*\n[\s\S]*Exit codes:\n {2}0 {2}success\n/);
    }
  });

  it('lists every top-level command in the root help, and helps with help X', async () => {
    const s = cliSession();
    const root = await s.run(['--help']);
    for (const name of ['init', 'organizations', 'ca-certificates', 'verification-codes', 'audit']) expect(root.stdout).toMatch(new RegExp(`\n  ${name} +\\S`));
    expect((await s.run(['help', 'organizations'])).stdout).toContain('Usage: peridio organizations [options] [command]');
  });

  it('turns an unexpected failure into exit 1 asking for a report', async () => {
    const s = cliSession();
    await s.run(['init']);
    const broken = {
      now: (): Date => {
        throw new Error('Clock Stopped');
      },
    };
    expect(await runCli(['verification-codes', 'create'], { env: s.env, clock: broken })).toEqual({
      stdout: '',
      stderr:
        'peridio: error: unexpected failure: Clock Stopped\nperidio: hint: this is a bug: please report it with the output of VERICODE_DEBUG=1 and the command you ran\n',
      exitCode: 1,
    });
  });

  it('prints a stack trace only with VERICODE_DEBUG=1', async () => {
    const s = cliSession();
    expect((await s.run(['verification-codes', 'create', '--ttl', 'x'])).stderr).not.toContain('    at ');
    const debug = await s.run(['verification-codes', 'create', '--ttl', 'x'], { env: { VERICODE_DEBUG: '1' } });
    expect(debug.stderr).toMatch(/^peridio: error: invalid --ttl "x"[^\n]*\nperidio: hint: [^\n]*\nUsageError: invalid --ttl "x"[^\n]*\n {4}at /);
  });
});
