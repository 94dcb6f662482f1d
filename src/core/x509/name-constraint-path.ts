/**
 * Name constraints over a whole path (RFC 5280 6.1.3 (b), (c)): the permitted and
 * excluded subtrees of every CA on the path, the trust anchor's included, apply to
 * the subject and subjectAltName of every certificate below it, except that a
 * self-issued intermediate's own names are not checked (a CA renaming itself is not
 * a new identity). Forms we evaluate: dNSName, rfc822Name (and emailAddress in a
 * subject), iPAddress, directoryName. Other forms fail closed only when a name of a
 * constrained form appears.
 */
import { FORM_NAMES, isHostName, type GeneralName } from './general-names.js';
import { canonicalIpText } from './ip-address.js';
import type { ParsedCertificate } from './parse.js';
import { decodeNameConstraints, directoryNameWithin, dnsWithin, emailWithin, ipWithin, type NameConstraints } from './name-constraints.js';
import { commonNames, formatName } from './names.js';
import { findExtension, OID, subjectAltNamesOf } from './extensions.js';

const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** A name to check, and how to speak of it. */
interface CheckedName {
  name: GeneralName;
  label: string;
}

function label(name: GeneralName, where: string): string {
  switch (name.kind) {
    case 'dns':
    case 'email':
    case 'uri':
      return `${where} ${FORM_NAMES[name.kind]} "${name.text}"`;
    case 'ip':
      return `${where} iPAddress ${canonicalIpText(name.bytes)}`;
    case 'dn':
      return `${where} "${formatName(name.rdns) || '(empty)'}"`;
    default:
      return `${where} name of form [${name.tag}]`;
  }
}

/**
 * The names of `cert` that constraints apply to: a non-empty subject, its
 * emailAddress attributes, every subjectAltName entry, and, for a leaf without
 * subjectAltName, a CN that is a host name of two labels or more (as OpenSSL does,
 * since a verifier may fall back to it for a host name check; a one-label CN such as
 * `device-42` is a device id, not a host, and stays outside dNSName constraints).
 */
function constrainedNames(cert: ParsedCertificate, isLeaf: boolean): CheckedName[] {
  const names: CheckedName[] = [];
  const add = (name: GeneralName, where: string): void => void names.push({ name, label: label(name, where) });
  const subject = cert.fields.subjectName;
  if (subject.length > 0) add({ kind: 'dn', der: cert.fields.subject.der, rdns: subject }, 'subject');
  for (const attribute of subject.flat()) {
    if (attribute.oid === EMAIL_ADDRESS && attribute.text !== undefined) add({ kind: 'email', text: attribute.text }, 'subject emailAddress');
  }
  const sans = subjectAltNamesOf(cert.fields.extensions);
  for (const name of sans ?? []) add(name, 'subjectAltName');
  if (isLeaf && sans === undefined) {
    for (const cn of commonNames(subject)) {
      if (cn.text !== undefined && cn.text.includes('.') && isHostName(cn.text))
        names.push({ name: { kind: 'dns', text: cn.text }, label: `subject CN "${cn.text}" (a host name, checked as a dNSName)` });
    }
  }
  return names;
}

function sameForm(a: GeneralName, b: GeneralName): boolean {
  return a.kind === b.kind && (a.kind !== 'other' || a.tag === (b as { tag: number }).tag);
}

function within(name: GeneralName, base: GeneralName, mode: 'all' | 'any'): boolean {
  if (name.kind === 'dns' && base.kind === 'dns') return dnsWithin(name.text, base.text, mode);
  if (name.kind === 'email' && base.kind === 'email') return emailWithin(name.text, base.text);
  if (name.kind === 'ip' && base.kind === 'ip') return ipWithin(name.bytes, base.bytes);
  if (name.kind === 'dn' && base.kind === 'dn') return directoryNameWithin(name.rdns, base.rdns);
  return false;
}

/**
 * The most name-against-subtree comparisons one path may ask for (OpenSSL's bound):
 * a CA with thousands of subtrees over a leaf with thousands of names is quadratic.
 */
export const MAX_NAME_CONSTRAINT_CHECKS = 1 << 20;

const EVALUATED = new Set<GeneralName['kind']>(['dns', 'email', 'ip', 'dn']);

/** Why `name` breaks `constraints`, phrased to follow "<certificate> has …", or undefined. */
function nameProblem(name: CheckedName, constraints: NameConstraints): string | undefined {
  const excluded = constraints.excluded.filter((base) => sameForm(name.name, base));
  const permitted = constraints.permitted?.filter((base) => sameForm(name.name, base)) ?? [];
  if (excluded.length + permitted.length === 0) return undefined;
  if (!EVALUATED.has(name.name.kind)) return `${name.label}, a form whose name constraints are not supported`;
  if (excluded.some((base) => within(name.name, base, 'any'))) return `${name.label} inside an excluded subtree of the name constraints`;
  if (permitted.length > 0 && !permitted.some((base) => within(name.name, base, 'all')))
    return `${name.label} outside the permitted subtrees of the name constraints`;
  return undefined;
}

/**
 * The first name on `path` (leaf first, anchor last) that a CA above it does not
 * allow, phrased as "<certificate> has <name> … of <CA>", or undefined. Call after
 * each certificate's extensions were checked to be well formed.
 */
export function nameConstraintsProblem(path: ParsedCertificate[], describe: (index: number) => string): string | undefined {
  const names = path.map((cert, i) => (i > 0 && cert.fields.issuer.der.equals(cert.fields.subject.der) ? [] : constrainedNames(cert, i === 0)));
  const constrained: Array<{ ca: number; constraints: NameConstraints }> = [];
  let checks = 0;
  for (let ca = path.length - 1; ca >= 1; ca -= 1) {
    const extension = findExtension(path[ca]!.fields.extensions, OID.nameConstraints);
    if (!extension) continue;
    const constraints = decodeNameConstraints(extension.value);
    constrained.push({ ca, constraints });
    const subtrees = constraints.excluded.length + (constraints.permitted?.length ?? 0);
    checks += subtrees * names.slice(0, ca).reduce((sum, list) => sum + list.length, 0);
  }
  if (checks > MAX_NAME_CONSTRAINT_CHECKS)
    return `the name constraints on the path would take ${checks} comparisons (at most ${MAX_NAME_CONSTRAINT_CHECKS} are made): too many names or subtrees`;
  for (const { ca, constraints } of constrained) {
    for (let below = ca - 1; below >= 0; below -= 1) {
      for (const name of names[below]!) {
        const problem = nameProblem(name, constraints);
        if (problem) return `${describe(below)} has ${problem} of ${describe(ca)}`;
      }
    }
  }
  return undefined;
}
