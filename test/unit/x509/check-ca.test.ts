/** checkCaCertificate: every CA rule of SPEC section 5, one failing certificate each. */
import { describe, expect, it } from 'vitest';
import { ExpiredError, UsageError } from '../../../src/core/errors.js';
import { checkCaCertificate } from '../../../src/core/x509/check-ca.js';
import { KEY_USAGE } from '../../../src/core/x509/extensions.js';
import { oid, seq } from '../../../src/core/x509/der-writer.js';
import { parseCertificate } from '../../../src/core/x509/parse.js';
import {
  caExtensions,
  certificate,
  ext,
  intermediateCa,
  name,
  newTestKey,
  reencodeSignature,
  selfSignedCa,
  testKey,
  type TestKeyType,
} from '../../helpers/mini-ca.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function refusal(run: () => void): UsageError | ExpiredError {
  try {
    run();
  } catch (error) {
    return error as UsageError;
  }
  throw new Error('expected a refusal');
}

describe('checkCaCertificate accepts', () => {
  it.each<TestKeyType>(['rsa-2048', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519'])('a %s CA made as openssl req -x509 makes it', (type) => {
    expect(() => checkCaCertificate(selfSignedCa({ key: testKey(type) }).parsed, NOW)).not.toThrow();
  });

  it('a CA without keyUsage (the AWS recipe)', () => {
    expect(() => checkCaCertificate(selfSignedCa({ extensions: [ext.basicConstraints(true)] }).parsed, NOW)).not.toThrow();
  });

  it('both ends of the validity period, in whole seconds', () => {
    const ca = selfSignedCa({ notBefore: '2025-01-01T00:00:00Z', notAfter: '2025-02-01T00:00:00Z' }).parsed;
    expect(() => checkCaCertificate(ca, new Date('2025-01-01T00:00:00Z'))).not.toThrow();
    expect(() => checkCaCertificate(ca, new Date('2025-02-01T00:00:00.999Z'))).not.toThrow();
  });
});

describe('checkCaCertificate refuses', () => {
  const key = testKey('ec-p256');
  const base = caExtensions(key);
  const cases: Array<[string, () => Buffer | ReturnType<typeof selfSignedCa>, RegExp]> = [
    ['no basicConstraints', () => selfSignedCa({ extensions: base.slice(1) }), /CA certificate lacks basicConstraints cA=TRUE/],
    ['basicConstraints cA=FALSE', () => selfSignedCa({ extensions: [ext.basicConstraints(false), ...base.slice(1)] }), /lacks basicConstraints cA=TRUE/],
    [
      'non-critical basicConstraints',
      () => selfSignedCa({ extensions: [ext.basicConstraints(true, { critical: false }), ...base.slice(1)] }),
      /basicConstraints that is not marked critical/,
    ],
    [
      'keyUsage without keyCertSign',
      () => selfSignedCa({ extensions: [base[0]!, ext.keyUsage([KEY_USAGE.digitalSignature])] }),
      /keyUsage without keyCertSign/,
    ],
    ['a v1 certificate', () => selfSignedCa({ version: 1, extensions: [] }), /lacks basicConstraints cA=TRUE/],
    [
      'an unknown critical extension',
      () => selfSignedCa({ extensions: [...base, ext.unknown(true)] }),
      /unsupported critical extension 1\.3\.6\.1\.4\.1\.55738\.666\.1/,
    ],
    [
      'a duplicated extension',
      () => selfSignedCa({ extensions: [...base, ext.subjectKeyIdentifier(key.spki)] }),
      /subjectKeyIdentifier extension more than once/,
    ],
    ['an empty subject', () => selfSignedCa({ subject: name([]) }), /empty subject/],
    ['a SHA-1 signature', () => selfSignedCa({ hash: 'sha1', key: testKey('rsa-2048') }), /sha1WithRSAEncryption: MD5 and SHA-1 signatures are not accepted/],
    ['an MD5 signature', () => selfSignedCa({ hash: 'md5', key: testKey('rsa-2048') }), /md5WithRSAEncryption/],
    ['an ECDSA SHA-1 signature', () => selfSignedCa({ hash: 'sha1' }), /ecdsa-with-SHA1/],
    [
      'outer and inner signature algorithms that differ',
      () => selfSignedCa({ outerAlgorithm: seq(oid('1.2.840.10045.4.3.3')) }),
      /signatureAlgorithm that differs from the one in its tbsCertificate/,
    ],
    ['a 1024-bit RSA key', () => selfSignedCa({ key: newTestKey('rsa-1024') }), /1024-bit RSA key: at least 2048 bits/],
    ['a secp256k1 key', () => selfSignedCa({ key: newTestKey('ec-secp256k1') }), /unsupported curve \(1\.3\.132\.0\.10\)/],
    [
      'an Ed448 key',
      () => certificate({ key: newTestKey('ed448'), extensions: caExtensions(key) }),
      /uses an unsupported signature algorithm \(1\.3\.101\.113\)/,
    ],
  ];

  it.each(cases)('%s', (_name, make, message) => {
    const made = make();
    const error = refusal(() => checkCaCertificate('parsed' in made ? made.parsed : (made as never), NOW));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toMatch(message);
  });

  it.each(['non-minimal-length', 'extra-leading-zero-r', 'extra-leading-zero-s', 'trailing-bytes'] as const)(
    'a self-signed CA whose signature was re-encoded: %s',
    (how) => {
      const mangled = parseCertificate(reencodeSignature(selfSignedCa(), how), 'ca');
      expect(refusal(() => checkCaCertificate(mangled, NOW)).message).toBe('CA certificate is self-issued but its signature does not verify under its own key');
    },
  );

  it('but not an intermediate CA, whose issuer key registration does not have', () => {
    const root = selfSignedCa();
    expect(() => checkCaCertificate(intermediateCa(root).parsed, NOW)).not.toThrow();
  });

  it('a certificate not yet valid or expired, with certificate_expired', () => {
    const ca = selfSignedCa({ notBefore: '2025-01-01T00:00:01Z', notAfter: '2025-02-01T00:00:00Z' }).parsed;
    const early = refusal(() => checkCaCertificate(ca, new Date('2025-01-01T00:00:00.999Z')));
    expect(early).toBeInstanceOf(ExpiredError);
    expect(early.code).toBe('certificate_expired');
    expect(early.message).toBe('CA certificate is not valid until 2025-01-01T00:00:01Z (checked at 2025-01-01T00:00:00Z)');
    const late = refusal(() => checkCaCertificate(ca, new Date('2025-02-01T00:00:01Z')));
    expect(late.message).toBe('CA certificate expired at 2025-02-01T00:00:00Z (checked at 2025-02-01T00:00:01Z)');
  });
});
