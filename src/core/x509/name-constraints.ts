/**
 * The nameConstraints extension (RFC 5280 4.2.1.10): decoding it strictly and
 * deciding whether one name lies inside one subtree. `name-constraint-path.ts`
 * applies the subtrees of every CA on a path to the certificates below it.
 */
import { children, contextTag, DerError, readSingle, sequence, type Tlv } from './der-reader.js';
import { decodeGeneralName, hostLabels, isHostName, isMailbox, type GeneralName } from './general-names.js';
import type { NameAttribute } from './names.js';

/** A decoded nameConstraints extension. `permitted` undefined means no permitted subtrees were given. */
export interface NameConstraints {
  permitted: GeneralName[] | undefined;
  excluded: GeneralName[];
}

/** Why a constraint's base is not of its form's syntax, or undefined. */
function baseProblem(base: GeneralName): string | undefined {
  switch (base.kind) {
    case 'dns':
      // An empty dNSName constrains every name; a leading period or a wildcard is not a host name.
      return base.text === '' || isHostName(base.text) ? undefined : `dNSName constraint "${base.text}" is not a host name`;
    case 'email': {
      const text = base.text;
      const valid = text.includes('@') ? isMailbox(text) : isHostName(text.startsWith('.') ? text.slice(1) : text);
      return valid ? undefined : `rfc822Name constraint "${text}" is neither a mailbox, a host nor a .domain`;
    }
    case 'ip': {
      if (base.bytes.length !== 8 && base.bytes.length !== 32) return `iPAddress constraint of ${base.bytes.length} bytes (8 or 32 expected: address and mask)`;
      const mask = base.bytes.subarray(base.bytes.length / 2);
      const bits = [...mask].map((b) => b.toString(2).padStart(8, '0')).join('');
      return /^1*0*$/.test(bits) ? undefined : 'iPAddress constraint with a mask that is not a prefix';
    }
    default:
      return undefined;
  }
}

function decodeSubtrees(wrapper: Tlv, what: string): GeneralName[] {
  const subtrees = children(wrapper);
  if (subtrees.length === 0) throw new DerError(`${what} is empty`);
  return subtrees.map((subtree) => {
    const [base, ...bounds] = sequence(subtree, 'GeneralSubtree');
    if (!base) throw new DerError('GeneralSubtree without a base');
    // RFC 5280: minimum MUST be zero, which DER leaves out, and maximum MUST be absent.
    if (bounds.length > 0) throw new DerError('GeneralSubtree with a minimum or maximum (RFC 5280 forbids them)');
    const name = decodeGeneralName(base);
    const problem = baseProblem(name);
    if (problem) throw new DerError(problem);
    return name;
  });
}

/**
 * Decodes a nameConstraints extension value.
 * @throws DerError when malformed: an empty sequence, empty or badly tagged subtrees,
 * a minimum or maximum, or a base that is not of its form's syntax (a wildcard or
 * leading-period dNSName, a non-prefix IP mask).
 */
export function decodeNameConstraints(value: Buffer): NameConstraints {
  const fields = sequence(readSingle(value), 'nameConstraints');
  if (fields.length === 0) throw new DerError('nameConstraints has neither permitted nor excluded subtrees');
  let permitted: GeneralName[] | undefined;
  let excluded: GeneralName[] = [];
  let last = -1;
  for (const field of fields) {
    const n = field.tag === contextTag(0, true) ? 0 : field.tag === contextTag(1, true) ? 1 : -1;
    if (n <= last) throw new DerError('nameConstraints: unexpected field');
    last = n;
    if (n === 0) permitted = decodeSubtrees(field, 'permittedSubtrees');
    else excluded = decodeSubtrees(field, 'excludedSubtrees');
  }
  return { permitted, excluded };
}

/** `name` is `base` or below it (both already lower-cased labels). */
function hostWithin(name: string[], base: string[]): boolean {
  if (base.length === 1 && base[0] === '') return true;
  if (name.length < base.length) return false;
  return base.every((label, i) => name[name.length - base.length + i] === label);
}

/**
 * Whether the dNSName `name` (possibly `*.x`) is inside `base`. A wildcard stands for
 * every name it would accept as a peer name: for a permitted subtree all of them must
 * be inside (`mode` 'all'); for an excluded one, any of them being inside is enough
 * ('any'), so `*.example.com` falls under an excluded `bar.example.com`
 * (CVE-2025-61727).
 */
export function dnsWithin(name: string, base: string, mode: 'all' | 'any'): boolean {
  const labels = hostLabels(name);
  const baseLabels = hostLabels(base);
  if (labels[0] !== '*') return hostWithin(labels, baseLabels);
  const parent = labels.slice(1);
  if (hostWithin(parent, baseLabels)) return true;
  return mode === 'any' && baseLabels.length === parent.length + 1 && hostWithin(baseLabels, parent);
}

/** RFC 5280 4.2.1.10: a mailbox, every mailbox at a host, or every mailbox under a domain. */
export function emailWithin(mailbox: string, base: string): boolean {
  const at = mailbox.lastIndexOf('@');
  const host = mailbox.slice(at + 1).toLowerCase();
  if (base.includes('@')) {
    const baseAt = base.lastIndexOf('@');
    return mailbox.slice(0, at) === base.slice(0, baseAt) && host === base.slice(baseAt + 1).toLowerCase();
  }
  const lower = base.toLowerCase();
  return lower.startsWith('.') ? host.endsWith(lower) : host === lower;
}

/** The address is in the constraint's network (same family, equal under the mask). */
export function ipWithin(address: Buffer, base: Buffer): boolean {
  if (base.length !== address.length * 2) return false;
  for (let i = 0; i < address.length; i += 1) {
    const mask = base[address.length + i]!;
    if ((address[i]! & mask) !== (base[i]! & mask)) return false;
  }
  return true;
}

/** Attribute values compare as RFC 5280 7.1 asks, simplified: case-folded, spaces collapsed, for strings; bytes otherwise. */
function sameAttribute(a: NameAttribute, b: NameAttribute): boolean {
  if (a.oid !== b.oid) return false;
  if (a.text === undefined || b.text === undefined) return a.raw.equals(b.raw);
  const fold = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();
  return fold(a.text) === fold(b.text);
}

/** The name's RDNs begin with the base's RDNs. */
export function directoryNameWithin(name: NameAttribute[][], base: NameAttribute[][]): boolean {
  if (name.length < base.length) return false;
  return base.every((rdn, i) => {
    const other = name[i]!;
    return rdn.length === other.length && rdn.every((attribute) => other.some((o) => sameAttribute(attribute, o)));
  });
}
