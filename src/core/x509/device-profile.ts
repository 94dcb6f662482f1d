/**
 * The RFC 5280 profile rules every certificate of a device path must follow, beyond
 * what the CA checks already ask: serial numbers, key identifiers, the end-entity's
 * role, an empty subject's subjectAltName, policyConstraints, and the key policy.
 * A version 1 certificate (what `openssl x509 -req` makes without `-extfile`, as the
 * AWS and Peridio guides sign device certificates) cannot carry extensions, so the
 * extension rules do not apply to it.
 */
import { basicConstraintsOf, keyPolicyProblem, signedBy } from './certificate-checks.js';
import { contextTag, readSingle, sequence } from './der-reader.js';
import { findExtension, OID } from './extensions.js';
import type { ParsedCertificate } from './parse.js';

/** Where a certificate sits on the path. */
export type PathPosition = 'leaf' | 'intermediate' | 'anchor';

/** RFC 5280 4.1.2.2: positive, non-zero, at most 20 octets. */
function serialProblem(serial: Buffer): string | undefined {
  if ((serial[0]! & 0x80) !== 0) return 'has a negative serial number (RFC 5280 4.1.2.2 requires a positive one)';
  if (serial.every((byte) => byte === 0)) return 'has serial number zero (RFC 5280 4.1.2.2 requires a positive one)';
  if (serial.length > 20) return `has a serial number of ${serial.length} octets (RFC 5280 4.1.2.2 allows at most 20)`;
  return undefined;
}

/** A self-issued certificate whose signature verifies under its own key. */
function selfSigned(cert: ParsedCertificate): boolean {
  return cert.fields.issuer.der.equals(cert.fields.subject.der) && signedBy(cert, cert);
}

/**
 * RFC 5280 4.2.1.1: keyIdentifier present on every certificate but a self-signed
 * one; on a self-signed one, an authorityKeyIdentifier, if present, names only its
 * own subjectKeyIdentifier.
 */
function keyIdentifierProblem(cert: ParsedCertificate, position: PathPosition): string | undefined {
  const { extensions } = cert.fields;
  const ski = findExtension(extensions, OID.subjectKeyIdentifier);
  if (position !== 'leaf' && !ski) return 'lacks a subjectKeyIdentifier, which RFC 5280 4.2.1.2 requires of a CA certificate';
  const aki = findExtension(extensions, OID.authorityKeyIdentifier);
  const isSelfSigned = selfSigned(cert);
  // A registered CA is trusted as registered (RFC 5280 6.1.1 (d)): a cross-signed root without it stays usable.
  if (!aki)
    return isSelfSigned || position === 'anchor'
      ? undefined
      : 'lacks an authorityKeyIdentifier, which RFC 5280 4.2.1.1 requires of every certificate that is not self-signed';
  const fields = sequence(readSingle(aki.value), 'authorityKeyIdentifier');
  const keyIdentifier = fields.find((f) => f.tag === contextTag(0, false));
  if (!keyIdentifier) return 'has an authorityKeyIdentifier without a keyIdentifier';
  if (!isSelfSigned) return undefined;
  if (fields.length > 1) return 'is self-signed but its authorityKeyIdentifier names an issuer or serial number';
  const own = ski ? readSingle(ski.value).value : undefined;
  return own && keyIdentifier.value.equals(own) ? undefined : 'is self-signed but its authorityKeyIdentifier differs from its subjectKeyIdentifier';
}

/** The rules that depend on extensions (so only for version 3). */
function extensionRulesProblem(cert: ParsedCertificate, position: PathPosition): string | undefined {
  const { fields } = cert;
  if (position === 'leaf' && basicConstraintsOf(fields)?.ca) return 'is an end-entity certificate but asserts basicConstraints cA=TRUE';
  if (position === 'leaf' && findExtension(fields.extensions, OID.nameConstraints))
    return 'is an end-entity certificate but carries nameConstraints, which only a CA certificate may';
  const policyConstraints = findExtension(fields.extensions, OID.policyConstraints);
  if (policyConstraints && !policyConstraints.critical) return 'has a policyConstraints extension that is not marked critical (RFC 5280 4.2.1.11)';
  if (fields.subjectName.length === 0) {
    const san = findExtension(fields.extensions, OID.subjectAltName);
    if (!san) return 'has an empty subject and no subjectAltName';
    if (!san.critical) return 'has an empty subject and a subjectAltName that is not marked critical (RFC 5280 4.2.1.6)';
  }
  return keyIdentifierProblem(cert, position);
}

/**
 * The first profile problem of `cert` at `position`, phrased to follow the
 * certificate's name, or undefined: version 2; a serial number that is negative,
 * zero or longer than 20 octets; a CA with an empty subject; and, for version 3,
 * the rules above (registered CAs exempt from the serial and authorityKeyIdentifier
 * presence rules); finally a key that is not RSA (2048 bits or more, a multiple of
 * 8), EC on P-256/P-384/P-521, or Ed25519, whatever the position.
 */
export function deviceProfileProblem(cert: ParsedCertificate, position: PathPosition): string | undefined {
  const { fields } = cert;
  if (fields.version === 2) return 'is a version 2 certificate: only version 1 and version 3 certificates are accepted';
  const problem =
    // Long-lived roots predate the serial rules (Starfield's G2 root has serial 0): registered CAs are exempt.
    (position === 'anchor' ? undefined : serialProblem(fields.serial)) ??
    (position !== 'leaf' && fields.subjectName.length === 0 ? 'is a CA certificate with an empty subject' : undefined) ??
    (fields.version === 3 ? extensionRulesProblem(cert, position) : undefined);
  return problem ?? keyPolicyProblem(cert);
}
