/**
 * The mini CA's output is read the same way by independent implementations: the
 * `openssl` command and @peculiar/x509. This guards the DER writer that both the
 * tests and `x509 create` use.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { intermediateCa, leafCertificate, newTestKey, selfSignedCa, v1Certificate, type TestKeyType } from '../../helpers/mini-ca.js';
import { tempDir } from '../../helpers/temp.js';

const KEY_TYPES: TestKeyType[] = ['rsa-2048', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519'];

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

describe('mini CA', () => {
  it.each(KEY_TYPES)('makes a %s root, intermediate and leaf that openssl verify accepts', (type) => {
    const dir = tempDir();
    const root = selfSignedCa({ key: newTestKey(type), subject: `Root ${type}` });
    const intermediate = intermediateCa(root, { key: newTestKey(type) });
    const leaf = leafCertificate(intermediate, { key: newTestKey(type) });
    writeFileSync(join(dir, 'root.pem'), root.pem);
    writeFileSync(join(dir, 'inter.pem'), intermediate.pem);
    writeFileSync(join(dir, 'leaf.pem'), leaf.pem);
    const at = String(Date.parse('2025-01-01T00:00:00Z') / 1000);
    expect(openssl(['verify', '-attime', at, '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'inter.pem'), join(dir, 'leaf.pem')])).toContain(': OK');
  });

  it('writes fields @peculiar/x509 reads back identically', () => {
    const root = selfSignedCa({
      subject: 'Peculiar Root',
      serial: Buffer.from('0123456789', 'hex'),
      notBefore: '2024-01-02T03:04:05Z',
      notAfter: '2051-01-01T00:00:00Z',
    });
    const cert = new x509.X509Certificate(root.der);
    expect(cert.subject).toBe('CN=Peculiar Root');
    expect(cert.serialNumber).toBe('0123456789');
    expect(cert.notBefore.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(cert.notAfter.toISOString()).toBe('2051-01-01T00:00:00.000Z');
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.critical).toBe(true);
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  });

  it('makes v1 certificates without extensions, as openssl x509 -req does', () => {
    const dir = tempDir();
    const root = selfSignedCa();
    writeFileSync(join(dir, 'v1.pem'), v1Certificate(root, { subject: 'abc' }).pem);
    const text = openssl(['x509', '-noout', '-text', '-in', join(dir, 'v1.pem')]);
    expect(text).toContain('Version: 1 (0x0)');
    expect(text).not.toContain('X509v3');
  });
});
