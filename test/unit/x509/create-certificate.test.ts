/** `createCertificate`, the one use case behind `x509 create`: PEM out, the signer checked as registration would. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { checkVerificationCertificate } from '../../../src/core/x509/check-verification.js';
import { createCertificate } from '../../../src/core/x509/create-certificate.js';
import { readPrivateKey } from '../../../src/core/x509/keys.js';
import { parseCertificate } from '../../../src/core/x509/parse.js';
import { readPemBlocks } from '../../../src/core/x509/pem.js';
import { fixedClock } from '../../helpers/clock.js';
import { selfSignedCa, testKey } from '../../helpers/mini-ca.js';
import { seededRandom } from '../../helpers/random.js';

const ports = () => ({ clock: fixedClock('2025-01-01T00:00:00Z'), random: seededRandom('create-certificate') });
const CODE = 'a'.repeat(32);

function parsePem(pem: string) {
  const [block] = readPemBlocks(pem);
  expect(block?.label).toBe('CERTIFICATE');
  return parseCertificate(block!.der, 'created');
}

describe('createCertificate', () => {
  it('makes a self-signed CA with its key as PEM, and no signer verdict', () => {
    const created = createCertificate(ports(), { commonName: 'Dev Root', keyType: 'ec-p256', validity: { days: 10 }, isCa: true });
    expect(created.summary).toMatchObject({ subject: 'CN=Dev Root', issuer: 'CN=Dev Root', not_after: '2025-01-11T00:00:00Z' });
    expect(parsePem(created.certificatePem).fields.subject.der).toEqual(parsePem(created.certificatePem).fields.issuer.der);
    expect(readPrivateKey(Buffer.from(created.keyPem), 'key').asymmetricKeyType).toBe('ec');
    expect(created).not.toHaveProperty('signerProblem');
  });

  it('signs a verification certificate that the verification check accepts, and finds nothing wrong with a good signer', () => {
    const ca = selfSignedCa({ subject: 'Signer', key: testKey('ec-p256') });
    const created = createCertificate(ports(), {
      commonName: CODE,
      keyType: 'ec-p256',
      validity: { days: 1 },
      isCa: false,
      signer: { certificate: ca.parsed, key: ca.key.privateKey },
    });
    expect(created.signerProblem).toBeUndefined();
    expect(created.summary).toMatchObject({ subject: `CN=${CODE}`, issuer: 'CN=Signer' });
    expect(() => checkVerificationCertificate(parsePem(created.certificatePem), ca.parsed, new Date('2025-01-01T12:00:00Z'))).not.toThrow();
  });

  it('names why registration would refuse the signer (here: it is not a CA), and still signs', () => {
    const notCa = selfSignedCa({ subject: 'Leaf', key: testKey('ec-p256'), extensions: [] });
    const created = createCertificate(ports(), {
      commonName: CODE,
      keyType: 'ec-p256',
      validity: { days: 1 },
      isCa: false,
      signer: { certificate: notCa.parsed, key: notCa.key.privateKey },
    });
    expect(created.signerProblem).toMatch(/CA/);
    expect(created.summary.issuer).toBe('CN=Leaf');
  });

  it('refuses a certificate that is not a CA without a signer', () => {
    expect(() => createCertificate(ports(), { commonName: CODE, keyType: 'ec-p256', validity: { days: 1 }, isCa: false })).toThrow(UsageError);
  });

  it("refuses a signer key that is not the signer certificate's", () => {
    const ca = selfSignedCa({ subject: 'Signer', key: testKey('ec-p256') });
    const other = testKey('ec-p384');
    expect(() =>
      createCertificate(ports(), {
        commonName: CODE,
        keyType: 'ec-p256',
        validity: { days: 1 },
        isCa: false,
        signer: { certificate: ca.parsed, key: other.privateKey },
      }),
    ).toThrow(/signer key is not the private key of the signer certificate/);
  });
});
