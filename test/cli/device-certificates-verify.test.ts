/** `peridio device-certificates verify`: against the registered, verified, active CAs only. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { intermediateCa, leafCertificate, newTestKey, selfSignedCa, v1Certificate, type TestCertificate } from '../helpers/mini-ca.js';
import { cliHome, runCli, type CliHome } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

const root = selfSignedCa({ subject: 'Device Root', key: newTestKey('ec-p256') });
const intermediate = intermediateCa(root, { subject: 'Device Intermediate' });
const device = leafCertificate(intermediate, { subject: 'device-0001' });

function write(dir: string, name: string, cert: TestCertificate | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof cert === 'string' ? cert : cert.pem);
  return path;
}

/** A home whose organization has `root` registered with `flags` (default --verified); returns its PRN. */
async function homeWith(flags: string[] = ['--verified']): Promise<CliHome & { dir: string; prn: string }> {
  const home = cliHome();
  const dir = tempDir();
  const run = await runCli(['ca-certificates', 'create', '-c', write(dir, 'root.pem', root), '-q', ...flags], { env: home.env });
  expect(run.exitCode).toBe(0);
  return { ...home, dir, prn: run.stdout.trim() };
}

const verify = (home: CliHome & { dir: string }, args: string[], at = '2025-01-01T00:00:00Z') =>
  runCli(['device-certificates', 'verify', ...args], { env: home.env, clock: fixedClock(at) });

describe('peridio device-certificates verify succeeds', () => {
  it('for a device certificate with its intermediate, printing the chain', async () => {
    const home = await homeWith();
    const run = await verify(home, ['-c', write(home.dir, 'device.pem', device), '--chain-path', write(home.dir, 'chain.pem', intermediate)]);
    const fp = (c: TestCertificate): string => createHash('sha256').update(c.der).digest('hex');
    expect(run).toEqual({
      stdout: [
        'valid\tyes',
        `ca certificate\t${home.prn}`,
        'validated at\t2025-01-01T00:00:00Z',
        `0\tCN=device-0001\tCN=Device Intermediate\t2026-06-01T00:00:00Z\t${fp(device)}`,
        `1\tCN=Device Intermediate\tCN=Device Root\t2026-06-01T00:00:00Z\t${fp(intermediate)}`,
        `2\tCN=Device Root\tCN=Device Root\t2026-06-01T00:00:00Z\t${fp(root)}`,
        '',
      ].join('\n'),
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints an aligned block and a table on a TTY', async () => {
    const home = await homeWith();
    const run = await runCli(
      ['device-certificates', 'verify', '-c', write(home.dir, 'd.pem', leafCertificate(root, { subject: 'tty-device' })), '--no-color'],
      { env: home.env, tty: true, clock: fixedClock('2025-01-01T00:00:00Z') },
    );
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'valid:          yes',
      `ca certificate: ${home.prn}`,
      'validated at:   2025-01-01T00:00:00Z',
      expect.stringMatching(/^#  SUBJECT\s+ISSUER\s+NOT AFTER\s+SHA-256$/),
    ]);
    // Cut to fit 80 columns on a terminal; --json and piped output keep the whole fingerprint.
    expect(lines[4]).toMatch(/^0  CN=tty-device\s+CN=Device Root\s+2026-06-01T00:00:00Z\s+[0-9a-f]{10,}…$/);
    expect(run.exitCode).toBe(0);
  });

  it('prints JSON, and the CA PRN with -q', async () => {
    const home = await homeWith();
    const leaf = write(home.dir, 'device.pem', v1Certificate(root, { subject: 'v1-device' }));
    const json = await verify(home, ['-c', leaf, '--json']);
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      valid: true,
      validated_at: '2025-01-01T00:00:00Z',
      ca_certificate_prn: home.prn,
      chain: [expect.objectContaining({ subject: 'CN=v1-device', issuer: 'CN=Device Root' }), expect.objectContaining({ subject: 'CN=Device Root' })],
    });
    expect(await verify(home, ['-c', leaf, '-q'])).toEqual({ stdout: `${home.prn}\n`, stderr: '', exitCode: 0 });
  });

  it('at --at, validity inclusive in whole seconds', async () => {
    const home = await homeWith();
    const leaf = write(home.dir, 'd.pem', leafCertificate(root, { notBefore: '2025-03-01T00:00:00Z', notAfter: '2025-04-01T00:00:00Z' }));
    expect((await verify(home, ['-c', leaf, '--at', '2025-03-01T00:00:00Z'])).exitCode).toBe(0);
    expect((await verify(home, ['-c', leaf, '--at', '2025-04-01T00:00:00.999Z'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', leaf, '--at', '2025-04-01T00:00:01Z'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: device certificate does not validate: device certificate expired at 2025-04-01T00:00:00Z (checked at 2025-04-01T00:00:01Z)\n',
      exitCode: 3,
    });
  });
});

describe('peridio device-certificates verify fails with exit 3', () => {
  const unregistered =
    'peridio: error: device certificate does not validate: no registered, verified and active CA or given intermediate is the issuer "CN=Device Root" of the device certificate\nperidio: hint: register the CA that issued it, or pass the intermediate certificates with --chain-path\n';

  it.each<[string, string[]]>([
    ['an inactive CA', ['--verified', '--inactive']],
    ['an unverified CA (Azure flow, not yet proved)', []],
  ])('for %s', async (_label, flags) => {
    const home = await homeWith(flags);
    expect(await verify(home, ['-c', write(home.dir, 'd.pem', leafCertificate(root))])).toEqual({ stdout: '', stderr: unregistered, exitCode: 3 });
  });

  it('for a CA registered in another organization', async () => {
    const home = await homeWith();
    const org = await runCli(['organizations', 'create', '--name', 'other', '-q'], { env: home.env, random: seededRandom('other org') });
    expect(org.exitCode).toBe(0);
    const run = await runCli(['device-certificates', 'verify', '-c', write(home.dir, 'd.pem', leafCertificate(root)), '--org', org.stdout.trim()], {
      env: home.env,
    });
    expect(run).toEqual({ stdout: '', stderr: unregistered, exitCode: 3 });
  });

  it('for a missing intermediate, naming it', async () => {
    const home = await homeWith();
    const run = await verify(home, ['-c', write(home.dir, 'd.pem', device)]);
    expect(run.exitCode).toBe(3);
    expect(run.stderr).toMatch(/is the issuer "CN=Device Intermediate" of the device certificate\n/);
  });

  it('for an expired registered CA at --at', async () => {
    const home = await homeWith();
    const run = await verify(home, ['-c', write(home.dir, 'd.pem', v1Certificate(root)), '--at', '2026-06-01T00:00:01Z']);
    expect(run.stderr).toMatch(/^peridio: error: device certificate does not validate: device certificate expired at 2026-06-01T00:00:00Z/);
    expect(run.exitCode).toBe(3);
  });
});

describe('peridio device-certificates verify refuses bad input with exit 2', () => {
  it.each<[string, string | Buffer, RegExp]>([
    ['an empty file', '', /device certificate \S+ is not a valid certificate: it is empty/],
    ['random bytes', Buffer.from('d1e2a3b4c5d6e7f8', 'hex'), /it is neither PEM nor a DER certificate/],
    ['a bundle', root.pem + intermediate.pem, /it holds 2 certificates where one is expected/],
  ])('%s as the device certificate', async (_label, content, message) => {
    const home = await homeWith();
    const path = join(home.dir, 'bad.pem');
    writeFileSync(path, content);
    const audit = await runCli(['audit', 'list', '--json'], { env: home.env });
    const run = await verify(home, ['-c', path]);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.exitCode).toBe(2);
    expect(await runCli(['audit', 'list', '--json'], { env: home.env })).toEqual(audit);
  });

  it('a 10 MB file, before reading it', async () => {
    const home = await homeWith();
    const path = join(home.dir, 'huge.pem');
    writeFileSync(path, Buffer.alloc(10 * 1024 * 1024, 0x41));
    expect(await verify(home, ['-c', path])).toEqual({
      stdout: '',
      stderr: `peridio: error: device certificate ${path} is larger than 64 KiB\nperidio: hint: give a single certificate or key file, PEM or DER\n`,
      exitCode: 2,
    });
  });

  it('but accepts CRLF line endings and trailing whitespace', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'crlf.pem', `${v1Certificate(root).pem.replace(/\n/g, '\r\n')}  \r\n\r\n`);
    expect((await verify(home, ['-c', path, '-q'])).exitCode).toBe(0);
  });

  it('a bad --at, a missing file and a bad chain file', async () => {
    const home = await homeWith();
    const leaf = write(home.dir, 'd.pem', device);
    expect(await verify(home, ['-c', leaf, '--at', 'yesterday'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --at "yesterday": expected an ISO 8601 date and time\nperidio: hint: for example --at 2024-03-01T00:00:00Z\n',
      exitCode: 2,
    });
    expect((await verify(home, ['-c', join(home.dir, 'missing.pem')])).stderr).toMatch(
      /^peridio: error: cannot read device certificate \S+missing\.pem: no such file or directory\n$/,
    );
    const chain = write(home.dir, 'chain.pem', `${intermediate.pem}-----BEGIN CERTIFICATE-----\nMIIB\n`);
    const run = await verify(home, ['-c', leaf, '--chain-path', chain]);
    expect(run.stderr).toMatch(/^peridio: error: chain \S+chain\.pem is not a valid certificate: truncated PEM/);
    expect(run.exitCode).toBe(2);
  });
});
