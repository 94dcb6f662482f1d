/**
 * The identity a device certificate is checked to carry (`--dns-name`,
 * `--ip-address`, `--email`), matched as RFC 6125 and RFC 5280 say: against
 * subjectAltName entries; a wildcard only as the whole leftmost label, standing for
 * exactly one label; IP addresses by their bytes; the subject's CN (or emailAddress)
 * only when the certificate has no subjectAltName at all, as version 1 device
 * certificates made by `openssl x509 -req` have none.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../errors.js';
import { subjectAltNamesOf } from './extensions.js';
import { hostLabels, isHostName, isMailbox, type GeneralName } from './general-names.js';
import { commonNames } from './names.js';
import type { ParsedCertificate } from './parse.js';
import { canonicalIpText, ipBytes } from './ip-address.js';

/** A parsed identity to look for in the leaf. */
export type PeerIdentity = { kind: 'dns'; name: string } | { kind: 'ip'; bytes: Buffer; text: string } | { kind: 'email'; address: string };

/** The identity to check, as given: at most one of a DNS name, an IP address and a mailbox. */
export interface PeerIdentityInput {
  dnsName?: string;
  ipAddress?: string;
  email?: string;
}

/** What is wrong with a PeerIdentityInput: several identities, or the one given is malformed. */
export type PeerIdentityProblem = { kind: 'several' } | { kind: 'dns' | 'ip' | 'email'; value: string };

/** The host name a `dnsName` stands for: without a final dot. */
function hostNameOf(dnsName: string): string {
  return dnsName.replace(/\.$/, '');
}

/** What is wrong with `options`, or undefined (front ends word it; parsePeerIdentity throws it). */
export function identityInputProblem(options: PeerIdentityInput): PeerIdentityProblem | undefined {
  const given = [options.dnsName, options.ipAddress, options.email].filter((v) => v !== undefined);
  if (given.length > 1) return { kind: 'several' };
  // Underscores are accepted here (some internal names have them), and refused in certificates (RFC 5280 4.2.1.6).
  if (options.dnsName !== undefined && !isHostName(hostNameOf(options.dnsName), { underscore: true })) return { kind: 'dns', value: options.dnsName };
  if (options.ipAddress !== undefined && !isIPv4(options.ipAddress) && !isIPv6(options.ipAddress)) return { kind: 'ip', value: options.ipAddress };
  if (options.email !== undefined && !isMailbox(options.email)) return { kind: 'email', value: options.email };
  return undefined;
}

const PROBLEM_WORDS = {
  dns: ['is not a host name', 'give a name such as device-42.example.com, without a wildcard; check an IP address as an IP address'],
  ip: ['is not an IPv4 or IPv6 address', 'give an address such as 192.0.2.10 or 2001:db8::1'],
  email: ['is not a mailbox address', 'give an address such as device-42@example.com'],
} as const;

/**
 * Reads the identity to check; at most one may be given.
 * @throws UsageError for a value that is not a host name, an IPv4 or IPv6 address, or
 * a mailbox, or when several are given.
 */
export function parsePeerIdentity(options: PeerIdentityInput): PeerIdentity | undefined {
  const problem = identityInputProblem(options);
  if (problem?.kind === 'several') throw new UsageError('give at most one identity: a DNS name, an IP address or a mailbox', 'check one identity per run');
  if (problem) throw new UsageError(`"${problem.value}" ${PROBLEM_WORDS[problem.kind][0]}`, PROBLEM_WORDS[problem.kind][1]);
  if (options.dnsName !== undefined) return { kind: 'dns', name: hostNameOf(options.dnsName).toLowerCase() };
  if (options.ipAddress !== undefined) return { kind: 'ip', bytes: ipBytes(options.ipAddress), text: options.ipAddress };
  if (options.email !== undefined) return { kind: 'email', address: options.email };
  return undefined;
}

/** RFC 6125 6.4: exact (case-insensitive), or `*.rest` where `*` is one whole label. */
function hostMatches(presented: string, reference: string): boolean {
  const pattern = hostLabels(presented);
  const labels = hostLabels(reference);
  if (pattern[0] !== '*') return pattern.join('.') === labels.join('.');
  // A wildcard needs two labels under it, so `*` and `*.com` match nothing.
  return pattern.length >= 3 && labels.length === pattern.length && pattern.slice(1).join('.') === labels.slice(1).join('.');
}

function mailboxMatches(presented: string, reference: string): boolean {
  const split = (m: string): [string, string] => [m.slice(0, m.lastIndexOf('@')), m.slice(m.lastIndexOf('@') + 1).toLowerCase()];
  const [a, b] = [split(presented), split(reference)];
  return a[0] === b[0] && a[1] === b[1];
}

/** A CN that reads as an IP address in any notation some parser accepts: dotted, hex, with leading zeros, IPv6 in any case. */
function looksLikeIp(text: string): boolean {
  return /^[0-9a-f.:x]+$/i.test(text) && (text.includes(':') || /^[0-9.]+$/.test(text) || /^0x[0-9a-f]+$/i.test(text));
}

/**
 * A CN that spells an IP address must be the canonical text of one of the
 * subjectAltName addresses (CA/Browser Forum BR 7.1.4.3): hex, leading zeros or
 * uncompressed IPv6 are read differently by different parsers, so a CN like
 * `0xC0A80101` next to an iPAddress of 192.168.1.1 is refused rather than trusted.
 */
function commonNameProblem(leaf: ParsedCertificate, sans: GeneralName[]): string | undefined {
  const addresses = new Set(sans.flatMap((n) => (n.kind === 'ip' ? [canonicalIpText(n.bytes)] : [])));
  for (const cn of commonNames(leaf.fields.subjectName)) {
    if (cn.text !== undefined && looksLikeIp(cn.text) && !addresses.has(cn.text))
      return `has the CN "${cn.text}", an IP address that is not the canonical form of one of its subjectAltName addresses`;
  }
  return undefined;
}

/**
 * Why `leaf` does not carry `identity`, phrased to follow "device certificate", or
 * undefined.
 */
export function peerIdentityProblem(leaf: ParsedCertificate, identity: PeerIdentity): string | undefined {
  const sans = subjectAltNamesOf(leaf.fields.extensions);
  const attributes = leaf.fields.subjectName.flat();
  if (identity.kind === 'email') {
    const presented = sans
      ? sans.flatMap((n) => (n.kind === 'email' ? [n.text] : []))
      : attributes.flatMap((a) => (a.oid === '1.2.840.113549.1.9.1' && a.text ? [a.text] : []));
    return presented.some((m) => mailboxMatches(m, identity.address)) ? undefined : `does not carry the email address ${identity.address}`;
  }
  if (sans) {
    const cnProblem = commonNameProblem(leaf, sans);
    if (cnProblem) return cnProblem;
  }
  if (identity.kind === 'ip') {
    const found = (sans ?? []).some((n) => n.kind === 'ip' && n.bytes.equals(identity.bytes));
    return found ? undefined : `does not carry the IP address ${identity.text} in its subjectAltName`;
  }
  const presented = sans
    ? sans.flatMap((n) => (n.kind === 'dns' ? [n.text] : []))
    : commonNames(leaf.fields.subjectName).flatMap((cn) => (cn.text && !cn.text.includes('*') ? [cn.text] : []));
  return presented.some((p) => hostMatches(p, identity.name))
    ? undefined
    : `does not carry the DNS name ${identity.name}${sans ? ' in its subjectAltName' : ''}`;
}
