/**
 * GeneralName (RFC 5280 4.2.1.6), as subjectAltName entries and name-constraint
 * subtrees carry it, and the syntax each form must have. Names are decoded strictly:
 * a dNSName, rfc822Name or iPAddress that does not have its RFC syntax is refused
 * rather than compared, so a malformed name can neither match a peer name nor slip
 * past a constraint.
 */
import { contextTag, DerError, readSingle, sequence, type Tlv } from './der-reader.js';
import { decodeName, type NameAttribute } from './names.js';

/** One decoded GeneralName. `other` covers otherName, x400Address, ediPartyName and registeredID. */
export type GeneralName =
  | { kind: 'dns'; text: string }
  | { kind: 'email'; text: string }
  | { kind: 'uri'; text: string }
  | { kind: 'ip'; bytes: Buffer }
  | { kind: 'dn'; der: Buffer; rdns: NameAttribute[][] }
  | { kind: 'other'; tag: number };

/** The GeneralName tag numbers ([n] IMPLICIT, [4] EXPLICIT). */
const FORM = { otherName: 0, rfc822Name: 1, dNSName: 2, x400Address: 3, directoryName: 4, ediPartyName: 5, uri: 6, iPAddress: 7, registeredID: 8 } as const;

/** A human name for each name form, for messages. */
export const FORM_NAMES: Record<GeneralName['kind'], string> = {
  dns: 'dNSName',
  email: 'rfc822Name',
  uri: 'uniformResourceIdentifier',
  ip: 'iPAddress',
  dn: 'directoryName',
  other: 'otherName',
};

function ia5(tlv: Tlv, what: string): string {
  for (const byte of tlv.value) if (byte > 0x7e || byte < 0x20) throw new DerError(`${what} is not a printable ASCII (IA5String) value`);
  return tlv.value.toString('latin1');
}

/** Decodes one GeneralName; the syntax of its text is checked by the caller (SAN and constraints differ). */
export function decodeGeneralName(tlv: Tlv): GeneralName {
  const n = tlv.tag & 0x1f;
  if ((tlv.tag & 0xc0) !== 0x80) throw new DerError('a GeneralName is not context-tagged');
  switch (n) {
    case FORM.rfc822Name:
      if (tlv.tag !== contextTag(n, false)) break;
      return { kind: 'email', text: ia5(tlv, 'an rfc822Name') };
    case FORM.dNSName:
      if (tlv.tag !== contextTag(n, false)) break;
      return { kind: 'dns', text: ia5(tlv, 'a dNSName') };
    case FORM.uri:
      if (tlv.tag !== contextTag(n, false)) break;
      return { kind: 'uri', text: ia5(tlv, 'a uniformResourceIdentifier') };
    case FORM.iPAddress:
      if (tlv.tag !== contextTag(n, false)) break;
      return { kind: 'ip', bytes: tlv.value };
    case FORM.directoryName: {
      if (tlv.tag !== contextTag(n, true)) break;
      const name = readSingle(tlv.value);
      return { kind: 'dn', der: name.der, rdns: decodeName(name) };
    }
    default:
      if (n > FORM.registeredID) break;
      return { kind: 'other', tag: n };
  }
  throw new DerError(`malformed GeneralName [${n}]`);
}

/** The entries of a subjectAltName extension value (`GeneralNames`, at least one). */
export function decodeGeneralNames(value: Buffer, what: string): GeneralName[] {
  const list = sequence(readSingle(value), what);
  if (list.length === 0) throw new DerError(`${what} is an empty sequence`);
  return list.map(decodeGeneralName);
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const LABEL_WITH_UNDERSCORE = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

/**
 * A host name in the preferred name syntax (RFC 1034 3.5 as RFC 1123 2.1 relaxes it):
 * letters, digits and hyphens, labels of 1 to 63 characters, at most 253 in all, and
 * not an IPv4 address written as a name (the last label is not all digits). With
 * `wildcard`, the leftmost label may be exactly `*` (RFC 6125 6.4.3); with
 * `underscore`, labels may hold `_` (service names some resolvers allow).
 */
export function isHostName(text: string, options: { wildcard?: boolean; underscore?: boolean } = {}): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.split('.');
  if (options.wildcard && labels[0] === '*' && labels.length > 1) labels.shift();
  if (/^\d+$/.test(labels[labels.length - 1]!)) return false;
  const label = options.underscore ? LABEL_WITH_UNDERSCORE : LABEL;
  return labels.every((l) => label.test(l));
}

/** An RFC 5322 addr-spec as RFC 5280 4.2.1.6 allows it: a dot-atom local part, `@`, a host name. */
export function isMailbox(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local) && isHostName(text.slice(at + 1));
}

/** Why a subjectAltName entry is malformed, phrased to follow "has a subjectAltName …", or undefined. */
export function subjectAltNameProblem(name: GeneralName): string | undefined {
  if (name.kind === 'dns' && !isHostName(name.text, { wildcard: true })) return `dNSName "${name.text}" that is not a valid host name`;
  if (name.kind === 'email' && !isMailbox(name.text)) return `rfc822Name "${name.text}" that is not a valid mailbox`;
  if (name.kind === 'ip' && name.bytes.length !== 4 && name.bytes.length !== 16) return `iPAddress of ${name.bytes.length} bytes (4 or 16 expected)`;
  return undefined;
}

/** The dNSName's labels, lower-cased (DNS names compare case-insensitively). */
export function hostLabels(text: string): string[] {
  return text.toLowerCase().split('.');
}
