/**
 * Distinguished names: decoding a Name's attributes, formatting it in RFC 4514
 * style for people, and the single-CN rule of verification certificates.
 */
import { children, DerError, decodeOid, expectTag, sequence, TAG, type Tlv } from './der-reader.js';

/** One attribute of a relative distinguished name. */
export interface NameAttribute {
  oid: string;
  /** The ASN.1 string tag of the value. */
  tag: number;
  /** The decoded text, or undefined when the value is not a string type. */
  text: string | undefined;
  /** The value's raw contents octets, for byte-exact comparison. */
  raw: Buffer;
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** id-at-commonName. */
export const OID_COMMON_NAME = '2.5.4.3';

function decodeString(value: Tlv): string | undefined {
  switch (value.tag) {
    case TAG.UTF8_STRING:
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(value.value);
      } catch {
        throw new DerError('a UTF8String in a name is not valid UTF-8');
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
    case TAG.T61_STRING:
      return value.value.toString('latin1');
    case TAG.BMP_STRING: {
      if (value.value.length % 2 !== 0) throw new DerError('BMPString of odd length');
      const swapped = Buffer.from(value.value);
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    case TAG.UNIVERSAL_STRING: {
      if (value.value.length % 4 !== 0) throw new DerError('UniversalString length not a multiple of 4');
      const points: number[] = [];
      for (let i = 0; i < value.value.length; i += 4) {
        const point = value.value.readUInt32BE(i);
        if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) throw new DerError('a UniversalString in a name holds an invalid character');
        points.push(point);
      }
      return String.fromCodePoint(...points);
    }
    default:
      return undefined;
  }
}

/** The RDNs of a Name, each a list of attributes; throws DerError when malformed. */
export function decodeName(name: Tlv): NameAttribute[][] {
  return sequence(name, 'name').map((rdn) => {
    const attributes = children(expectTag(rdn, TAG.SET, 'relative distinguished name'));
    if (attributes.length === 0) throw new DerError('empty relative distinguished name');
    return attributes.map((attribute) => {
      const [type, value, ...rest] = sequence(attribute, 'name attribute');
      if (!value || rest.length > 0) throw new DerError('malformed name attribute');
      return { oid: decodeOid(type, 'attribute type'), tag: value.tag, text: decodeString(value), raw: value.value };
    });
  });
}

function escapeValue(text: string): string {
  return text
    .replace(/[\\",+;<>=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The name as RFC 4514 writes it: last RDN first, `CN=x,O=y,C=z` (as
 * `openssl x509 -nameopt RFC2253` prints it); empty string for an empty name.
 */
export function formatName(rdns: NameAttribute[][]): string {
  return [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.text === undefined ? `#${a.raw.toString('hex')}` : escapeValue(a.text)}`).join('+'))
    .join(',');
}

/** Every CN attribute of the name, in order. */
export function commonNames(rdns: NameAttribute[][]): NameAttribute[] {
  return rdns.flat().filter((a) => a.oid === OID_COMMON_NAME);
}
