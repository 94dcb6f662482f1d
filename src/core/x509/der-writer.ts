/**
 * A minimal DER writer: enough to build certificates and CSRs field by field, so
 * every date, serial and extension in them is exactly what the caller chose.
 */
import { TAG } from './der-reader.js';

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** An element with identifier octet `tag` and the given contents. */
export function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const value = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(value.length), value]);
}

/** Constructed and primitive universal types, by name. */
export const seq = (...items: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: Uint8Array[]): Buffer => tlv(TAG.SET, ...items);
export const nullValue = (): Buffer => tlv(TAG.NULL);
export const octetString = (bytes: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, bytes);
export const utf8String = (text: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
export const printableString = (text: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(text, 'latin1'));
export const boolean = (value: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0]));
/** `[n] EXPLICIT` around `inner`. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);

/** A BIT STRING with no unused bits. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  return tlv(TAG.BIT_STRING, Buffer.from([unusedBits]), bytes);
}

/** A non-negative INTEGER from its unsigned big-endian bytes, minimally encoded. */
export function unsignedInteger(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = Buffer.from(bytes.subarray(start));
  return tlv(TAG.INTEGER, (trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** A small non-negative INTEGER. */
export function smallInteger(n: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  } while (n > 0);
  return unsignedInteger(Buffer.from(bytes));
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [];
  const encodeArc = (arc: number): void => {
    const parts = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) parts.unshift(0x80 | (n & 0x7f));
    bytes.push(...parts);
  };
  encodeArc(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) encodeArc(arc);
  return tlv(TAG.OID, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime from 2050, as RFC 5280 4.1.2.5 requires; whole seconds. */
export function time(epochMs: number): Buffer {
  const iso = new Date(epochMs).toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(TAG.UTC_TIME, Buffer.from(`${digits.slice(2)}Z`, 'latin1')) : tlv(TAG.GENERALIZED_TIME, Buffer.from(`${digits}Z`, 'latin1'));
}
