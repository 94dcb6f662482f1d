/**
 * The device policy against what the vendor recipes make with real `openssl`: a
 * version 1 device certificate from `openssl x509 -req` (AWS, Peridio), a version 3
 * one with an -extfile section, and a CRL from `openssl ca -gencrl` that revokes it,
 * all through the built CLI.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { keyAndCsr, NEWKEY, selfSignedRoot, signCsr } from '../helpers/openssl-recipes.js';
import { e2eHome, openssl } from '../helpers/spawn-peridio.js';

const CA_CONFIG = `[ca]
default_ca = fleet
[fleet]
database = index.txt
default_md = sha256
default_crl_days = 30
crlnumber = crlnumber
[device]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:device-42.fleet.example.com
`;

describe('device-certificates verify with openssl-made device certificates and CRLs', { timeout: 120_000 }, () => {
  it("accepts the recipes' certificates, checks purpose and name, and exits 3 revoked for a CRL that lists one", () => {
    const e = e2eHome();
    writeFileSync(`${e.home}/ca.cnf`, CA_CONFIG);
    writeFileSync(`${e.home}/index.txt`, '');
    writeFileSync(`${e.home}/crlnumber`, '01\n');
    selfSignedRoot(e.home, 'root', NEWKEY.rsa2048, '/CN=Fleet Root/O=Example');
    keyAndCsr(e.home, 'device', NEWKEY.p256, '/CN=device-42');
    // The AWS recipe: no -extfile, so a version 1 certificate without extensions.
    signCsr(e.home, { csr: 'device.csr', ca: 'root', days: 500, out: 'v1.pem' });
    expect(openssl(e.home, ['x509', '-in', 'v1.pem', '-noout', '-text'])).toMatch(/Version: 1 \(0x0\)/);
    signCsr(e.home, { csr: 'device.csr', ca: 'root', days: 500, extfile: 'ca.cnf', extensions: 'device', out: 'v3.pem' });
    expect(e.peridio(['ca-certificates', 'create', '-c', 'root.pem', '--verified', '-q']).exitCode).toBe(0);

    expect(e.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '-q']).exitCode).toBe(0);
    expect(e.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '--dns-name', 'device-42', '-q']).exitCode).toBe(0);
    expect(
      e.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--purpose', 'client-auth', '--dns-name', 'device-42.fleet.example.com', '-q']).exitCode,
    ).toBe(0);
    expect(e.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--purpose', 'server-auth', '-q']).exitCode).toBe(3);

    openssl(e.home, ['ca', '-config', 'ca.cnf', '-gencrl', '-keyfile', 'root.key', '-cert', 'root.pem', '-out', 'empty.crl']);
    expect(e.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--crl-path', 'empty.crl', '-q']).exitCode).toBe(0);
    openssl(e.home, ['ca', '-config', 'ca.cnf', '-revoke', 'v3.pem', '-keyfile', 'root.key', '-cert', 'root.pem']);
    openssl(e.home, ['ca', '-config', 'ca.cnf', '-gencrl', '-keyfile', 'root.key', '-cert', 'root.pem', '-out', 'revoked.crl']);
    openssl(e.home, ['crl', '-in', 'revoked.crl', '-outform', 'DER', '-out', 'revoked.der']);
    const revoked = e.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--crl-path', 'revoked.der', '--json']);
    expect({ exitCode: revoked.exitCode, code: JSON.parse(revoked.stderr).error.code }).toEqual({ exitCode: 3, code: 'revoked' });
    // The v1 certificate has another serial: the CRL does not list it.
    expect(e.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '--crl-path', 'revoked.crl', '-q']).exitCode).toBe(0);
  });
});
