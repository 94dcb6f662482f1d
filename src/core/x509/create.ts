/**
 * `x509 create` and `x509 csr` as use cases: a verification certificate signed by a
 * CA's key, a self-signed development CA, and a CSR, each with a new key pair. Dates
 * come from the injected clock and serials from the injected random source; file
 * handling is the caller's.
 */
import type { KeyObject } from 'node:crypto';
import type { Clock, RandomSource } from '../ports.js';
import { UsageError } from '../errors.js';
import { nowWholeSeconds } from '../time.js';
import { buildCertificate, buildCsr, commonNameDer, extension, keyIdentifier } from './build.js';
import { summarizeCertificate, type CertificateSummary } from './describe.js';
import { findExtension, KEY_USAGE, OID } from './extensions.js';
import { readSingle, expectTag, TAG } from './der-reader.js';
import { generateKeyPair, keysMatch, type KeyType } from './keys.js';
import { decodeName, formatName } from './names.js';
import { parseCertificate, type ParsedCertificate } from './parse.js';

const DAY_MS = 86_400_000;
/** RFC 5280's upper bound for a CN (ub-common-name). */
const MAX_COMMON_NAME = 64;

/** A new certificate (or CSR) and the private key made for it. */
export interface Created {
  der: Buffer;
  privateKey: KeyObject;
}

/** A new certificate with its key and its summary. */
export interface CreatedCertificate extends Created {
  summary: CertificateSummary;
}

/**
 * Checks a CN given on the command line: 1 to 64 characters, no control characters.
 * It is used byte for byte (a verification code must match exactly).
 * @throws UsageError otherwise.
 */
export function checkCommonName(commonName: string): string {
  if (commonName.length === 0 || [...commonName].length > MAX_COMMON_NAME) {
    throw new UsageError(`invalid --common-name: it must be 1 to ${MAX_COMMON_NAME} characters`);
  }
  if (/[\u0000-\u001f\u007f]/.test(commonName)) throw new UsageError('invalid --common-name: it contains a control character');
  return commonName;
}

/** A positive 16-byte serial (about 126 random bits), as CA/B baseline requirements ask for at least 64. */
function randomSerial(random: RandomSource): Buffer {
  const serial = Buffer.from(random.bytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  return serial;
}

function validity(clock: Clock, days: number): { notBefore: number; notAfter: number } {
  const notBefore = nowWholeSeconds(clock);
  return { notBefore, notAfter: notBefore + days * DAY_MS };
}

function finish(der: Buffer, privateKey: KeyObject): CreatedCertificate {
  return { der, privateKey, summary: summarizeCertificate(parseCertificate(der, 'new certificate')) };
}

/**
 * A self-signed development CA: v3, basicConstraints critical cA=TRUE, keyUsage
 * critical keyCertSign, cRLSign and digitalSignature, SKI and AKI; valid from now for
 * `days` days.
 */
export function createSelfSignedCa(ports: { clock: Clock; random: RandomSource }, options: { commonName: string; keyType: KeyType; days: number }): CreatedCertificate {
  const { privateKey, publicKey } = generateKeyPair(options.keyType);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = commonNameDer(checkCommonName(options.commonName));
  const der = buildCertificate(
    {
      version: 3,
      serial: randomSerial(ports.random),
      issuer: name,
      subject: name,
      ...validity(ports.clock, options.days),
      subjectPublicKeyInfo: spki,
      extensions: [
        extension.basicConstraints(true),
        extension.keyUsage([KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
        extension.subjectKeyIdentifier(spki),
        extension.authorityKeyIdentifier(keyIdentifier(spki)),
      ],
    },
    privateKey,
  );
  return finish(der, privateKey);
}

/** The signer's own subject key identifier, or one computed from its key, for the new certificate's AKI. */
function signerKeyId(signer: ParsedCertificate): Buffer {
  const ski = findExtension(signer.fields.extensions, OID.subjectKeyIdentifier);
  if (ski) {
    try {
      return Buffer.from(expectTag(readSingle(ski.value), TAG.OCTET_STRING, 'subjectKeyIdentifier').value);
    } catch {
      // A malformed SKI: fall back to the computed identifier.
    }
  }
  return keyIdentifier(signer.fields.subjectPublicKeyInfo.der);
}

/**
 * A verification certificate: CN = `commonName` (the code), issuer = the signer's
 * subject, signed by `signerKey`; v3 with basicConstraints cA=FALSE and keyUsage
 * digitalSignature; valid from now for `days` days.
 * @throws UsageError when `signerKey` is not the private key of `signer`.
 */
export function createVerificationCertificate(
  ports: { clock: Clock; random: RandomSource },
  options: { commonName: string; signer: ParsedCertificate; signerKey: KeyObject; keyType: KeyType; days: number },
): CreatedCertificate {
  if (!keysMatch(options.signerKey, options.signer.x509.publicKey)) {
    throw new UsageError('the signer key is not the private key of the signer certificate', 'pass the CA certificate with --signer-cert and its own key with --signer-key');
  }
  const { privateKey, publicKey } = generateKeyPair(options.keyType);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const der = buildCertificate(
    {
      version: 3,
      serial: randomSerial(ports.random),
      issuer: Buffer.from(options.signer.fields.subject.der),
      subject: commonNameDer(checkCommonName(options.commonName)),
      ...validity(ports.clock, options.days),
      subjectPublicKeyInfo: spki,
      extensions: [
        extension.basicConstraints(false),
        extension.keyUsage([KEY_USAGE.digitalSignature]),
        extension.subjectKeyIdentifier(spki),
        extension.authorityKeyIdentifier(signerKeyId(options.signer)),
      ],
    },
    options.signerKey,
  );
  return finish(der, privateKey);
}

/** A PKCS#10 CSR with subject CN = `commonName` and a new key pair; `subject` in RFC 4514 form. */
export function createCsr(options: { commonName: string; keyType: KeyType }): Created & { subject: string } {
  const { privateKey, publicKey } = generateKeyPair(options.keyType);
  const subject = commonNameDer(checkCommonName(options.commonName));
  return { der: buildCsr(subject, privateKey, publicKey), privateKey, subject: formatName(decodeName(readSingle(subject))) };
}
