/** checkVerificationCertificate and singleCommonName: the proof-of-possession certificate. */
import { describe, expect, it } from 'vitest';
import { ExpiredError, UsageError, VerificationError } from '../../../src/core/errors.js';
import { checkVerificationCertificate } from '../../../src/core/x509/check-verification.js';
import { singleCommonName } from '../../../src/core/x509/describe.js';
import { oid, printableString, seq, set } from '../../../src/core/x509/der-writer.js';
import { parseCertificate } from '../../../src/core/x509/parse.js';
import {
  ext,
  leafCertificate,
  name,
  newTestKey,
  reencodeSignature,
  selfSignedCa,
  testKey,
  v1Certificate,
  type SignatureMangling,
  type TestKeyType,
} from '../../helpers/mini-ca.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const CODE = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';
const CN = '2.5.4.3';

function refusal(run: () => void): Error & { code: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error('expected a refusal');
}

describe('checkVerificationCertificate accepts', () => {
  it.each<TestKeyType>(['rsa-2048', 'rsa-4096', 'ec-p256', 'ec-p384', 'ed25519'])('a v1 certificate from a %s CA, as openssl x509 -req makes it', (type) => {
    const ca = selfSignedCa({ key: testKey(type) });
    const verification = v1Certificate(ca, { subject: CODE, key: testKey('rsa-2048') });
    expect(() => checkVerificationCertificate(verification.parsed, ca.parsed, NOW)).not.toThrow();
    expect(singleCommonName(verification.parsed, 'verification certificate')).toBe(CODE);
  });

  it('a v3 leaf', () => {
    const ca = selfSignedCa();
    expect(() => checkVerificationCertificate(leafCertificate(ca, { subject: CODE }).parsed, ca.parsed, NOW)).not.toThrow();
  });
});

describe('checkVerificationCertificate refuses', () => {
  const ca = selfSignedCa({ subject: 'Proof CA' });

  it('a certificate signed by another key under the same CA name', () => {
    const impostor = selfSignedCa({ subject: 'Proof CA', key: newTestKey('ec-p256') });
    const error = refusal(() => checkVerificationCertificate(v1Certificate(impostor, { subject: CODE }).parsed, ca.parsed, NOW));
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.code).toBe('verification_failed');
    expect(error.message).toBe("verification certificate is not signed by the CA's key");
  });

  it('a certificate whose issuer is another name', () => {
    const other = selfSignedCa({ subject: 'Other CA' });
    const error = refusal(() => checkVerificationCertificate(v1Certificate(other, { subject: CODE }).parsed, ca.parsed, NOW));
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.message).toBe('verification certificate was not issued by this CA: its issuer "CN=Other CA" is not the CA\'s subject "CN=Proof CA"');
  });

  it('an issuer name equal as text but encoded differently (PrintableString vs UTF8String)', () => {
    const cert = v1Certificate(ca, { subject: CODE, issuerName: seq(set(seq(oid(CN), printableString('Proof CA')))) });
    expect(refusal(() => checkVerificationCertificate(cert.parsed, ca.parsed, NOW)).message).toMatch(/was not issued by this CA/);
  });

  it.each<[string, string]>([
    ['expired', '2025-01-01T00:00:01Z'],
    ['not yet valid', '2024-12-31T23:59:59Z'],
  ])('a certificate %s', (_label, at) => {
    const cert = v1Certificate(ca, { subject: CODE, notBefore: '2025-01-01T00:00:00Z', notAfter: '2025-01-01T00:00:00Z' });
    expect(() => checkVerificationCertificate(cert.parsed, ca.parsed, new Date('2025-01-01T00:00:00Z'))).not.toThrow();
    const error = refusal(() => checkVerificationCertificate(cert.parsed, ca.parsed, new Date(at)));
    expect(error).toBeInstanceOf(ExpiredError);
    expect(error.code).toBe('certificate_expired');
  });

  it('a SHA-1 signed certificate', () => {
    const rsaCa = selfSignedCa({ key: testKey('rsa-2048') });
    const error = refusal(() => checkVerificationCertificate(v1Certificate(rsaCa, { subject: CODE, hash: 'sha1' }).parsed, rsaCa.parsed, NOW));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toMatch(/sha1WithRSAEncryption/);
  });

  it('an unknown critical extension', () => {
    const error = refusal(() => checkVerificationCertificate(leafCertificate(ca, { subject: CODE, extensions: [ext.unknown(true)] }).parsed, ca.parsed, NOW));
    expect(error.message).toMatch(/verification certificate has an unsupported critical extension/);
  });

  it('mismatched signature algorithms', () => {
    const cert = v1Certificate(ca, { subject: CODE, outerAlgorithm: seq(oid('1.2.840.10045.4.3.3')) });
    expect(refusal(() => checkVerificationCertificate(cert.parsed, ca.parsed, NOW)).message).toMatch(/differs from the one in its tbsCertificate/);
  });
});

describe('signatures re-encoded without changing what they sign are refused', () => {
  const ca = selfSignedCa({ subject: 'Encoding CA' });
  const verification = v1Certificate(ca, { subject: CODE });

  it.each<SignatureMangling>(['non-minimal-length', 'extra-leading-zero-r', 'extra-leading-zero-s', 'trailing-bytes'])('ECDSA: %s', (how) => {
    const mangled = parseCertificate(reencodeSignature(verification, how), 'verification certificate');
    const error = refusal(() => checkVerificationCertificate(mangled, ca.parsed, NOW));
    expect(error).toBeInstanceOf(VerificationError);
    expect(error.message).toBe("verification certificate is not signed by the CA's key");
  });

  it.each<TestKeyType>(['rsa-2048', 'ed25519'])('%s: a byte appended to the signature', (type) => {
    const signer = selfSignedCa({ key: testKey(type) });
    const mangled = parseCertificate(reencodeSignature(v1Certificate(signer, { subject: CODE }), 'appended-byte'), 'verification certificate');
    expect(refusal(() => checkVerificationCertificate(mangled, signer.parsed, NOW))).toBeInstanceOf(VerificationError);
  });

  it('the unmangled certificate passes, so the refusals are about the encoding', () => {
    expect(() => checkVerificationCertificate(verification.parsed, ca.parsed, NOW)).not.toThrow();
  });
});

describe('singleCommonName', () => {
  const ca = selfSignedCa();
  it.each<[string, Buffer, number]>([
    ['no CN', name([['2.5.4.10', 'Org']]), 0],
    [
      'two CN attributes',
      name([
        [CN, CODE],
        [CN, CODE],
      ]),
      2,
    ],
  ])('refuses %s', (_label, subject, count) => {
    const error = refusal(() => singleCommonName(v1Certificate(ca, { subject }).parsed, 'verification certificate'));
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toBe(`verification certificate must have exactly one CN attribute in its subject, found ${count}`);
  });

  it('returns the CN byte for byte: a trailing space or another case is kept', () => {
    expect(singleCommonName(v1Certificate(ca, { subject: `${CODE} ` }).parsed, 'x')).toBe(`${CODE} `);
    expect(singleCommonName(v1Certificate(ca, { subject: CODE.toLowerCase() }).parsed, 'x')).toBe(CODE.toLowerCase());
  });

  it('reads a CN next to other attributes', () => {
    expect(
      singleCommonName(
        v1Certificate(ca, {
          subject: name([
            ['2.5.4.10', 'Org'],
            [CN, CODE],
          ]),
        }).parsed,
        'x',
      ),
    ).toBe(CODE);
  });
});
