/** validatePath: RFC 5280 basic path validation against the registered CAs. */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../../src/core/errors.js';
import { KEY_USAGE } from '../../../src/core/x509/extensions.js';
import { parseCertificate } from '../../../src/core/x509/parse.js';
import { validatePath } from '../../../src/core/x509/path-validation.js';
import {
  caExtensions,
  ext,
  intermediateCa,
  leafCertificate,
  newTestKey,
  reencodeSignature,
  selfSignedCa,
  v1Certificate,
  type TestCertificate,
} from '../../helpers/mini-ca.js';

const AT = new Date('2025-01-01T00:00:00Z');

function reason(leaf: TestCertificate, intermediates: TestCertificate[], anchors: TestCertificate[], at = AT): string {
  try {
    validatePath(
      leaf.parsed,
      intermediates.map((c) => c.parsed),
      anchors.map((c) => c.parsed),
      at,
    );
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as VerificationError).code).toBe('verification_failed');
    return (error as Error).message;
  }
  throw new Error('expected validation to fail');
}

describe('validatePath accepts', () => {
  const root = selfSignedCa({ subject: 'Root' });
  const inter = intermediateCa(root, { subject: 'Inter' });

  it('a leaf issued by a registered CA, returning leaf then anchor', () => {
    const leaf = leafCertificate(root);
    expect(validatePath(leaf.parsed, [], [root.parsed], AT).map((c) => c.der)).toEqual([leaf.der, root.der]);
  });

  it('a chain through intermediates given in any order, ignoring unrelated ones', () => {
    const inter2 = intermediateCa(inter, { subject: 'Inter 2', key: newTestKey('ec-p384') });
    const leaf = leafCertificate(inter2);
    const unrelated = selfSignedCa({ subject: 'Unrelated', key: newTestKey('ec-p256') });
    const path = validatePath(leaf.parsed, [unrelated.parsed, inter.parsed, inter2.parsed], [root.parsed], AT);
    expect(path.map((c) => c.der)).toEqual([leaf.der, inter2.der, inter.der, root.der]);
  });

  it('a registered intermediate as the anchor', () => {
    const leaf = leafCertificate(inter);
    expect(validatePath(leaf.parsed, [root.parsed], [inter.parsed], AT)).toHaveLength(2);
  });

  it('a v1 device certificate', () => {
    expect(validatePath(v1Certificate(root).parsed, [], [root.parsed], AT)).toHaveLength(2);
  });

  it('the exact validity bounds of every certificate', () => {
    const r = selfSignedCa({ subject: 'Tight root', notBefore: '2025-01-01T00:00:00Z', notAfter: '2025-01-02T00:00:00Z' });
    const leaf = leafCertificate(r, { notBefore: '2025-01-01T00:00:00Z', notAfter: '2025-01-02T00:00:00Z' });
    expect(validatePath(leaf.parsed, [], [r.parsed], new Date('2025-01-01T00:00:00Z'))).toHaveLength(2);
    expect(validatePath(leaf.parsed, [], [r.parsed], new Date('2025-01-02T00:00:00.999Z'))).toHaveLength(2);
  });

  it('a pathLenConstraint that the path respects', () => {
    const limited = selfSignedCa({ subject: 'Limited root', pathLength: 1, key: newTestKey('ec-p256') });
    const i1 = intermediateCa(limited, { subject: 'I1', pathLength: 0 });
    expect(validatePath(leafCertificate(i1).parsed, [i1.parsed], [limited.parsed], AT)).toHaveLength(3);
  });
});

describe('validatePath refuses', () => {
  const root = selfSignedCa({ subject: 'Root' });

  it('a leaf from an unregistered CA', () => {
    const other = selfSignedCa({ subject: 'Other', key: newTestKey('ec-p256') });
    expect(reason(leafCertificate(other), [], [root])).toBe(
      'device certificate does not validate: no registered, verified and active CA or given intermediate is the issuer "CN=Other" of the device certificate',
    );
  });

  it("a leaf signed by another key under the registered CA's name", () => {
    const impostor = selfSignedCa({ subject: 'Root', key: newTestKey('ec-p256') });
    expect(reason(leafCertificate(impostor), [], [root])).toMatch(
      /signature of the device certificate does not verify under the key of registered CA "CN=Root"/,
    );
  });

  it('a missing intermediate', () => {
    const inter = intermediateCa(root, { subject: 'Inter' });
    expect(reason(leafCertificate(inter), [], [root])).toMatch(/is the issuer "CN=Inter" of the device certificate/);
  });

  it('an intermediate without cA', () => {
    const key = newTestKey('ec-p256');
    const notCa = intermediateCa(root, { subject: 'Not a CA', key, extensions: [ext.basicConstraints(false), ext.subjectKeyIdentifier(key.spki)] });
    expect(reason(leafCertificate(notCa), [notCa], [root])).toMatch(/intermediate CA certificate "CN=Not a CA" lacks basicConstraints cA=TRUE/);
  });

  it('an intermediate without keyCertSign', () => {
    const key = newTestKey('ec-p256');
    const inter = intermediateCa(root, {
      subject: 'No keyCertSign',
      key,
      extensions: [ext.basicConstraints(true), ext.keyUsage([KEY_USAGE.digitalSignature])],
    });
    expect(reason(leafCertificate(inter), [inter], [root])).toMatch(/"CN=No keyCertSign" has a keyUsage without keyCertSign/);
  });

  it('a path longer than a pathLenConstraint allows', () => {
    const limited = selfSignedCa({ subject: 'Limited', pathLength: 0, key: newTestKey('ec-p256') });
    const inter = intermediateCa(limited, { subject: 'Below limited' });
    expect(reason(leafCertificate(inter), [inter], [limited])).toMatch(
      /registered CA "CN=Limited" allows 0 intermediate CA certificates below it \(pathLenConstraint\), the path has 1/,
    );
  });

  it('an expired registered CA, an expired intermediate, an expired leaf', () => {
    const old = selfSignedCa({ subject: 'Old root', notAfter: '2024-12-31T23:59:59Z', key: newTestKey('ec-p256') });
    expect(reason(leafCertificate(old), [], [old])).toMatch(/registered CA "CN=Old root" expired at 2024-12-31T23:59:59Z/);
    const inter = intermediateCa(root, { subject: 'Old inter', notAfter: '2024-12-31T23:59:59Z' });
    expect(reason(leafCertificate(inter), [inter], [root])).toMatch(/intermediate CA certificate "CN=Old inter" expired/);
    expect(reason(leafCertificate(root, { notBefore: '2025-01-01T00:00:01Z' }), [], [root])).toMatch(
      /device certificate is not valid until 2025-01-01T00:00:01Z/,
    );
  });

  it('an unknown critical extension in the leaf or a CA', () => {
    expect(reason(leafCertificate(root, { extensions: [ext.unknown(true)] }), [], [root])).toMatch(/device certificate has an unsupported critical extension/);
    const key = newTestKey('ec-p256');
    const odd = intermediateCa(root, { subject: 'Odd', key, extensions: [...caExtensions(key, root), ext.unknown(true)] });
    expect(reason(leafCertificate(odd), [odd], [root])).toMatch(/"CN=Odd" has an unsupported critical extension/);
  });

  it('a leaf whose signature encoding was altered', () => {
    const leaf = leafCertificate(root);
    const mangled = { ...leaf, parsed: parseCertificate(reencodeSignature(leaf, 'extra-leading-zero-s'), 'device') };
    expect(reason(mangled, [], [root])).toMatch(/signature of the device certificate does not verify/);
  });

  it('no anchors at all', () => {
    expect(reason(leafCertificate(root), [root], [])).toMatch(/no registered, verified and active CA/);
  });

  it('a crafted chain of many certificates sharing one name and key, with a bounded search', () => {
    const key = newTestKey('ec-p256');
    const loop = selfSignedCa({ subject: 'Loop', key });
    const copies = Array.from({ length: 40 }, (_, i) => intermediateCa(loop, { subject: 'Loop', key, serial: Buffer.from([0x20, i]) }));
    expect(reason(leafCertificate(loop), copies, [root])).toMatch(/more than 500 candidate issuers/);
  });
});
