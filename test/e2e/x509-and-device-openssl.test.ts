/**
 * Our x509 output checked by real `openssl`, signer keys as `openssl` writes them,
 * and device chains built with `openssl` checked by `device-certificates verify`,
 * all through the built CLI.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyAndCsr, NEWKEY, selfSignedRoot, signCsr } from '../helpers/openssl-recipes.js';
import { e2eHome, openssl } from '../helpers/spawn-peridio.js';

function ok(run: { stdout: string; stderr: string; exitCode: number }): string {
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

/** A CA key in each form openssl writes, and the -passin it needs. */
const SIGNER_KEYS: ReadonlyArray<{ name: string; args: string[]; passphrase?: string }> = [
  { name: 'PKCS#8 (openssl genpkey)', args: ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'] },
  {
    name: 'encrypted PKCS#8 (genpkey -aes-256-cbc)',
    args: ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-aes-256-cbc', '-pass', 'pass:s3cret phrase', '-out', 'ca.key'],
    passphrase: 's3cret phrase',
  },
  { name: 'SEC1 (openssl ecparam -genkey)', args: ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', 'ca.key'] },
  { name: 'PKCS#1 (openssl genrsa -traditional)', args: ['genrsa', '-traditional', '-out', 'ca.key', '2048'] },
  { name: 'Ed25519 (openssl genpkey)', args: ['genpkey', '-algorithm', 'ed25519', '-out', 'ca.key'] },
];

describe('x509 and device-certificates with real openssl', { timeout: 120_000 }, () => {
  it.each(['ec-p256', 'ec-p384', 'rsa-2048'])('x509 create --ca --key-type %s: openssl reads and verifies it', (keyType) => {
    const e = e2eHome();
    ok(e.peridio(['x509', 'create', '--ca', '--common-name', 'Dev Root', '--key-type', keyType, '--key-out', 'ca.key', '--out', 'ca.pem']));
    const text = openssl(e.home, ['x509', '-in', 'ca.pem', '-noout', '-text']);
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(openssl(e.home, ['verify', '-CAfile', 'ca.pem', 'ca.pem'])).toBe('ca.pem: OK\n');
    // The key file is what openssl expects for -CAkey.
    openssl(e.home, ['pkey', '-in', 'ca.key', '-noout']);
  });

  it.each(SIGNER_KEYS)('x509 create signs with a $name signer key; openssl verifies it and registration accepts it', ({ args, passphrase }) => {
    const e = e2eHome();
    openssl(e.home, args);
    openssl(e.home, [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      ...(passphrase ? ['-passin', `pass:${passphrase}`] : []),
      '-days',
      '365',
      '-subj',
      '/CN=Openssl Root/O=Example',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'ca.pem',
    ]);
    const code = ok(e.peridio(['ca-certificates', 'verification-codes', 'create', '-q'])).trim();
    const create = [
      'x509',
      'create',
      '--common-name',
      code,
      '--signer-cert',
      'ca.pem',
      '--signer-key',
      'ca.key',
      '--key-out',
      'verification.key',
      '--out',
      'verification.pem',
    ];
    if (passphrase) {
      writeFileSync(`${e.home}/pass.txt`, `${passphrase}\n`);
      create.push('--signer-key-passphrase-file', 'pass.txt');
    }
    ok(e.peridio(create));
    expect(openssl(e.home, ['verify', '-CAfile', 'ca.pem', 'verification.pem'])).toBe('verification.pem: OK\n');
    expect(openssl(e.home, ['x509', '-in', 'verification.pem', '-noout', '-subject', '-issuer'])).toBe(
      `subject=CN = ${code}\nissuer=CN = Openssl Root, O = Example\n`,
    );
    const registered = JSON.parse(ok(e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--json'])));
    expect(registered).toMatchObject({ is_verified: true, status: 'active' });
  });

  it('x509 csr, signed by openssl x509 -req as an HSM workflow would, proves possession', () => {
    const e = e2eHome();
    ok(e.peridio(['x509', 'create', '--ca', '--common-name', 'Csr Root', '--key-out', 'ca.key', '--out', 'ca.pem']));
    const code = ok(e.peridio(['ca-certificates', 'verification-codes', 'create', '-q'])).trim();
    ok(e.peridio(['x509', 'csr', '--common-name', code, '--key-out', 'verification.key', '--out', 'verification.csr']));
    openssl(e.home, ['req', '-in', 'verification.csr', '-verify', '-noout']);
    signCsr(e.home, { csr: 'verification.csr', ca: 'ca', days: 1, out: 'verification.pem' });
    expect(JSON.parse(ok(e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--json'])))).toMatchObject({ is_verified: true });
  });

  it('device-certificates verify agrees with openssl verify on an openssl-made chain', () => {
    const e = e2eHome();
    writeFileSync(
      `${e.home}/v3.ext`,
      '[ca]\nbasicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n[device]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n',
    );
    selfSignedRoot(e.home, 'root', NEWKEY.p256, '/CN=Fleet Root/O=Example');
    keyAndCsr(e.home, 'inter', NEWKEY.p256, '/CN=Fleet Issuing CA/O=Example');
    signCsr(e.home, { csr: 'inter.csr', ca: 'root', days: 1825, extfile: 'v3.ext', extensions: 'ca', out: 'inter.pem' });
    keyAndCsr(e.home, 'device', NEWKEY.rsa2048, '/CN=device-42');
    signCsr(e.home, { csr: 'device.csr', ca: 'inter', days: 30, extfile: 'v3.ext', extensions: 'device', out: 'device.pem' });
    expect(openssl(e.home, ['verify', '-CAfile', 'root.pem', '-untrusted', 'inter.pem', 'device.pem'])).toBe('device.pem: OK\n');

    // Not registered yet: exit 3.
    expect(e.peridio(['device-certificates', 'verify', '-c', 'device.pem', '--chain-path', 'inter.pem']).exitCode).toBe(3);
    ok(e.peridio(['ca-certificates', 'create', '-c', 'root.pem', '--verified', '--name', 'fleet-root']));
    const result = JSON.parse(ok(e.peridio(['device-certificates', 'verify', '-c', 'device.pem', '--chain-path', 'inter.pem', '--json'])));
    expect(result.chain.map((c: { subject: string }) => c.subject)).toEqual(['CN=device-42', 'O=Example,CN=Fleet Issuing CA', 'O=Example,CN=Fleet Root']);
    // DER input works as well as PEM.
    openssl(e.home, ['x509', '-in', 'device.pem', '-outform', 'DER', '-out', 'device.der']);
    ok(e.peridio(['device-certificates', 'verify', '-c', 'device.der', '--chain-path', 'inter.pem', '-q']));
    // After the device certificate expires, both refuse it.
    const later = new Date(Date.now() + 60 * 86_400_000);
    const late = e.peridio(['device-certificates', 'verify', '-c', 'device.pem', '--chain-path', 'inter.pem', '--at', later.toISOString()]);
    expect(late.exitCode).toBe(3);
    expect(late.stderr).toMatch(/^peridio: error: device certificate does not validate: device certificate expired at /);
    expect(() =>
      openssl(e.home, ['verify', '-attime', String(Math.floor(later.getTime() / 1000)), '-CAfile', 'root.pem', '-untrusted', 'inter.pem', 'device.pem']),
    ).toThrow(/certificate has expired/);
    // Deactivating the CA takes it out of the trust anchors.
    ok(e.peridio(['ca-certificates', 'update', 'fleet-root', '--inactive']));
    expect(e.peridio(['device-certificates', 'verify', '-c', 'device.pem', '--chain-path', 'inter.pem']).exitCode).toBe(3);
  });
});
