/**
 * The extensions the checks understand: their OIDs, strict decoders for the two
 * that carry CA semantics (basicConstraints, keyUsage), and well-formedness checks
 * for the others we recognise. An extension is "understood" only if we decode and
 * honour it; any other extension marked critical makes the certificate unusable
 * (RFC 5280 4.2).
 */
import { DerError, decodeBitString, decodeBoolean, decodeSmallInteger, expectTag, readSingle, sequence, TAG } from './der-reader.js';
import type { RawExtension } from './certificate-fields.js';
import { decodeGeneralNames, subjectAltNameProblem, type GeneralName } from './general-names.js';
import { decodeNameConstraints } from './name-constraints.js';

/** OIDs of the extensions this module knows. */
export const OID = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

const NAMES: Record<string, string> = Object.fromEntries(Object.entries(OID).map(([name, oid]) => [oid, name]));

/** A readable name for an extension OID. */
export function extensionName(oid: string): string {
  return NAMES[oid] ?? oid;
}

/**
 * Extensions we honour when critical. certificatePolicies is accepted because we
 * validate with the any-policy initial set and no explicit-policy requirement, under
 * which policies cannot change the outcome.
 */
const MAY_BE_CRITICAL = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectAltName,
  OID.certificatePolicies,
  OID.nameConstraints,
]);

/** Bit positions of KeyUsage (RFC 5280 4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

/** A decoded basicConstraints extension. */
export interface BasicConstraints {
  ca: boolean;
  pathLength: number | undefined;
}

/** Decodes basicConstraints strictly (a DER `cA FALSE` is omitted, not encoded). */
export function decodeBasicConstraints(value: Buffer): BasicConstraints {
  const fields = sequence(readSingle(value), 'basicConstraints');
  let index = 0;
  let ca = false;
  if (fields[0]?.tag === TAG.BOOLEAN) {
    ca = decodeBoolean(fields[0], 'basicConstraints cA');
    index = 1;
  }
  const pathLength = fields[index] ? decodeSmallInteger(fields[index], 'pathLenConstraint') : undefined;
  if (fields.length > index + (pathLength === undefined ? 0 : 1)) throw new DerError('basicConstraints: unexpected fields');
  return { ca, pathLength };
}

/** The set bits of a keyUsage extension. */
export function decodeKeyUsage(value: Buffer): Set<number> {
  const { bytes } = decodeBitString(readSingle(value), 'keyUsage');
  const bits = new Set<number>();
  bytes.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit += 1) if (byte & (0x80 >> bit)) bits.add(i * 8 + bit);
  });
  return bits;
}

/** `SEQUENCE SIZE (1..MAX) OF …` as several extensions are defined. */
function nonEmptySequence(value: Buffer, what: string): void {
  if (sequence(readSingle(value), what).length === 0) throw new DerError(`${what} is an empty sequence`);
}

const WELL_FORMED: Record<string, (value: Buffer) => void> = {
  [OID.basicConstraints]: (v) => void decodeBasicConstraints(v),
  [OID.keyUsage]: (v) => {
    if (decodeKeyUsage(v).size === 0) throw new DerError('keyUsage has no bits set');
  },
  [OID.subjectKeyIdentifier]: (v) => void expectTag(readSingle(v), TAG.OCTET_STRING, 'subjectKeyIdentifier'),
  [OID.authorityKeyIdentifier]: (v) => void sequence(readSingle(v), 'authorityKeyIdentifier'),
  [OID.subjectAltName]: (v) => {
    for (const name of decodeGeneralNames(v, 'subjectAltName')) {
      const problem = subjectAltNameProblem(name);
      if (problem) throw new DerError(`a ${problem}`);
    }
  },
  [OID.nameConstraints]: (v) => void decodeNameConstraints(v),
  [OID.extKeyUsage]: (v) => nonEmptySequence(v, 'extKeyUsage'),
  [OID.certificatePolicies]: (v) => nonEmptySequence(v, 'certificatePolicies'),
  [OID.crlDistributionPoints]: (v) => nonEmptySequence(v, 'crlDistributionPoints'),
  [OID.authorityInfoAccess]: (v) => {
    const descriptions = sequence(readSingle(v), 'authorityInfoAccess');
    if (descriptions.length === 0) throw new DerError('authorityInfoAccess is an empty sequence');
    for (const d of descriptions) if (sequence(d, 'access description').length !== 2) throw new DerError('malformed access description');
  },
};

/**
 * The first problem with the certificate's extensions as a list, phrased to follow
 * "<certificate> …", or undefined: a duplicated extension, an extension we do not
 * understand marked critical, or a recognised extension that is malformed.
 */
export function extensionsProblem(extensions: readonly RawExtension[]): string | undefined {
  const seen = new Set<string>();
  for (const extension of extensions) {
    const name = extensionName(extension.oid);
    if (seen.has(extension.oid)) return `has the ${name} extension more than once`;
    seen.add(extension.oid);
    if (extension.critical && !MAY_BE_CRITICAL.has(extension.oid))
      return `has an unsupported critical extension ${name}${name === extension.oid ? '' : ` (${extension.oid})`}`;
    const check = WELL_FORMED[extension.oid];
    if (check) {
      try {
        check(extension.value);
      } catch (error) {
        if (error instanceof DerError) return `has a malformed ${name} extension (${error.message})`;
        throw error;
      }
    }
  }
  return undefined;
}

/** The extension with `oid`, if present (call after extensionsProblem ruled out duplicates). */
export function findExtension(extensions: readonly RawExtension[], oid: string): RawExtension | undefined {
  return extensions.find((e) => e.oid === oid);
}

/** The subjectAltName entries, or undefined without the extension (call after extensionsProblem). */
export function subjectAltNamesOf(extensions: readonly RawExtension[]): GeneralName[] | undefined {
  const extension = findExtension(extensions, OID.subjectAltName);
  return extension ? decodeGeneralNames(extension.value, 'subjectAltName') : undefined;
}
