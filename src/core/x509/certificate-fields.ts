/**
 * The fields of an X.509 certificate (RFC 5280 section 4.1), decoded strictly from
 * DER. Every field keeps its raw encoding too, since names and algorithm identifiers
 * are compared byte for byte.
 */
import {
  children,
  contextTag,
  DerError,
  decodeBitString,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  expectTag,
  readSingle,
  sequence,
  TAG,
  type Tlv,
} from './der-reader.js';
import { decodeName, type NameAttribute } from './names.js';

/** One extension as it appears in the certificate. */
export interface RawExtension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's contents: the DER of the extension's own value. */
  value: Buffer;
}

/** A decoded certificate: tbsCertificate's fields and both signature algorithm identifiers. */
export interface CertificateFields {
  /** 1, 2 or 3. */
  version: number;
  /** The serial number's INTEGER contents (two's complement). */
  serial: Buffer;
  /** The DER of the tbsCertificate's signature AlgorithmIdentifier. */
  tbsSignatureAlgorithm: Tlv;
  /** The DER of the outer signatureAlgorithm. */
  signatureAlgorithm: Tlv;
  issuer: Tlv;
  issuerName: NameAttribute[][];
  subject: Tlv;
  subjectName: NameAttribute[][];
  notBefore: number;
  notAfter: number;
  subjectPublicKeyInfo: Tlv;
  /** Empty for v1 and v2 certificates. */
  extensions: RawExtension[];
}

function decodeExtensions(wrapper: Tlv): RawExtension[] {
  const list = sequence(readSingle(wrapper.value), 'extensions');
  if (list.length === 0) throw new DerError('empty extensions list');
  return list.map((extension) => {
    const fields = sequence(extension, 'extension');
    const oid = decodeOid(fields[0], 'extension id');
    let index = 1;
    let critical = false;
    if (fields[index]?.tag === TAG.BOOLEAN) {
      critical = decodeBoolean(fields[index], `extension ${oid} critical flag`);
      index += 1;
    }
    const value = expectTag(fields[index], TAG.OCTET_STRING, `extension ${oid} value`).value;
    if (fields.length !== index + 1) throw new DerError(`extension ${oid}: unexpected fields`);
    return { oid, critical, value };
  });
}

/**
 * Decodes a DER certificate.
 * @throws DerError naming the first thing that is not well-formed DER in the
 * RFC 5280 shape, including bytes after the certificate.
 */
export function decodeCertificateFields(der: Buffer): CertificateFields {
  const [tbs, outerAlgorithm, signatureValue, ...extra] = sequence(readSingle(der), 'certificate');
  if (extra.length > 0 || !signatureValue) throw new DerError('a certificate has exactly three fields');
  const signatureAlgorithm = expectTag(outerAlgorithm, TAG.SEQUENCE, 'signature algorithm');
  decodeBitString(signatureValue, 'signature');
  const fields = sequence(tbs, 'tbsCertificate');
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === contextTag(0, true)) {
    version = decodeSmallInteger(readSingle(fields[0].value), 'version') + 1;
    if (version < 1 || version > 3) throw new DerError(`unknown certificate version ${version}`);
    index = 1;
  }
  const serial = decodeInteger(fields[index], 'serial number');
  const tbsSignatureAlgorithm = expectTag(fields[index + 1], TAG.SEQUENCE, 'tbsCertificate signature algorithm');
  const issuer = expectTag(fields[index + 2], TAG.SEQUENCE, 'issuer');
  const validity = sequence(fields[index + 3], 'validity');
  if (validity.length !== 2) throw new DerError('validity has exactly two times');
  const subject = expectTag(fields[index + 4], TAG.SEQUENCE, 'subject');
  const subjectPublicKeyInfo = expectTag(fields[index + 5], TAG.SEQUENCE, 'subject public key info');
  let extensions: RawExtension[] = [];
  let lastTag = 0;
  for (const optional of fields.slice(index + 6)) {
    const n = optional.tag & 0x1f;
    if ((optional.tag & 0xc0) !== 0x80 || n < 1 || n > 3 || optional.tag <= lastTag) throw new DerError('unexpected field in tbsCertificate');
    lastTag = optional.tag;
    if (n === 3) {
      if (version !== 3) throw new DerError('extensions in a certificate that is not version 3');
      if (optional.tag !== contextTag(3, true)) throw new DerError('malformed extensions');
      extensions = decodeExtensions(optional);
    } else if (version === 1) {
      throw new DerError('unique identifiers in a version 1 certificate');
    }
  }
  children(subjectPublicKeyInfo);
  return {
    version,
    serial,
    tbsSignatureAlgorithm,
    signatureAlgorithm,
    issuer,
    issuerName: decodeName(issuer),
    subject,
    subjectName: decodeName(subject),
    notBefore: decodeTime(validity[0], 'notBefore'),
    notAfter: decodeTime(validity[1], 'notAfter'),
    subjectPublicKeyInfo,
    extensions,
  };
}
