/** What a person or a record needs to know about a certificate, in the spec's JSON shape. */
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { rfc3339 } from '../time.js';
import { commonNames, formatName } from './names.js';
import type { ParsedCertificate } from './parse.js';

/** A certificate as records and people see it (the JSON fields of SPEC section 3). */
export interface CertificateSummary {
  /** RFC 4514 form, e.g. `CN=Example Root,O=Example,C=US`. */
  subject: string;
  issuer: string;
  /** Lowercase hex without colons or redundant leading zeros. */
  serial: string;
  /** Lowercase hex SHA-256 of the DER, without colons. */
  fingerprint_sha256: string;
  /** RFC 3339 UTC. */
  not_before: string;
  not_after: string;
}

/** The summary of `cert`; never throws for a parsed certificate. */
export function summarizeCertificate(cert: ParsedCertificate): CertificateSummary {
  const { fields } = cert;
  return {
    subject: formatName(fields.subjectName),
    issuer: formatName(fields.issuerName),
    serial: serialHex(fields.serial),
    fingerprint_sha256: fingerprintSha256(cert),
    not_before: rfc3339(fields.notBefore),
    not_after: rfc3339(fields.notAfter),
  };
}

/** Lowercase hex of the serial's value; a negative serial (which RFC 5280 forbids but some CAs issued) keeps its sign. */
function serialHex(serial: Buffer): string {
  if ((serial[0]! & 0x80) !== 0) return (BigInt(`0x${serial.toString('hex')}`) - (1n << BigInt(serial.length * 8))).toString(16);
  return BigInt(`0x${serial.toString('hex')}`).toString(16);
}

/** Lowercase hex SHA-256 of the certificate's DER. */
export function fingerprintSha256(cert: ParsedCertificate): string {
  return createHash('sha256').update(cert.der).digest('hex');
}

/** The DER of the subject Name, for byte-exact equality and duplicate counting. */
export function subjectDer(cert: ParsedCertificate): Buffer {
  return Buffer.from(cert.fields.subject.der);
}

/**
 * The value of the subject's single CN attribute, exactly as encoded (no trimming or
 * case folding: codes are compared byte for byte).
 * @throws UsageError('invalid_certificate') naming `label` when the subject has no
 * CN, more than one, or a CN that is not a string.
 */
export function singleCommonName(cert: ParsedCertificate, label: string): string {
  const cns = commonNames(cert.fields.subjectName);
  if (cns.length !== 1) {
    throw new UsageError(
      `${label} must have exactly one CN attribute in its subject, found ${cns.length}`,
      'make the verification certificate with -subj "/CN=CODE" and nothing else',
      'invalid_certificate',
    );
  }
  const text = cns[0]!.text;
  if (text === undefined) throw new UsageError(`${label} has a CN that is not a text string`, undefined, 'invalid_certificate');
  return text;
}
