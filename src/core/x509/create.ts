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
import { buildCertificate, buildCsr, commonNameDer, extension, keyIdentifier, type ExtensionSpec } from './build.js';
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

/** What is wrong with a CN (`it must be 1 to 64 characters`, …), or undefined when it is usable. */
export function commonNameProblem(commonName: string): string | undefined {
  if (commonName.length === 0 || [...commonName].length > MAX_COMMON_NAME) return `it must be 1 to ${MAX_COMMON_NAME} characters`;
  if (/[\u0000-\u001f\u007f]/.test(commonName)) return 'it contains a control character';
  return undefined;
}

/**
 * Checks a CN: 1 to 64 characters, no control characters. It is used byte for byte
 * (a verification code must match exactly).
 * @throws UsageError otherwise.
 */
export function checkCommonName(commonName: string): string {
  const problem = commonNameProblem(commonName);
  if (problem !== undefined) throw new UsageError(`invalid common name: ${problem}`);
  return commonName;
}

/** A positive 16-byte serial (about 126 random bits), as CA/B baseline requirements ask for at least 64. */
function randomSerial(random: RandomSource): Buffer {
  const serial = Buffer.from(random.bytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  return serial;
}

/** When a new certificate is valid: `days` from now, or explicit bounds (epoch ms). */
export type ValiditySpec = { days: number } | { notBefore: number; notAfter: number };

function validity(clock: Clock, spec: ValiditySpec): { notBefore: number; notAfter: number } {
  if (!('days' in spec)) {
    if (!(spec.notAfter > spec.notBefore)) throw new UsageError('a certificate must end after it starts');
    return { notBefore: spec.notBefore, notAfter: spec.notAfter };
  }
  const notBefore = nowWholeSeconds(clock);
  return { notBefore, notAfter: notBefore + spec.days * DAY_MS };
}

/** One `YYYY-MM-DD` date as midnight UTC, or undefined when it is malformed or not a calendar date. */
export function parseDate(text: string): number | undefined {
  const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text.trim());
  if (!match) return undefined;
  const at = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2025-02-30 over to March: a date that does not round-trip is not one.
  return new Date(at).toISOString().startsWith(text.trim()) ? at : undefined;
}

function finish(der: Buffer, privateKey: KeyObject): CreatedCertificate {
  return { der, privateKey, summary: summarizeCertificate(parseCertificate(der, 'new certificate')) };
}

/** The extensions of a CA (`isCa`) or of an end-entity certificate such as a verification certificate. */
function profileExtensions(isCa: boolean, spki: Buffer, authorityKeyId: Buffer): ExtensionSpec[] {
  return [
    extension.basicConstraints(isCa),
    extension.keyUsage(isCa ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign] : [KEY_USAGE.digitalSignature]),
    extension.subjectKeyIdentifier(spki),
    extension.authorityKeyIdentifier(authorityKeyId),
  ];
}

/**
 * A self-signed development CA: v3, basicConstraints critical cA=TRUE, keyUsage
 * critical keyCertSign, cRLSign and digitalSignature, SKI and AKI; valid from now for
 * `days` days, or between explicit bounds.
 */
export function createSelfSignedCa(
  ports: { clock: Clock; random: RandomSource },
  options: { commonName: string; keyType: KeyType } & ValiditySpec,
): CreatedCertificate {
  const { privateKey, publicKey } = generateKeyPair(options.keyType);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = commonNameDer(checkCommonName(options.commonName));
  const der = buildCertificate(
    {
      version: 3,
      serial: randomSerial(ports.random),
      issuer: name,
      subject: name,
      ...validity(ports.clock, options),
      subjectPublicKeyInfo: spki,
      extensions: profileExtensions(true, spki, keyIdentifier(spki)),
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
 * A certificate signed by `signer`: CN = `commonName` (the code, for a verification
 * certificate), issuer = the signer's subject, signed by `signerKey`; v3 with
 * basicConstraints cA=FALSE and keyUsage digitalSignature, or with `isCa` an
 * intermediate CA (cA=TRUE, keyCertSign and cRLSign); valid from now for `days` days,
 * or between explicit bounds.
 * @throws UsageError when `signerKey` is not the private key of `signer`.
 */
export function createVerificationCertificate(
  ports: { clock: Clock; random: RandomSource },
  options: { commonName: string; signer: ParsedCertificate; signerKey: KeyObject; keyType: KeyType; isCa?: boolean } & ValiditySpec,
): CreatedCertificate {
  if (!keysMatch(options.signerKey, options.signer.x509.publicKey)) {
    throw new UsageError('the signer key is not the private key of the signer certificate', { kind: 'pair_signer_key' });
  }
  const { privateKey, publicKey } = generateKeyPair(options.keyType);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const der = buildCertificate(
    {
      version: 3,
      serial: randomSerial(ports.random),
      issuer: Buffer.from(options.signer.fields.subject.der),
      subject: commonNameDer(checkCommonName(options.commonName)),
      ...validity(ports.clock, options),
      subjectPublicKeyInfo: spki,
      extensions: profileExtensions(options.isCa === true, spki, signerKeyId(options.signer)),
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
