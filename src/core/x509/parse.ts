/**
 * Reading certificates a user hands us: one certificate (PEM or DER) or a chain
 * file. Everything that is not exactly that is an `invalid_certificate` usage error
 * naming the input, never a stack trace.
 */
import { X509Certificate } from 'node:crypto';
import { UsageError, type Hint } from '../errors.js';
import { DerError, readSingle, TAG } from './der-reader.js';
import { decodeCertificateFields, type CertificateFields } from './certificate-fields.js';
import { looksLikePem, readPemBlocks, type PemBlock } from './pem.js';

/** The most a certificate or chain file may hold (SPEC section 5). */
export const MAX_CERTIFICATE_FILE_BYTES = 65536;

/** A certificate decoded both strictly (`fields`) and by OpenSSL (`x509`, for signatures). */
export interface ParsedCertificate {
  /** The certificate's DER, exactly as given. */
  der: Buffer;
  fields: CertificateFields;
  /** Node's OpenSSL-backed view, used to verify signatures and read the public key. */
  x509: X509Certificate;
}

const NOT_CERTIFICATE: Array<[RegExp, string]> = [
  [/PRIVATE KEY/, 'a private key'],
  [/CERTIFICATE REQUEST/, 'a certificate signing request (CSR)'],
  [/PUBLIC KEY/, 'a public key'],
];

function invalid(label: string, reason: string, hint?: Hint): UsageError {
  return new UsageError(`${label} is not a valid certificate: ${reason}`, hint ?? 'give one X.509 certificate, PEM or DER', 'invalid_certificate');
}

function fromDer(der: Buffer, label: string, fromPem: boolean): ParsedCertificate {
  let fields: CertificateFields;
  try {
    fields = decodeCertificateFields(der);
  } catch (error) {
    if (error instanceof DerError)
      throw invalid(label, fromPem || looksLikeDer(der) ? error.message : `it is neither PEM nor a DER certificate (${error.message})`);
    throw error;
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    throw invalid(label, 'OpenSSL cannot read it');
  }
  return { der: Buffer.from(der), fields, x509 };
}

/** True when `der` is one well-formed DER SEQUENCE, so errors can speak of a malformed certificate rather than unknown bytes. */
function looksLikeDer(der: Buffer): boolean {
  try {
    return readSingle(der).tag === TAG.SEQUENCE;
  } catch {
    return false;
  }
}

function pemBlocks(bytes: Uint8Array, label: string): PemBlock[] {
  let blocks: PemBlock[];
  try {
    blocks = readPemBlocks(Buffer.from(bytes).toString('latin1'));
  } catch (error) {
    if (error instanceof DerError) throw invalid(label, error.message);
    throw error;
  }
  const hasCertificate = blocks.some((block) => block.label === 'CERTIFICATE');
  for (const block of blocks) {
    if (block.label === 'CERTIFICATE') continue;
    const kind = NOT_CERTIFICATE.find(([pattern]) => pattern.test(block.label));
    const what = kind ? kind[1] : `a PEM "${block.label}" block`;
    throw invalid(
      label,
      hasCertificate ? `it holds ${what} besides the certificate` : `it holds ${what}, not a certificate`,
      hasCertificate ? 'give the certificate in a file of its own' : undefined,
    );
  }
  return blocks;
}

function checkSize(bytes: Uint8Array, label: string): void {
  if (bytes.length > MAX_CERTIFICATE_FILE_BYTES) throw invalid(label, `it is larger than ${MAX_CERTIFICATE_FILE_BYTES / 1024} KiB`);
}

/**
 * One certificate, PEM or DER; CRLF and trailing whitespace tolerated.
 * @throws UsageError('invalid_certificate') naming `label` (e.g. "CA certificate
 * ca.pem") for: an empty input, random bytes, a truncated PEM, DER with trailing
 * bytes, a PEM bundle with more than one certificate, a private key, public key or
 * CSR, or more than 64 KiB.
 */
export function parseCertificate(bytes: Uint8Array, label: string): ParsedCertificate {
  checkSize(bytes, label);
  if (Buffer.from(bytes).toString('latin1').trim().length === 0) throw invalid(label, 'it is empty');
  if (!looksLikePem(bytes)) return fromDer(Buffer.from(bytes), label, false);
  const blocks = pemBlocks(bytes, label);
  if (blocks.length !== 1) throw invalid(label, `it holds ${blocks.length} certificates where one is expected`, { kind: 'separate_certificates' });
  return fromDer(blocks[0]!.der, label, true);
}

/**
 * Zero or more certificates (a chain file): PEM blocks, or concatenated DER.
 * @throws UsageError('invalid_certificate') naming `label` for anything that is
 * not a sequence of well-formed certificates, or more than 64 KiB.
 */
export function parseCertificateChain(bytes: Uint8Array, label: string): ParsedCertificate[] {
  checkSize(bytes, label);
  const buf = Buffer.from(bytes);
  if (buf.toString('latin1').trim().length === 0) return [];
  if (looksLikePem(bytes)) return pemBlocks(bytes, label).map((block, i) => fromDer(block.der, `${label} (certificate ${i + 1})`, true));
  const certificates: ParsedCertificate[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const length = derElementLength(buf, offset, label);
    certificates.push(fromDer(buf.subarray(offset, offset + length), `${label} (certificate ${certificates.length + 1})`, false));
    offset += length;
  }
  return certificates;
}

function derElementLength(buf: Buffer, offset: number, label: string): number {
  const first = buf[offset + 1] ?? 0;
  const count = first > 0x80 ? first & 0x7f : 0;
  if (buf[offset] !== 0x30 || first === 0x80 || count > 4 || offset + 2 + count > buf.length) throw invalid(label, 'it is neither PEM nor DER');
  const length = count === 0 ? first : buf.readUIntBE(offset + 2, count);
  return Math.min(2 + count + length, buf.length - offset);
}
