/**
 * Certificate revocation lists (RFC 5280 5.1), read strictly from PEM (`X509 CRL`)
 * or DER files for `--crl-path`. Checking them against a path is `crl-check.ts`.
 */
import { UsageError } from '../errors.js';
import {
  contextTag,
  DerError,
  decodeBoolean,
  decodeInteger,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  expectTag,
  readSingle,
  readTlv,
  sequence,
  TAG,
  type Tlv,
} from './der-reader.js';
import type { RawExtension } from './certificate-fields.js';
import { decodeName, type NameAttribute } from './names.js';
import { looksLikePem, readPemBlocks } from './pem.js';
import { MAX_CERTIFICATE_FILE_BYTES } from './parse.js';

/** A decoded CRL. */
export interface ParsedCrl {
  /** How errors name it: "crl revoked.pem (CRL 1)". */
  label: string;
  /** The DER of tbsCertList, what the signature covers. */
  tbs: Buffer;
  tbsSignatureAlgorithm: Tlv;
  signatureAlgorithm: Tlv;
  signature: Buffer;
  issuer: Tlv;
  issuerName: NameAttribute[][];
  thisUpdate: number;
  nextUpdate: number | undefined;
  /** Revoked serial numbers (INTEGER contents, hex) and whether any entry has a critical extension. */
  revoked: Map<string, { revokedAt: number; criticalExtension: boolean }>;
  extensions: RawExtension[];
}

function decodeCrlExtensions(wrapper: Tlv): RawExtension[] {
  const list = sequence(readSingle(wrapper.value), 'crlExtensions');
  return list.map((extension) => {
    const fields = sequence(extension, 'CRL extension');
    const oid = decodeOid(fields[0], 'CRL extension id');
    const critical = fields[1]?.tag === TAG.BOOLEAN ? decodeBoolean(fields[1], 'critical flag') : false;
    const value = expectTag(fields[fields.length - 1], TAG.OCTET_STRING, `CRL extension ${oid} value`).value;
    return { oid, critical, value };
  });
}

function decodeEntries(list: Tlv): ParsedCrl['revoked'] {
  const revoked: ParsedCrl['revoked'] = new Map();
  for (const entry of sequence(list, 'revokedCertificates')) {
    const [serial, date, extensions] = sequence(entry, 'revoked certificate');
    const criticalExtension = (extensions ? sequence(extensions, 'crlEntryExtensions') : []).some((e) => {
      const flag = sequence(e, 'entry extension')[1];
      return flag?.tag === TAG.BOOLEAN && decodeBoolean(flag, 'critical flag');
    });
    revoked.set(decodeInteger(serial, 'revoked serial number').toString('hex'), { revokedAt: decodeTime(date, 'revocationDate'), criticalExtension });
  }
  return revoked;
}

/** Decodes one DER CRL; throws DerError when it is not one. */
export function decodeCrl(der: Buffer, label: string): ParsedCrl {
  const [tbsTlv, signatureAlgorithm, signatureValue, ...extra] = sequence(readSingle(der), 'CRL');
  if (!signatureValue || extra.length > 0) throw new DerError('a CRL has exactly three fields');
  const fields = sequence(tbsTlv, 'tbsCertList');
  let i = 0;
  if (fields[0]?.tag === TAG.INTEGER) {
    if (decodeSmallInteger(fields[0], 'CRL version') !== 1) throw new DerError('unknown CRL version');
    i = 1;
  }
  const tbsSignatureAlgorithm = expectTag(fields[i], TAG.SEQUENCE, 'CRL signature algorithm');
  const issuer = expectTag(fields[i + 1], TAG.SEQUENCE, 'CRL issuer');
  const thisUpdate = decodeTime(fields[i + 2], 'thisUpdate');
  let next = i + 3;
  let nextUpdate: number | undefined;
  if (fields[next] && (fields[next]!.tag === TAG.UTC_TIME || fields[next]!.tag === TAG.GENERALIZED_TIME)) nextUpdate = decodeTime(fields[next++], 'nextUpdate');
  let revoked: ParsedCrl['revoked'] = new Map();
  if (fields[next]?.tag === TAG.SEQUENCE) revoked = decodeEntries(fields[next++]!);
  let extensions: RawExtension[] = [];
  if (fields[next]?.tag === contextTag(0, true)) extensions = decodeCrlExtensions(fields[next++]!);
  if (next !== fields.length) throw new DerError('unexpected field in tbsCertList');
  const signature = expectTag(signatureValue, TAG.BIT_STRING, 'CRL signature').value.subarray(1);
  return {
    label,
    tbs: expectTag(tbsTlv, TAG.SEQUENCE, 'tbsCertList').der,
    tbsSignatureAlgorithm,
    signatureAlgorithm: expectTag(signatureAlgorithm, TAG.SEQUENCE, 'CRL signature algorithm'),
    signature,
    issuer,
    issuerName: decodeName(issuer),
    thisUpdate,
    nextUpdate,
    revoked,
    extensions,
  };
}

/**
 * Every CRL in a `--crl-path` file: PEM `X509 CRL` blocks or concatenated DER.
 * @throws UsageError('invalid_format') naming the file for anything else, an empty
 * file, or more than 64 KiB.
 */
export function parseCrls(bytes: Uint8Array, label: string): ParsedCrl[] {
  const buf = Buffer.from(bytes);
  const invalid = (reason: string): UsageError =>
    new UsageError(`${label} is not a valid CRL: ${reason}`, 'give a CRL file, PEM ("-----BEGIN X509 CRL-----") or DER', 'invalid_format');
  if (buf.length > MAX_CERTIFICATE_FILE_BYTES) throw invalid(`it is larger than ${MAX_CERTIFICATE_FILE_BYTES / 1024} KiB`);
  if (buf.toString('latin1').trim().length === 0) throw invalid('it is empty');
  try {
    if (looksLikePem(buf)) {
      const blocks = readPemBlocks(buf.toString('latin1'));
      const other = blocks.find((b) => b.label !== 'X509 CRL');
      if (other) throw new DerError(`it holds a PEM "${other.label}" block`);
      return blocks.map((b, n) => decodeCrl(b.der, blocks.length > 1 ? `${label} (CRL ${n + 1})` : label));
    }
    const crls: ParsedCrl[] = [];
    for (let offset = 0; offset < buf.length; ) {
      const element = readTlv(buf, offset);
      crls.push(decodeCrl(element.der, `${label} (CRL ${crls.length + 1})`));
      offset = element.end;
    }
    return crls.length === 1 ? [{ ...crls[0]!, label }] : crls;
  } catch (error) {
    if (error instanceof DerError) throw invalid(error.message);
    throw error;
  }
}
