/** summarizeCertificate and subjectDer: the fields records and people see. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { subjectDer, summarizeCertificate } from '../../../src/core/x509/describe.js';
import { name, selfSignedCa, v1Certificate } from '../../helpers/mini-ca.js';

describe('summarizeCertificate', () => {
  it('gives RFC 4514 names, lowercase hex serial and fingerprint, RFC 3339 times', () => {
    const ca = selfSignedCa({
      subject: name([
        ['2.5.4.6', 'US'],
        ['2.5.4.10', 'Acme, Inc.'],
        ['2.5.4.3', 'Acme Root'],
      ]),
      serial: Buffer.from('00ff01', 'hex'),
      notBefore: '2024-02-03T04:05:06Z',
      notAfter: '2060-01-01T00:00:00Z',
    });
    expect(summarizeCertificate(ca.parsed)).toEqual({
      subject: 'CN=Acme Root,O=Acme\\, Inc.,C=US',
      issuer: 'CN=Acme Root,O=Acme\\, Inc.,C=US',
      serial: 'ff01',
      fingerprint_sha256: createHash('sha256').update(ca.der).digest('hex'),
      not_before: '2024-02-03T04:05:06Z',
      not_after: '2060-01-01T00:00:00Z',
    });
  });

  it('escapes a trailing space and a leading #', () => {
    const ca = selfSignedCa();
    expect(summarizeCertificate(v1Certificate(ca, { subject: '#code ' }).parsed).subject).toBe('CN=\\#code\\ ');
  });
});

describe('subjectDer', () => {
  it('is the DER of the subject Name, equal to the issuer field of what the CA signs', () => {
    const ca = selfSignedCa({ subject: 'Subject CA' });
    expect(subjectDer(ca.parsed)).toEqual(name('Subject CA'));
    expect(subjectDer(ca.parsed)).toEqual(v1Certificate(ca).parsed.fields.issuer.der);
  });
});
