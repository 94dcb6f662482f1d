/**
 * `device-certificates verify` options of issue 12: --purpose, --dns-name,
 * --ip-address, --email, --crl-path, --max-depth; and name-constrained CAs. Exact
 * output for every refusal and every bad value.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oid, seq, tlv } from '../../src/core/x509/der-writer.js';
import { fixedClock } from '../helpers/clock.js';
import { caExtensions, ext, intermediateCa, leafCertificate, newTestKey, selfSignedCa, type TestCertificate } from '../helpers/mini-ca.js';
import { crlDer, crlPem } from '../helpers/mini-crl.js';
import { cliHome, runCli, type CliHome } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

const EKU_CLIENT_AUTH = { oid: '2.5.29.37', critical: false, value: seq(oid('1.3.6.1.5.5.7.3.2')) };
const sanIp = (bytes: number[]) => ({ oid: '2.5.29.17', critical: false, value: seq(tlv(0x87, Buffer.from(bytes))) });
const sanEmail = (address: string) => ({ oid: '2.5.29.17', critical: false, value: seq(tlv(0x81, Buffer.from(address))) });
/** nameConstraints permitting dNSName `fleet.example.com` and excluding `bad.fleet.example.com`, critical. */
const FLEET_ONLY = {
  oid: '2.5.29.30',
  critical: true,
  value: seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('fleet.example.com')))), tlv(0xa1, seq(tlv(0x82, Buffer.from('bad.fleet.example.com'))))),
};

const root = selfSignedCa({ subject: 'Options Root', key: newTestKey('ec-p256') });
const intermediate = intermediateCa(root, { subject: 'Options Intermediate' });
const deviceExtensions = (issuer: TestCertificate, key = root.key, more: ReturnType<typeof ext.subjectAltNameDns>[] = []) => [
  ...leafCertificate(issuer, { key }).parsed.fields.extensions.map((e) => ({ oid: e.oid, critical: e.critical, value: e.value })),
  ...more,
];
const device = leafCertificate(root, {
  subject: 'device-7',
  serial: Buffer.from([0x42]),
  extensions: deviceExtensions(root, undefined, [ext.subjectAltNameDns('device-7.fleet.example.com'), EKU_CLIENT_AUTH]),
});

function write(dir: string, name: string, content: string | Buffer | TestCertificate): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : content.pem);
  return path;
}

async function homeWith(ca: TestCertificate = root): Promise<CliHome & { dir: string }> {
  const home = cliHome();
  const dir = tempDir();
  const run = await runCli(['ca-certificates', 'create', '-c', write(dir, 'root.pem', ca), '--verified', '-q'], {
    env: home.env,
    clock: fixedClock('2025-01-01T00:00:00Z'),
  });
  expect(run.stderr.replace(/^peridio: warning: .*\n/gm, '')).toBe('');
  expect(run.exitCode).toBe(0);
  return { ...home, dir };
}

const verify = (home: CliHome, args: string[]) =>
  runCli(['device-certificates', 'verify', ...args], { env: home.env, clock: fixedClock('2025-01-01T00:00:00Z') });
const refused = (message: string, hint?: string) => ({
  stdout: '',
  stderr: `peridio: error: ${message}\n${hint ? `peridio: hint: ${hint}\n` : ''}`,
  exitCode: 3,
});
const usage = (message: string, hint: string) => ({ stdout: '', stderr: `peridio: error: ${message}\nperidio: hint: ${hint}\n`, exitCode: 2 });

describe('device-certificates verify --purpose', () => {
  it('accepts a clientAuth device for client-auth and any, refuses it for server-auth', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'd.pem', device);
    expect((await verify(home, ['-c', path, '--purpose', 'client-auth', '-q'])).exitCode).toBe(0);
    expect((await verify(home, ['-c', path, '-q'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', path, '--purpose', 'server-auth'])).toEqual(
      refused('device certificate does not validate: device certificate has an extendedKeyUsage without serverAuth (checked for the purpose server-auth)'),
    );
  });

  it('refuses a bad value', async () => {
    const home = await homeWith();
    expect(await verify(home, ['-c', write(home.dir, 'd.pem', device), '--purpose', 'tls'])).toEqual(
      usage('invalid --purpose "tls": expected one of client-auth, server-auth, any', 'devices authenticate as TLS clients: --purpose client-auth'),
    );
  });
});

describe('device-certificates verify --dns-name, --ip-address, --email', () => {
  it('matches the subjectAltName, case-insensitively, and names what is missing', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'd.pem', device);
    expect((await verify(home, ['-c', path, '--dns-name', 'Device-7.Fleet.Example.com', '-q'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', path, '--dns-name', 'device-8.fleet.example.com'])).toEqual(
      refused('device certificate does not validate: device certificate does not carry the DNS name device-8.fleet.example.com in its subjectAltName'),
    );
    // No CN fallback when a subjectAltName exists: the CN "device-7" is not a DNS identity here.
    expect((await verify(home, ['-c', path, '--dns-name', 'device-7'])).exitCode).toBe(3);
  });

  it('matches IP addresses by their bytes and mailboxes exactly', async () => {
    const home = await homeWith();
    const byIp = write(
      home.dir,
      'ip.pem',
      leafCertificate(root, {
        subject: 'device-ip',
        extensions: deviceExtensions(root, undefined, [sanIp([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1])]),
      }),
    );
    expect((await verify(home, ['-c', byIp, '--ip-address', '2001:DB8:0:0::1', '-q'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', byIp, '--ip-address', '192.0.2.1'])).toEqual(
      refused('device certificate does not validate: device certificate does not carry the IP address 192.0.2.1 in its subjectAltName'),
    );
    const byMail = write(
      home.dir,
      'mail.pem',
      leafCertificate(root, { subject: 'device-mail', extensions: deviceExtensions(root, undefined, [sanEmail('ops@fleet.example.com')]) }),
    );
    expect((await verify(home, ['-c', byMail, '--email', 'ops@FLEET.example.com', '-q'])).exitCode).toBe(0);
    expect((await verify(home, ['-c', byMail, '--email', 'OPS@fleet.example.com'])).exitCode).toBe(3);
  });

  it.each([
    [
      ['--dns-name', '*.fleet.example.com'],
      '--dns-name "*.fleet.example.com" is not a host name',
      'give a name such as device-42.example.com, without a wildcard; use --ip-address for an IP address',
    ],
    [
      ['--dns-name', '192.0.2.1'],
      '--dns-name "192.0.2.1" is not a host name',
      'give a name such as device-42.example.com, without a wildcard; use --ip-address for an IP address',
    ],
    [['--ip-address', '192.0.2.01'], '--ip-address "192.0.2.01" is not an IPv4 or IPv6 address', 'give an address such as 192.0.2.10 or 2001:db8::1'],
    [
      ['--ip-address', 'fleet.example.com'],
      '--ip-address "fleet.example.com" is not an IPv4 or IPv6 address',
      'give an address such as 192.0.2.10 or 2001:db8::1',
    ],
    [['--email', 'no-at-sign'], '--email "no-at-sign" is not a mailbox address', 'give an address such as device-42@example.com'],
    [['--dns-name', 'a.example.com', '--ip-address', '192.0.2.1'], 'give at most one of --dns-name, --ip-address and --email', 'check one identity per run'],
  ])('refuses %j', async (flags, message, hint) => {
    const home = await homeWith();
    expect(await verify(home, ['-c', write(home.dir, 'd.pem', device), ...flags])).toEqual(usage(message, hint));
  });
});

describe('device-certificates verify --crl-path', () => {
  it('exits 3 with code revoked when a CRL of the issuer lists the device, 0 when it does not', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'd.pem', device);
    const listed = write(home.dir, 'listed.crl', crlPem(root, { revoked: [Buffer.from([0x42])] }));
    const clean = write(home.dir, 'clean.crl', crlDer(root, { revoked: [Buffer.from([0x43])] }));
    expect((await verify(home, ['-c', path, '--crl-path', clean, '-q'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', path, '--crl-path', clean, '--crl-path', listed])).toEqual(
      refused(
        `device certificate is revoked: crl ${listed} lists its serial number since 2024-06-01T00:00:00Z`,
        'the issuer revoked this certificate: issue the device a new one',
      ),
    );
    const json = await verify(home, ['-c', path, '--crl-path', listed, '--json']);
    expect({ exitCode: json.exitCode, code: JSON.parse(json.stderr).error.code }).toEqual({ exitCode: 3, code: 'revoked' });
  });

  it('refuses a CRL without cRLNumber, an out-of-date one, and one signed by another key', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'd.pem', device);
    const noNumber = write(home.dir, 'n.crl', crlPem(root, { crlNumber: 'missing' }));
    expect(await verify(home, ['-c', path, '--crl-path', noNumber])).toEqual(
      refused(`device certificate does not validate: crl ${noNumber} lacks a cRLNumber extension (RFC 5280 5.2.3)`),
    );
    const stale = write(home.dir, 's.crl', crlPem(root, { nextUpdate: Date.parse('2024-12-01T00:00:00Z') }));
    expect(await verify(home, ['-c', path, '--crl-path', stale])).toEqual(
      refused(`device certificate does not validate: crl ${stale} is out of date: its nextUpdate was 2024-12-01T00:00:00Z (checked at 2025-01-01T00:00:00Z)`),
    );
    const impostor = selfSignedCa({ subject: 'Options Root', key: newTestKey('ec-p256') });
    const forged = write(home.dir, 'f.crl', crlPem(impostor));
    expect(await verify(home, ['-c', path, '--crl-path', forged])).toEqual(
      refused(`device certificate does not validate: crl ${forged} has a signature that does not verify under the issuer's key`),
    );
  });

  it('refuses a file that is not a CRL, and a missing one', async () => {
    const home = await homeWith();
    const path = write(home.dir, 'd.pem', device);
    const cert = write(home.dir, 'cert.crl', root);
    expect(await verify(home, ['-c', path, '--crl-path', cert])).toEqual(
      usage(`crl ${cert} is not a valid CRL: it holds a PEM "CERTIFICATE" block`, 'give a CRL file, PEM ("-----BEGIN X509 CRL-----") or DER'),
    );
    const empty = write(home.dir, 'empty.crl', '');
    expect(await verify(home, ['-c', path, '--crl-path', empty])).toEqual(
      usage(`crl ${empty} is not a valid CRL: it is empty`, 'give a CRL file, PEM ("-----BEGIN X509 CRL-----") or DER'),
    );
    const garbage = write(home.dir, 'garbage.crl', Buffer.from([0x30, 0x03, 0x02, 0x01]));
    expect(await verify(home, ['-c', path, '--crl-path', garbage])).toEqual(
      usage(`crl ${garbage} is not a valid CRL: truncated element`, 'give a CRL file, PEM ("-----BEGIN X509 CRL-----") or DER'),
    );
    const missing = join(home.dir, 'missing.crl');
    expect(await verify(home, ['-c', path, '--crl-path', missing])).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot read CRL ${missing}: no such file or directory\n`,
      exitCode: 2,
    });
  });
});

describe('device-certificates verify --max-depth', () => {
  it('counts the intermediates', async () => {
    const home = await homeWith();
    const leaf = write(home.dir, 'd.pem', leafCertificate(intermediate, { subject: 'deep-device' }));
    const chain = write(home.dir, 'chain.pem', intermediate);
    expect((await verify(home, ['-c', leaf, '--chain-path', chain, '--max-depth', '1', '-q'])).exitCode).toBe(0);
    expect(await verify(home, ['-c', leaf, '--chain-path', chain, '--max-depth', '0'])).toEqual(
      refused('device certificate does not validate: the path has 1 intermediate CA certificate, more than the 0 allowed'),
    );
  });

  it.each([['x'], ['1.5'], ['9']])('refuses --max-depth %s', async (value) => {
    const home = await homeWith();
    const run = await verify(home, ['-c', write(home.dir, 'd.pem', device), '--max-depth', value]);
    expect(run).toEqual(
      value === '9'
        ? usage(
            '--max-depth must be a whole number from 0 to 8',
            'it counts the intermediate CA certificates between the device certificate and the registered CA',
          )
        : usage(`invalid --max-depth "${value}": expected a whole number`, 'for example --max-depth 1 allows one intermediate CA certificate'),
    );
  });
});

describe('name-constrained CAs', () => {
  const key = newTestKey('ec-p256');
  const constrained = selfSignedCa({ subject: 'Fleet Root', key, extensions: [...caExtensions(key), FLEET_ONLY] });

  it('registers, and validates devices inside the permitted subtree', async () => {
    const home = await homeWith(constrained);
    const inside = leafCertificate(constrained, {
      subject: 'dev',
      extensions: deviceExtensions(constrained, undefined, [ext.subjectAltNameDns('dev-1.fleet.example.com')]),
    });
    expect((await verify(home, ['-c', write(home.dir, 'in.pem', inside), '-q'])).exitCode).toBe(0);
  });

  it('refuses a device outside the permitted subtree or inside the excluded one, naming both certificates', async () => {
    const home = await homeWith(constrained);
    const outside = leafCertificate(constrained, {
      subject: 'dev',
      extensions: deviceExtensions(constrained, undefined, [ext.subjectAltNameDns('dev-1.other.example.com')]),
    });
    expect(await verify(home, ['-c', write(home.dir, 'out.pem', outside)])).toEqual(
      refused(
        'device certificate does not validate: device certificate has subjectAltName dNSName "dev-1.other.example.com" outside the permitted subtrees of the name constraints of registered CA "CN=Fleet Root"',
      ),
    );
    const excluded = leafCertificate(constrained, {
      subject: 'dev',
      extensions: deviceExtensions(constrained, undefined, [ext.subjectAltNameDns('x.bad.fleet.example.com')]),
    });
    expect(await verify(home, ['-c', write(home.dir, 'ex.pem', excluded)])).toEqual(
      refused(
        'device certificate does not validate: device certificate has subjectAltName dNSName "x.bad.fleet.example.com" inside an excluded subtree of the name constraints of registered CA "CN=Fleet Root"',
      ),
    );
  });
});
