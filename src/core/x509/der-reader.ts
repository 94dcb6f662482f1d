/**
 * A strict DER reader: definite, minimal lengths only; no indefinite lengths, no
 * high tag numbers, no bytes left over. Certificates are parsed with it (rather than
 * a lenient BER library) so that any non-canonical encoding is refused before a
 * signature is ever checked.
 */

/** Thrown for any encoding error; `parse.ts` turns it into a user-facing error. */
export class DerError extends Error {}

/** One type-length-value element, as a view into the original buffer. */
export interface Tlv {
  /** The identifier octet: class, constructed bit and tag number. */
  readonly tag: number;
  /** The whole element (header and contents). */
  readonly der: Buffer;
  /** The contents octets. */
  readonly value: Buffer;
}

/** Universal tags (identifier octets) the certificate profile uses. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The context-specific tag `[n]`, constructed (EXPLICIT or a constructed IMPLICIT type) or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** Reads the element at `offset`; `limit` is the end of the enclosing contents. */
export function readTlv(buf: Buffer, offset = 0, limit = buf.length): Tlv & { end: number } {
  if (offset + 2 > limit) throw new DerError('truncated element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let length = buf[offset + 1]!;
  let header = 2;
  if (length === 0x80) throw new DerError('indefinite length is not DER');
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new DerError('length too large');
    if (offset + 2 + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + buf[offset + 2 + i]!;
    if (buf[offset + 2] === 0 || length < 0x80) throw new DerError('non-minimal length encoding');
    header += count;
  }
  const end = offset + header + length;
  if (end > limit) throw new DerError('truncated element');
  return { tag, der: buf.subarray(offset, end), value: buf.subarray(offset + header, end), end };
}

/** Parses `buf` as exactly one element, with nothing after it. */
export function readSingle(buf: Buffer): Tlv {
  const tlv = readTlv(buf, 0);
  if (tlv.end !== buf.length) throw new DerError(`${buf.length - tlv.end} unexpected trailing bytes`);
  return tlv;
}

/** The elements inside a constructed element. */
export function children(tlv: Tlv): Tlv[] {
  if ((tlv.tag & 0x20) === 0) throw new DerError('expected a constructed element');
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < tlv.value.length) {
    const child = readTlv(tlv.value, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** `tlv`, checked to carry `tag`; `what` names it in the error. */
export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new DerError(`missing ${what}`);
  if (tlv.tag !== tag) throw new DerError(`${what}: unexpected tag 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** A SEQUENCE's children, checked to be a SEQUENCE. */
export function sequence(tlv: Tlv | undefined, what: string): Tlv[] {
  return children(expectTag(tlv, TAG.SEQUENCE, what));
}

/** The dotted form of an OBJECT IDENTIFIER, rejecting non-minimal sub-identifiers. */
export function decodeOid(tlv: Tlv | undefined, what = 'object identifier'): string {
  const value = expectTag(tlv, TAG.OID, what).value;
  if (value.length === 0) throw new DerError(`${what}: empty`);
  const arcs: number[] = [];
  let current = 0;
  let fresh = true;
  for (const byte of value) {
    if (fresh && byte === 0x80) throw new DerError(`${what}: non-minimal encoding`);
    current = current * 128 + (byte & 0x7f);
    if (current > Number.MAX_SAFE_INTEGER / 128) throw new DerError(`${what}: arc too large`);
    fresh = (byte & 0x80) === 0;
    if (fresh) {
      arcs.push(current);
      current = 0;
    }
  }
  if (!fresh) throw new DerError(`${what}: truncated`);
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** A DER INTEGER's two's-complement contents, rejecting redundant leading octets. */
export function decodeInteger(tlv: Tlv | undefined, what: string): Buffer {
  const value = expectTag(tlv, TAG.INTEGER, what).value;
  if (value.length === 0) throw new DerError(`${what}: empty integer`);
  if (value.length > 1 && ((value[0] === 0 && (value[1]! & 0x80) === 0) || (value[0] === 0xff && (value[1]! & 0x80) !== 0))) {
    throw new DerError(`${what}: non-minimal integer encoding`);
  }
  return value;
}

/** A small non-negative INTEGER as a number. */
export function decodeSmallInteger(tlv: Tlv | undefined, what: string): number {
  const value = decodeInteger(tlv, what);
  if ((value[0]! & 0x80) !== 0 || value.length > 6) throw new DerError(`${what}: out of range`);
  return value.readUIntBE(0, value.length);
}

/** A DER BOOLEAN: only 0x00 and 0xFF are canonical. */
export function decodeBoolean(tlv: Tlv | undefined, what: string): boolean {
  const value = expectTag(tlv, TAG.BOOLEAN, what).value;
  if (value.length !== 1 || (value[0] !== 0 && value[0] !== 0xff)) throw new DerError(`${what}: not a DER boolean`);
  return value[0] === 0xff;
}

/** A BIT STRING: its unused-bit count and its bytes. */
export function decodeBitString(tlv: Tlv | undefined, what: string): { unusedBits: number; bytes: Buffer } {
  const value = expectTag(tlv, TAG.BIT_STRING, what).value;
  if (value.length === 0) throw new DerError(`${what}: empty bit string`);
  const unusedBits = value[0]!;
  if (unusedBits > 7 || (value.length === 1 && unusedBits !== 0)) throw new DerError(`${what}: bad unused-bit count`);
  const bytes = value.subarray(1);
  if (unusedBits > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) throw new DerError(`${what}: unused bits are not zero`);
  return { unusedBits, bytes };
}

/** A UTCTime or GeneralizedTime in the RFC 5280 profile (seconds, `Z`), as epoch milliseconds. */
export function decodeTime(tlv: Tlv | undefined, what: string): number {
  if (!tlv) throw new DerError(`missing ${what}`);
  const text = tlv.value.toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === TAG.UTC_TIME && (match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG.GENERALIZED_TIME && (match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new DerError(`${what}: not a UTCTime or GeneralizedTime of the form YYMMDDHHMMSSZ`);
  }
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  check.setUTCFullYear(year, month - 1, day);
  const ms = check.getTime();
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || check.getUTCHours() !== hour || check.getUTCMinutes() !== minute || second > 59) {
    throw new DerError(`${what}: not a valid date`);
  }
  return ms;
}
