/** The x509 create/csr use cases: dates from the clock, serials from the random source, the profiles written. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { checkCaCertificate } from '../../../src/core/x509/check-ca.js';
import { checkVerificationCertificate } from '../../../src/core/x509/check-verification.js';
import { checkCommonName, createCsr, createSelfSignedCa, createVerificationCertificate } from '../../../src/core/x509/create.js';
import { children, readSingle, sequence } from '../../../src/core/x509/der-reader.js';
import { decodeBasicConstraints, findExtension, OID } from '../../../src/core/x509/extensions.js';
import { readPrivateKey } from '../../../src/core/x509/keys.js';
import { parseCertificate } from '../../../src/core/x509/parse.js';
import { fixedClock } from '../../helpers/clock.js';
import { selfSignedCa, testKey } from '../../helpers/mini-ca.js';
import { seededRandom } from '../../helpers/random.js';

const ports = () => ({ clock: fixedClock('2025-01-01T00:00:00.750Z'), random: seededRandom('serials') });

describe('createSelfSignedCa', () => {
  it('takes its dates from the clock (whole seconds) and its serial from the random source', () => {
    const created = createSelfSignedCa(ports(), { commonName: 'Dev Root', keyType: 'ec-p256', days: 10 });
    const expectedSerial = Buffer.from(seededRandom('serials').bytes(16));
    expectedSerial[0] = (expectedSerial[0]! & 0x7f) | 0x40;
    expect(created.summary).toMatchObject({
      subject: 'CN=Dev Root',
      issuer: 'CN=Dev Root',
      serial: expectedSerial.toString('hex'),
      not_before: '2025-01-01T00:00:00Z',
      not_after: '2025-01-11T00:00:00Z',
    });
    expect(() => checkCaCertificate(parseCertificate(created.der, 'ca'), new Date('2025-01-05T00:00:00Z'))).not.toThrow();
  });

  it.each(['ec-p384', 'rsa-3072'] as const)('makes %s CAs that pass the CA checks', (keyType) => {
    const created = createSelfSignedCa(ports(), { commonName: 'Dev Root', keyType, days: 1 });
    expect(() => checkCaCertificate(parseCertificate(created.der, 'ca'), new Date('2025-01-01T12:00:00Z'))).not.toThrow();
  });
});

describe('createVerificationCertificate', () => {
  const ca = selfSignedCa({ subject: 'Signer', key: testKey('ec-p256') });

  it("is issued by the signer, AKI = the signer's SKI, cA=FALSE, and passes the verification checks", () => {
    const created = createVerificationCertificate(ports(), {
      commonName: 'TheCode',
      signer: ca.parsed,
      signerKey: ca.key.privateKey,
      keyType: 'ec-p256',
      days: 1,
    });
    const cert = parseCertificate(created.der, 'v');
    expect(() => checkVerificationCertificate(cert, ca.parsed, new Date('2025-01-01T00:00:01Z'))).not.toThrow();
    const aki = findExtension(cert.fields.extensions, OID.authorityKeyIdentifier)!;
    expect(children(readSingle(aki.value))[0]!.value).toEqual(ca.keyId);
    expect(decodeBasicConstraints(findExtension(cert.fields.extensions, OID.basicConstraints)!.value)).toEqual({ ca: false, pathLength: undefined });
  });

  it("refuses a key that is not the signer's", () => {
    const other = testKey('ec-p384');
    expect(() =>
      createVerificationCertificate(ports(), { commonName: 'x', signer: ca.parsed, signerKey: other.privateKey, keyType: 'ec-p256', days: 1 }),
    ).toThrow('the signer key is not the private key of the signer certificate');
  });
});

describe('createCsr', () => {
  it('signs the request with the new key', () => {
    const created = createCsr({ commonName: 'TheCode', keyType: 'ec-p256' });
    expect(created.subject).toBe('CN=TheCode');
    const [info, , signature] = sequence(readSingle(created.der), 'csr');
    const publicKey = createPublicKey(created.privateKey);
    expect(verify('sha256', info!.der, publicKey, signature!.value.subarray(1))).toBe(true);
  });
});

describe('checkCommonName', () => {
  it('takes 1 to 64 characters, counted as characters not bytes', () => {
    expect(checkCommonName('x'.repeat(64))).toBe('x'.repeat(64));
    expect(checkCommonName('é'.repeat(64))).toBe('é'.repeat(64));
    expect(() => checkCommonName('')).toThrow(UsageError);
    expect(() => checkCommonName('x'.repeat(65))).toThrow('invalid common name: it must be 1 to 64 characters');
  });
});

describe('readPrivateKey', () => {
  it('refuses a public key, garbage, and keys that cannot sign here', () => {
    const { publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    expect(() => readPrivateKey(Buffer.from(publicKey), 'signer key k')).toThrow('signer key k is not a private key');
    expect(() => readPrivateKey(Buffer.from([1, 2, 3, 4]), 'signer key k')).toThrow('signer key k is not a private key OpenSSL can read');
    const ed448 = generateKeyPairSync('ed448', {
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    }).privateKey;
    expect(() => readPrivateKey(Buffer.from(ed448), 'signer key k')).toThrow('signer key k holds an unsupported key (ed448)');
    const k1 = generateKeyPairSync('ec', {
      namedCurve: 'secp256k1',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
    }).privateKey;
    expect(() => readPrivateKey(Buffer.from(k1), 'signer key k')).toThrow('signer key k holds an unsupported key (EC secp256k1)');
  });

  it('tells an encrypted DER key without a passphrase from a wrong passphrase', () => {
    const der = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(() => readPrivateKey(der, 'signer key k')).toThrow('signer key k is encrypted and no passphrase was given');
    expect(() => readPrivateKey(der, 'signer key k', 'nope')).toThrow('wrong passphrase for signer key k');
    expect(readPrivateKey(der, 'signer key k', 'pw').asymmetricKeyType).toBe('ec');
  });

  it('names a wrong passphrase even when the wrong key happens to pass the padding check (about 1 in 256)', () => {
    const der = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'pw' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    // Find a wrong passphrase whose decryption is not refused as "bad decrypt" but fails to parse.
    const slipsThrough = (passphrase: string): boolean => {
      try {
        createPrivateKey({ key: der, format: 'der', type: 'pkcs8', passphrase });
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'ERR_OSSL_BAD_DECRYPT';
      }
    };
    let wrong = 0;
    while (!slipsThrough(`wrong-${wrong}`)) wrong += 1;
    expect(() => readPrivateKey(der, 'signer key k', `wrong-${wrong}`)).toThrow('wrong passphrase for signer key k');
  });
});
