import { describe, expect, it } from 'vitest';
import { exactly } from '../helpers/expect-output.js';
import { cliHome, cliSession, runCli } from '../helpers/run-cli.js';

const NEXT_STEPS = [
  "peridio: hint: put the code in the CN of a verification certificate signed by your CA's key, then register:",
  '  peridio x509 create --common-name {code} --signer-cert ca.pem --signer-key ca.key --key-out verification.key --out verification.pem',
  '  or with openssl:',
  '  openssl genrsa -out verification.key 2048',
  '  openssl req -new -key verification.key -out verification.csr -subj "/CN={code}"',
  '  openssl x509 -req -in verification.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out verification.pem -days 1 -sha256',
  '  peridio ca-certificates create -c ca.pem -v verification.pem',
  '',
].join('\n');

describe('peridio ca-certificates verification-codes create', () => {
  it('prints the code alone with -q, and nothing on stderr', async () => {
    const { env } = cliHome();
    const run = await runCli(['ca-certificates', 'verification-codes', 'create', '-q'], { env });
    expect(run).toEqual({ stdout: expect.stringMatching(/^[A-Za-z0-9]{32}\n$/), stderr: '', exitCode: 0 });
  });

  it('prints tab-separated fields when piped, then the next steps on stderr', async () => {
    const s = cliSession();
    await s.run(['init']);
    const run = await s.run(['ca-certificates', 'verification-codes', 'create']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(
      exactly('code\t{code}\nid\tprn:1:{uuid}:ca_verification_code:{uuid}\norganization\tprn:1:{uuid}\nexpires at\t2025-01-02T00:00:00Z\n'),
    );
    const code = run.stdout.split('\n')[0]!.split('\t')[1]!;
    expect(run.stderr).toBe(NEXT_STEPS.replaceAll('{code}', code));
  });

  it('aligns and emboldens fields on a TTY, and drops colour with NO_COLOR or --no-color', async () => {
    const s = cliSession();
    await s.run(['init']);
    const styled = await s.run(['verification-codes', 'create', '--ttl', '5m'], { tty: true });
    expect(styled.stdout).toMatch(
      exactly(
        '\u001b[1mcode:        \u001b[22m \u001b[1m{code}\u001b[22m\n\u001b[1mid:          \u001b[22m prn:1:{uuid}:ca_verification_code:{uuid}\n\u001b[1morganization:\u001b[22m prn:1:{uuid}\n\u001b[1mexpires at:  \u001b[22m 2025-01-01T00:05:00Z\n',
      ),
    );
    const plain =
      'code:         {code}\nid:           prn:1:{uuid}:ca_verification_code:{uuid}\norganization: prn:1:{uuid}\nexpires at:   2025-01-01T00:05:00Z\n';
    expect((await s.run(['verification-codes', 'create', '--ttl', '5m'], { tty: true, env: { NO_COLOR: '1' } })).stdout).toMatch(exactly(plain));
    expect((await s.run(['--no-color', 'verification-codes', 'create', '--ttl', '5m'], { tty: true })).stdout).toMatch(exactly(plain));
  });

  it('prints the JSON document of the spec with --json, and no hints', async () => {
    const s = cliSession({ at: '2025-03-04T05:06:07.890Z' });
    await s.run(['init']);
    const run = await s.run(['verification-codes', 'create', '--json', '--ttl', '90m', '--length', '64']);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['id', 'code', 'organization_id', 'certificate_prn', 'certificate_etag', 'created_at', 'expires_at', 'status']);
    expect(result).toEqual({
      id: expect.stringMatching(exactly('prn:1:{uuid}:ca_verification_code:{uuid}')),
      code: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      organization_id: expect.stringMatching(exactly('prn:1:{uuid}')),
      certificate_prn: null,
      certificate_etag: null,
      created_at: '2025-03-04T05:06:07Z',
      expires_at: '2025-03-04T06:36:07Z',
      status: 'active',
    });
  });

  it('answers to its aliases', async () => {
    const s = cliSession();
    await s.run(['init']);
    for (const args of [
      ['ca-certificates', 'create-verification-code', '-q'],
      ['verification-codes', 'create', '-q'],
    ]) {
      const run = await s.run(args);
      expect(run).toEqual({ stdout: expect.stringMatching(/^[A-Za-z0-9]{32}\n$/), stderr: '', exitCode: 0 });
    }
  });

  describe('bad input: a clear error, exit 2, and no code issued', () => {
    it.each([
      [['--ttl', '4m'], 'peridio: error: --ttl 4m is out of range: it must be from 5m to 7d\n'],
      [['--ttl', '8d'], 'peridio: error: --ttl 8d is out of range: it must be from 5m to 7d\n'],
      [
        ['--ttl', '1w'],
        'peridio: error: invalid --ttl "1w": expected a positive whole number followed by s, m, h or d\nperidio: hint: for example --ttl 90s, --ttl 5m, --ttl 24h or --ttl 7d\n',
      ],
      [
        ['--ttl', '-5m'],
        'peridio: error: invalid --ttl "-5m": expected a positive whole number followed by s, m, h or d\nperidio: hint: for example --ttl 90s, --ttl 5m, --ttl 24h or --ttl 7d\n',
      ],
      [['--ttl'], "peridio: error: option '--ttl <duration>' argument missing\nperidio: hint: see peridio ca-certificates verification-codes create --help\n"],
      [['--length', '31'], 'peridio: error: invalid --length "31": it must be a whole number from 32 to 64\n'],
      [['--length', '65'], 'peridio: error: invalid --length "65": it must be a whole number from 32 to 64\n'],
      [['--length', 'many'], 'peridio: error: invalid --length "many": it must be a whole number from 32 to 64\n'],
      [['--length', '40.5'], 'peridio: error: invalid --length "40.5": it must be a whole number from 32 to 64\n'],
      [['--bogus'], "peridio: error: unknown option '--bogus'\nperidio: hint: see peridio ca-certificates verification-codes create --help\n"],
      [
        ['extra'],
        "peridio: error: too many arguments for 'create'. Expected 0 arguments but got 1.\nperidio: hint: see peridio ca-certificates verification-codes create --help\n",
      ],
    ])('%j', async (flags, stderr) => {
      const s = cliSession();
      await s.run(['init']);
      const run = await s.run(['ca-certificates', 'verification-codes', 'create', ...flags]);
      expect(run).toEqual({ stdout: '', stderr, exitCode: 2 });
      expect((await s.run(['verification-codes', 'list', '-q'])).stdout).toBe('');
    });

    it('reports errors as JSON on stderr with --json', async () => {
      const s = cliSession();
      const run = await s.run(['verification-codes', 'create', '--json', '--ttl', '3m']);
      expect(run).toEqual({
        stdout: '',
        stderr: '{"error":{"code":"usage","message":"--ttl 3m is out of range: it must be from 5m to 7d","hint":null}}\n',
        exitCode: 2,
      });
    });

    it('names an unknown organization (exit 4, by PRN or name) and a malformed PRN (exit 2)', async () => {
      const s = cliSession();
      await s.run(['init']);
      const unknown = 'prn:1:00000000-0000-4000-8000-000000000000';
      expect(await s.run(['--org', unknown, 'verification-codes', 'create'])).toEqual({
        stdout: '',
        stderr: `peridio: error: organization ${unknown} not found\nperidio: hint: see peridio organizations list\n`,
        exitCode: 4,
      });
      expect(await s.run(['verification-codes', 'create'], { env: { VERICODE_ORG: 'acme' } })).toEqual({
        stdout: '',
        stderr: 'peridio: error: no organization is named "acme"\nperidio: hint: see peridio organizations list\n',
        exitCode: 4,
      });
      expect(await s.run(['verification-codes', 'create'], { env: { VERICODE_ORG: 'prn:1:acme' } })).toEqual({
        stdout: '',
        stderr:
          'peridio: error: "prn:1:acme" is not an organization PRN\nperidio: hint: organization PRNs look like prn:1:<uuid>; see peridio organizations list\n',
        exitCode: 2,
      });
    });
  });
});
