/** The device certificate policy (device-profile.ts) as validatePath applies it, each refusal naming the certificate and the rule. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../src/core/errors.js';
import { checkCaCertificate } from '../../../src/core/x509/check-ca.js';
import { KEY_USAGE } from '../../../src/core/x509/extensions.js';
import { validatePath } from '../../../src/core/x509/path-validation.js';
import { seq, tlv } from '../../../src/core/x509/der-writer.js';
import {
  caExtensions,
  certificate,
  ext,
  intermediateCa,
  leafCertificate,
  name,
  newTestKey,
  selfSignedCa,
  v1Certificate,
  type TestCertificate,
  type TestKey,
} from '../../helpers/mini-ca.js';

const AT = new Date('2025-01-01T00:00:00Z');
const root = selfSignedCa({ subject: 'Profile Root', key: newTestKey('ec-p256') });

function refusal(leaf: TestCertificate, intermediates: TestCertificate[] = [], anchor = root): string {
  try {
    validatePath(
      leaf.parsed,
      intermediates.map((c) => c.parsed),
      [anchor.parsed],
      AT,
    );
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    return (error as Error).message.replace('device certificate does not validate: ', '');
  }
  throw new Error('expected a refusal');
}

const leafExtensions = (key: TestKey, issuer = root) => [
  ext.basicConstraints(false),
  ext.keyUsage([KEY_USAGE.digitalSignature]),
  ext.subjectKeyIdentifier(key.spki),
  ext.authorityKeyIdentifier(issuer.keyId),
];

function keyOf(pair: { publicKey: import('node:crypto').KeyObject; privateKey: import('node:crypto').KeyObject }, type: TestKey['type']): TestKey {
  return { type, ...pair, spki: pair.publicKey.export({ type: 'spki', format: 'der' }) };
}

describe('the device profile', () => {
  it('keeps the openssl x509 -req device certificate: version 1, no extensions, no AKI', () => {
    expect(validatePath(v1Certificate(root, { subject: 'v1-device' }).parsed, [], [root.parsed], AT)).toHaveLength(2);
  });

  it.each([
    ['serial zero', Buffer.from([0x00]), 'device certificate has serial number zero (RFC 5280 4.1.2.2 requires a positive one)'],
    ['a 21-octet serial', Buffer.alloc(21, 0x11), 'device certificate has a serial number of 21 octets (RFC 5280 4.1.2.2 allows at most 20)'],
    // A negative serial cannot be written by the mini CA (unsigned serials); rfc5280::serial::negative covers it.
  ])('refuses %s', (_what, serial, message) => {
    expect(refusal(leafCertificate(root, { serial }))).toBe(message);
  });

  it('refuses a version 3 leaf without authorityKeyIdentifier, and an intermediate without subjectKeyIdentifier', () => {
    const key = newTestKey('ec-p256');
    expect(refusal(leafCertificate(root, { key, extensions: leafExtensions(key).slice(0, 3) }))).toBe(
      'device certificate lacks an authorityKeyIdentifier, which RFC 5280 4.2.1.1 requires of every certificate that is not self-signed',
    );
    const interKey = newTestKey('ec-p256');
    const inter = intermediateCa(root, { subject: 'No SKI', key: interKey, extensions: caExtensions(interKey, root).filter((e) => e.oid !== '2.5.29.14') });
    expect(refusal(leafCertificate(inter), [inter])).toBe(
      'intermediate CA certificate "CN=No SKI" lacks a subjectKeyIdentifier, which RFC 5280 4.2.1.2 requires of a CA certificate',
    );
  });

  it('refuses an end-entity asserting cA=TRUE, and one carrying nameConstraints', () => {
    const key = newTestKey('ec-p256');
    expect(refusal(leafCertificate(root, { key, extensions: [ext.basicConstraints(true), ...leafExtensions(key).slice(1)] }))).toBe(
      'device certificate is an end-entity certificate but asserts basicConstraints cA=TRUE',
    );
    const constraints = { oid: '2.5.29.30', critical: true, value: seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('example.com'))))) };
    expect(refusal(leafCertificate(root, { key, extensions: [...leafExtensions(key), constraints] }))).toBe(
      'device certificate is an end-entity certificate but carries nameConstraints, which only a CA certificate may',
    );
  });

  it('refuses an empty subject without a critical subjectAltName, and a non-critical policyConstraints', () => {
    const key = newTestKey('ec-p256');
    expect(refusal(leafCertificate(root, { key, subject: name([]), extensions: [...leafExtensions(key), ext.subjectAltNameDns('d.example.com')] }))).toBe(
      'device certificate has an empty subject and a subjectAltName that is not marked critical (RFC 5280 4.2.1.6)',
    );
    expect(
      validatePath(
        leafCertificate(root, { key, subject: name([]), extensions: [...leafExtensions(key), ext.subjectAltNameDns('d.example.com', true)] }).parsed,
        [],
        [root.parsed],
        AT,
      ),
    ).toHaveLength(2);
    const policyConstraints = ext.raw('2.5.29.36', seq(tlv(0x80, Buffer.from([0]))));
    expect(refusal(leafCertificate(root, { key, extensions: [...leafExtensions(key), policyConstraints] }))).toBe(
      'device certificate has a policyConstraints extension that is not marked critical (RFC 5280 4.2.1.11)',
    );
  });

  it.each([
    [
      'a DSA key',
      () => keyOf(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }), 'ec-p256'),
      'device certificate has an unsupported dsa key: only RSA (2048 bits or more), EC P-256/P-384/P-521 and Ed25519 are accepted',
    ],
    [
      'a secp256k1 key',
      () => newTestKey('ec-secp256k1'),
      'device certificate has an EC key on an unsupported curve (1.3.132.0.10): only P-256, P-384 and P-521 are accepted',
    ],
    ['a 1024-bit RSA key', () => newTestKey('rsa-1024'), 'device certificate has a 1024-bit RSA key: at least 2048 bits are required'],
    [
      'a 2052-bit RSA key',
      () => keyOf(generateKeyPairSync('rsa', { modulusLength: 2052 }), 'rsa-2048'),
      'device certificate has a 2052-bit RSA key: the size must be a multiple of 8 bits',
    ],
  ])('refuses a leaf with %s', (_what, makeKey, message) => {
    const key = makeKey();
    expect(refusal(leafCertificate(root, { key, extensions: leafExtensions(key) }))).toBe(message);
  });

  it('refuses a SHA-1 signature anywhere on the path', () => {
    const key = newTestKey('ec-p256');
    const inter = certificate({ subject: 'Sha1 Inter', key, issuer: root, hash: 'sha1', extensions: caExtensions(key, root) });
    expect(refusal(leafCertificate(inter), [inter])).toBe(
      'intermediate CA certificate "CN=Sha1 Inter" is signed with ecdsa-with-SHA1: MD5 and SHA-1 signatures are not accepted',
    );
  });
});

describe('registration of a CA with name constraints', () => {
  const key = newTestKey('ec-p256');
  const withConstraints = (value: Buffer) =>
    selfSignedCa({ subject: 'Constrained', key, extensions: [...caExtensions(key), { oid: '2.5.29.30', critical: true, value }] });

  it('accepts a critical, well-formed nameConstraints', () => {
    expect(() => checkCaCertificate(withConstraints(seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('fleet.example.com')))))).parsed, AT)).not.toThrow();
  });

  it.each([
    ['an empty sequence', seq(), 'nameConstraints has neither permitted nor excluded subtrees'],
    ['a wildcard dNSName', seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('*.example.com'))))), 'dNSName constraint "*.example.com" is not a host name'],
    ['a non-prefix mask', seq(tlv(0xa0, seq(tlv(0x87, Buffer.from([10, 0, 0, 0, 255, 0, 255, 0]))))), 'iPAddress constraint with a mask that is not a prefix'],
    [
      'a maximum',
      seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('a.example')), tlv(0x81, Buffer.from([1]))))),
      'GeneralSubtree with a minimum or maximum (RFC 5280 forbids them)',
    ],
  ])('refuses %s', (_what, value, problem) => {
    expect(() => checkCaCertificate(withConstraints(value).parsed, AT)).toThrow(`CA certificate has a malformed nameConstraints extension (${problem})`);
  });

  it('keeps refusing a critical extension it does not honour', () => {
    expect(() =>
      checkCaCertificate(
        selfSignedCa({ subject: 'Pc', key, extensions: [...caExtensions(key), ext.raw('2.5.29.36', seq(tlv(0x80, Buffer.from([0]))), true)] }).parsed,
        AT,
      ),
    ).toThrow('CA certificate has an unsupported critical extension policyConstraints (2.5.29.36)');
  });
});

describe('name constraints over version 1 device certificates', () => {
  const key = newTestKey('ec-p256');
  const permitted = { oid: '2.5.29.30', critical: true, value: seq(tlv(0xa0, seq(tlv(0x82, Buffer.from('fleet.example.com'))))) };
  const fleetRoot = selfSignedCa({ subject: 'Fleet Root', key, extensions: [...caExtensions(key), permitted] });

  it('leaves a one-label CN (a device id) alone, and checks a host-name CN as a dNSName', () => {
    expect(validatePath(v1Certificate(fleetRoot, { subject: 'device-42' }).parsed, [], [fleetRoot.parsed], AT)).toHaveLength(2);
    expect(validatePath(v1Certificate(fleetRoot, { subject: 'd42.fleet.example.com' }).parsed, [], [fleetRoot.parsed], AT)).toHaveLength(2);
    expect(refusal(v1Certificate(fleetRoot, { subject: 'd42.other.example.com' }), [], fleetRoot)).toBe(
      'device certificate has subject CN "d42.other.example.com" (a host name, checked as a dNSName) outside the permitted subtrees of the name constraints of registered CA "CN=Fleet Root"',
    );
  });
});
