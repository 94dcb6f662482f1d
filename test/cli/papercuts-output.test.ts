/**
 * Issue 11's output papercuts: the command named as invoked, --query (JMESPath),
 * {items, next_page} for every list, audit list paging, whole-second timestamps,
 * and help wrapped to 80 columns.
 */
import { describe, expect, it } from 'vitest';
import { cliSession, runCli } from '../helpers/run-cli.js';

const QUERY_HINT = 'peridio: hint: see https://jmespath.org for the syntax, for example --query "items[].name"\n';

describe('the command is named as invoked', () => {
  it('in errors and hints from the core and from commander', async () => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(['ca-certificates', 'get', 'no-such-ca'], { programName: 'vericode' })).toEqual({
      stdout: '',
      stderr: 'vericode: error: CA certificate no-such-ca not found in this organization\nvericode: hint: see vericode ca-certificates list\n',
      exitCode: 4,
    });
    expect(await s.run(['organizations', 'list', '--bogus'], { programName: 'vericode' })).toEqual({
      stdout: '',
      stderr: "vericode: error: unknown option '--bogus'\nvericode: hint: see vericode organizations list --help\n",
      exitCode: 2,
    });
    expect((await s.run(['ca-certificates', 'get', 'no-such-ca', '--json'], { programName: 'vericode' })).stderr).toBe(
      '{"error":{"code":"not_found","message":"CA certificate no-such-ca not found in this organization","hint":"see vericode ca-certificates list"}}\n',
    );
  });

  it('in next-step hints and in help', async () => {
    const s = cliSession();
    await s.run(['init']);
    const issued = await s.run(['verification-codes', 'create'], { programName: 'vericode' });
    expect(issued.stderr).toContain('vericode: hint: put the code in the CN');
    expect(issued.stderr).toContain('\n  vericode x509 create --common-name ');
    expect(issued.stderr).toContain('\n  vericode ca-certificates create -c ca.pem -v verification.pem\n');
    expect(issued.stderr).not.toContain('peridio');
    const help = await runCli(['ca-certificates', 'get', '--help'], { programName: 'vericode' });
    expect(help.stdout).toContain('Usage: vericode ca-certificates get [options] [certificate]\n');
    expect(help.stdout).toContain(
      'Examples:\n  $ vericode ca-certificates get factory-ca\n  $ vericode ca-certificates get --prn prn:1:…:ca_certificate:…\n  $ ETAG=$(vericode ca-certificates get factory-ca --json | jq -r .etag)\n',
    );
    expect(help.stdout).not.toContain('peridio');
  });
});

describe('--query', () => {
  it('prints what the JMESPath expression selects, as JSON, or bare with -q', async () => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(['organizations', 'list', '--query', 'items[].{name: name, default: is_default}'])).toEqual({
      stdout: '[\n  {\n    "name": "default",\n    "default": true\n  }\n]\n',
      stderr: '',
      exitCode: 0,
    });
    expect(await s.run(['organizations', 'list', '--query', 'items[0].name', '-q'])).toEqual({ stdout: 'default\n', stderr: '', exitCode: 0 });
    expect(await s.run(['organizations', 'list', '--query', 'items[].name', '-q'])).toEqual({ stdout: 'default\n', stderr: '', exitCode: 0 });
    expect(await s.run(['organizations', 'list', '--query', 'items[0].name'])).toEqual({ stdout: '"default"\n', stderr: '', exitCode: 0 });
    expect(await s.run(['organizations', 'list', '--query', 'items[?name==`nobody`]'])).toEqual({ stdout: '[]\n', stderr: '', exitCode: 0 });
  });

  it('refuses a malformed expression with exit 2 before the command acts', async () => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(['verification-codes', 'create', '--query', 'items[?'])).toEqual({
      stdout: '',
      stderr: `peridio: error: invalid --query "items[?": invalid token (EOF): ""\n${QUERY_HINT}`,
      exitCode: 2,
    });
    expect(await s.run(['verification-codes', 'list', '--query', ''])).toEqual({
      stdout: '',
      stderr: `peridio: error: invalid --query "": expected a JMESPath expression\n${QUERY_HINT}`,
      exitCode: 2,
    });
    // No code was issued by the refused run.
    expect(await s.run(['verification-codes', 'list', '--query', 'length(items)'])).toEqual({ stdout: '0\n', stderr: '', exitCode: 0 });
  });

  it('reports an expression that fails on the result with exit 2', async () => {
    const s = cliSession();
    await s.run(['init']);
    expect(await s.run(['organizations', 'list', '--query', 'abs(items)'])).toEqual({
      stdout: '',
      stderr: `peridio: error: --query "abs(items)" failed on the result: abs() expected argument 1 to be type number but received type array instead.\n${QUERY_HINT}`,
      exitCode: 2,
    });
  });
});

describe('every list is {"items", "next_page"}', () => {
  it('organizations list', async () => {
    const s = cliSession();
    await s.run(['init']);
    const page = JSON.parse((await s.run(['organizations', 'list', '--json'])).stdout) as {
      items: Array<{ name: string; created_at: string }>;
      next_page: null;
    };
    expect(page).toEqual({ items: [expect.objectContaining({ name: 'default', is_default: true, created_at: '2025-01-01T00:00:00Z' })], next_page: null });
  });
});

describe('audit list', () => {
  async function sessionWithEvents(count: number) {
    const s = cliSession();
    await s.run(['init']);
    for (let i = 1; i < count; i += 1) {
      s.clock.advance(1250);
      expect((await s.run(['verification-codes', 'create', '-q'])).exitCode).toBe(0);
    }
    return s;
  }

  it('shows the newest events first, 50 at a time, with the next page on stderr', async () => {
    const s = await sessionWithEvents(52);
    const first = await s.run(['audit', 'list', '-q']);
    expect(first.stdout).toBe(`${Array.from({ length: 50 }, (_, i) => 52 - i).join('\n')}\n`);
    const page = JSON.parse((await s.run(['audit', 'list', '--json'])).stdout) as { items: Array<{ seq: number }>; next_page: string };
    expect(page.items).toHaveLength(50);
    expect(page.items[0]!.seq).toBe(52);
    expect(first.stderr).toBe('');
    const human = await s.run(['audit', 'list', '--limit', '1'], { tty: true });
    expect(human.stderr).toMatch(/^peridio: hint: more events: add --page [A-Za-z0-9_-]+\n$/);
    expect(await s.run(['audit', 'list', '--page', page.next_page, '-q'])).toEqual({ stdout: '2\n1\n', stderr: '', exitCode: 0 });
  });

  it('shows the oldest first with --order asc, and pages in that order', async () => {
    const s = await sessionWithEvents(5);
    const page = JSON.parse((await s.run(['audit', 'list', '--order', 'asc', '--limit', '3', '--json'])).stdout) as {
      items: Array<{ seq: number; at: string }>;
      next_page: string;
    };
    expect(page.items.map((e) => [e.seq, e.at])).toEqual([
      [1, '2025-01-01T00:00:00Z'],
      [2, '2025-01-01T00:00:01Z'],
      [3, '2025-01-01T00:00:02Z'],
    ]);
    expect(await s.run(['audit', 'list', '--order', 'asc', '--page', page.next_page, '-q'])).toEqual({ stdout: '4\n5\n', stderr: '', exitCode: 0 });
    expect(await s.run(['audit', 'list', '--page', page.next_page])).toEqual({
      stdout: '',
      stderr: `peridio: error: the --page token "${page.next_page}" continues a list in --order asc\nperidio: hint: pass --order asc with it, or start again without --page\n`,
      exitCode: 2,
    });
  });

  it('refuses a bad --order, --limit or --page with exit 2', async () => {
    const s = await sessionWithEvents(1);
    expect(await s.run(['audit', 'list', '--order', 'newest'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --order "newest": expected asc (oldest first) or desc (newest first)\n',
      exitCode: 2,
    });
    expect(await s.run(['audit', 'list', '--limit', '1001'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --limit "1001": it must be a whole number from 1 to 1000\n',
      exitCode: 2,
    });
    expect(await s.run(['audit', 'list', '--page', 'nonsense'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --page token "nonsense"\nperidio: hint: pass the next_page value from the previous page unchanged\n',
      exitCode: 2,
    });
  });
});

describe('timestamps', () => {
  it("are whole-second RFC 3339 UTC everywhere, whatever the clock's milliseconds", async () => {
    const s = cliSession({ at: '2025-03-04T05:06:07.890Z' });
    await s.run(['init']);
    const verified = JSON.parse((await s.run(['audit', 'verify', '--json'])).stdout) as { verified_at: string };
    expect(verified.verified_at).toBe('2025-03-04T05:06:07Z');
    const events = JSON.parse((await s.run(['audit', 'list', '--json'])).stdout) as { items: Array<{ at: string }> };
    expect(events.items.map((e) => e.at)).toEqual(['2025-03-04T05:06:07Z']);
  });
});

describe('help', () => {
  it('is wrapped on word boundaries to 80 columns when piped', async () => {
    const help = await runCli(['audit', 'export', '--help']);
    const [options] = help.stdout.split('\nExamples:\n');
    for (const line of options!.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(help.stdout).toContain('Write every audit event, oldest first, as one JSON object per line on stdout,\nwith all its fields');
  });
});
