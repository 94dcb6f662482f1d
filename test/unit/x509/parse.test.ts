/** Reading certificate inputs: what is accepted, and the error for everything else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { MAX_CERTIFICATE_FILE_BYTES, parseCertificate, parseCertificateChain } from '../../../src/core/x509/parse.js';
import { summarizeCertificate } from '../../../src/core/x509/describe.js';
import { oid, seq, set, tlv } from '../../../src/core/x509/der-writer.js';
import { intermediateCa, selfSignedCa, toPem } from '../../helpers/mini-ca.js';
import { REPO_ROOT } from '../../helpers/testdata.js';

const fixture = (name: string): Buffer => readFileSync(join(REPO_ROOT, 'fixtures', 'x509', name));
const LABEL = 'CA certificate ca.pem';

function parseError(bytes: Uint8Array): UsageError {
  try {
    parseCertificate(bytes, LABEL);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected parseCertificate to throw');
}

describe('parseCertificate accepts', () => {
  const reference = summarizeCertificate(parseCertificate(fixture('cert.pem'), LABEL));

  it.each(['cert.pem', 'cert.der', 'crlf.pem', 'text-before-pem.pem'])('%s as the same certificate', (name) => {
    expect(summarizeCertificate(parseCertificate(fixture(name), LABEL))).toEqual(reference);
    expect(reference.subject).toBe('CN=vericode fixture');
    expect(reference.serial).toBe('1f');
  });

  it('keeps the exact DER it was given', () => {
    expect(parseCertificate(fixture('cert.pem'), LABEL).der).toEqual(fixture('cert.der'));
  });
});

describe('parseCertificate refuses, naming the input', () => {
  it.each([
    ['empty.pem', /ca\.pem is not a valid certificate: it is empty/],
    ['whitespace-only.pem', /it is empty/],
    ['random-bytes.bin', /it is neither PEM nor a DER certificate/],
    ['truncated.pem', /truncated PEM/],
    ['der-trailing-bytes.der', /2 unexpected trailing bytes/],
    ['bundle-two-certificates.pem', /it holds 2 certificates where one is expected/],
    ['private-key-not-a-certificate.pem', /it holds a private key, not a certificate/],
    ['csr-not-a-certificate.pem', /it holds a certificate signing request \(CSR\), not a certificate/],
    ['mismatched-end.pem', /malformed PEM/],
    ['bad-base64.pem', /not valid base64/],
  ])('%s', (name, message) => {
    const error = parseError(fixture(name));
    expect(error.code).toBe('invalid_certificate');
    expect(error.message).toMatch(/^CA certificate ca\.pem is not a valid certificate: /);
    expect(error.message).toMatch(message);
  });

  it('more than 64 KiB', () => {
    const big = Buffer.concat([fixture('cert.pem'), Buffer.alloc(MAX_CERTIFICATE_FILE_BYTES, 0x20)]);
    expect(parseError(big).message).toMatch(/larger than 64 KiB/);
  });

  it('a public key', () => {
    const pem = toPem(selfSignedCa().key.spki, 'PUBLIC KEY');
    expect(parseError(Buffer.from(pem)).message).toMatch(/it holds a public key, not a certificate/);
  });

  it('a non-minimal DER length in the certificate', () => {
    const der = selfSignedCa().der;
    // The outer SEQUENCE length: 0x82 LL LL re-encoded as 0x83 00 LL LL.
    const mangled = Buffer.concat([Buffer.from([0x30, 0x83, 0x00]), der.subarray(2)]);
    expect(parseError(mangled).message).toMatch(/non-minimal length/);
  });

  it('a DER certificate with bytes appended inside the outer SEQUENCE', () => {
    const der = selfSignedCa().der;
    const length = der.readUInt16BE(2) + 2;
    const mangled = Buffer.concat([Buffer.from([0x30, 0x82]), Buffer.from([length >> 8, length & 0xff]), der.subarray(4), Buffer.from([0x05, 0x00])]);
    expect(parseError(mangled).message).toMatch(/exactly three fields/);
  });
});

describe('parseCertificateChain', () => {
  it('reads PEM bundles and concatenated DER in order', () => {
    const root = selfSignedCa();
    const a = intermediateCa(root, { subject: 'A' });
    const b = intermediateCa(root, { subject: 'B' });
    expect(parseCertificateChain(Buffer.from(a.pem + b.pem), 'chain').map((c) => c.der)).toEqual([a.der, b.der]);
    expect(parseCertificateChain(Buffer.concat([a.der, b.der]), 'chain').map((c) => c.der)).toEqual([a.der, b.der]);
  });

  it('reads an empty file as no certificates', () => {
    expect(parseCertificateChain(Buffer.alloc(0), 'chain')).toEqual([]);
  });

  it('names the bad certificate of a chain', () => {
    expect(() => parseCertificateChain(Buffer.concat([selfSignedCa().der, Buffer.from([0x30, 0x03, 1, 2, 3])]), 'chain chain.pem')).toThrow(
      /chain chain\.pem \(certificate 2\) is not a valid certificate/,
    );
    expect(() => parseCertificateChain(fixture('private-key-not-a-certificate.pem'), 'chain')).toThrow(/private key/);
  });
});

describe('parseCertificate on a certificate and its key in one file', () => {
  it('says to give the certificate alone', () => {
    const bytes = Buffer.concat([
      readFileSync(join(REPO_ROOT, 'fixtures', 'x509', 'cert.pem')),
      readFileSync(join(REPO_ROOT, 'fixtures', 'x509', 'private-key-not-a-certificate.pem')),
    ]);
    expect(() => parseCertificate(bytes, LABEL)).toThrow('CA certificate ca.pem is not a valid certificate: it holds a private key besides the certificate');
  });
});

describe('parseCertificate on names that do not decode', () => {
  const cn = (value: Buffer): Buffer => seq(set(seq(oid('2.5.4.3'), value)));
  it.each<[string, Buffer, RegExp]>([
    ['a UTF8String that is not UTF-8', tlv(0x0c, Buffer.from([0x41, 0xff])), /not valid UTF-8/],
    ['a UniversalString beyond Unicode', tlv(0x1c, Buffer.from([0x00, 0x11, 0x00, 0x00])), /invalid character/],
    ['a BMPString of odd length', tlv(0x1e, Buffer.from([0x00, 0x41, 0x00])), /odd length/],
  ])('%s', (_label, value, message) => {
    const cert = selfSignedCa({ subject: cn(value) });
    expect(() => parseCertificate(cert.der, LABEL)).toThrow(message);
  });
});
