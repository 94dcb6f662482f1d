/**
 * Checks shared by CA registration, verification certificates and path validation.
 * Each returns the problem phrased to follow the certificate's name ("… is signed
 * with md5WithRSAEncryption …"), or undefined; callers choose the error class.
 */
import { signatureAlgorithmProblem, signingKeyProblem } from './algorithms.js';
import type { CertificateFields } from './certificate-fields.js';
import { DerError } from './der-reader.js';
import { decodeBasicConstraints, decodeKeyUsage, extensionsProblem, findExtension, KEY_USAGE, OID } from './extensions.js';
import type { ParsedCertificate } from './parse.js';
import { rfc3339 } from '../time.js';

/** Where `at` falls against the validity period, compared in whole seconds, both ends inclusive. */
export function validityProblem(fields: CertificateFields, at: Date): string | undefined {
  const seconds = Math.floor(at.getTime() / 1000) * 1000;
  if (seconds < fields.notBefore) return `is not valid until ${rfc3339(fields.notBefore)} (checked at ${rfc3339(seconds)})`;
  if (seconds > fields.notAfter) return `expired at ${rfc3339(fields.notAfter)} (checked at ${rfc3339(seconds)})`;
  return undefined;
}

/** The outer and inner signature algorithms agree, and are neither weak nor unknown. */
export function signatureAlgorithmsProblem(fields: CertificateFields): string | undefined {
  if (!fields.signatureAlgorithm.der.equals(fields.tbsSignatureAlgorithm.der)) {
    return 'has a signatureAlgorithm that differs from the one in its tbsCertificate';
  }
  try {
    return signatureAlgorithmProblem(fields.signatureAlgorithm).problem;
  } catch (error) {
    if (error instanceof DerError) return `has a malformed signature algorithm (${error.message})`;
    throw error;
  }
}

/** Well-formed, unduplicated extensions with no critical one we do not honour, and keyCertSign only with cA. */
export function profileProblem(fields: CertificateFields): string | undefined {
  const problem = extensionsProblem(fields.extensions);
  if (problem) return problem;
  const usage = findExtension(fields.extensions, OID.keyUsage);
  if (usage && decodeKeyUsage(usage.value).has(KEY_USAGE.keyCertSign) && !basicConstraintsOf(fields)?.ca) {
    return 'asserts keyUsage keyCertSign without basicConstraints cA=TRUE';
  }
  return undefined;
}

/** The decoded basicConstraints, if present (profileProblem has ruled out malformed ones). */
export function basicConstraintsOf(fields: CertificateFields): ReturnType<typeof decodeBasicConstraints> | undefined {
  const extension = findExtension(fields.extensions, OID.basicConstraints);
  return extension ? decodeBasicConstraints(extension.value) : undefined;
}

/**
 * What stops the certificate from acting as a CA that signs certificates:
 * basicConstraints cA=TRUE (critical when `requireCritical`), and keyCertSign when
 * keyUsage is present.
 */
export function caConstraintsProblem(fields: CertificateFields, requireCritical: boolean): string | undefined {
  try {
    const extension = findExtension(fields.extensions, OID.basicConstraints);
    if (!extension || !decodeBasicConstraints(extension.value).ca) return 'lacks basicConstraints cA=TRUE';
    if (requireCritical && !extension.critical) return 'has basicConstraints that is not marked critical';
    const usage = findExtension(fields.extensions, OID.keyUsage);
    if (usage && !decodeKeyUsage(usage.value).has(KEY_USAGE.keyCertSign)) return 'has a keyUsage without keyCertSign';
    return undefined;
  } catch (error) {
    if (error instanceof DerError) return `has a malformed basicConstraints or keyUsage extension (${error.message})`;
    throw error;
  }
}

/** Whether the certificate's key is one we accept on any certificate (see signingKeyProblem). */
export function keyPolicyProblem(cert: ParsedCertificate): string | undefined {
  try {
    return signingKeyProblem(cert.x509.publicKey, cert.fields.subjectPublicKeyInfo);
  } catch (error) {
    if (error instanceof DerError) return `has a malformed public key (${error.message})`;
    return 'has a public key OpenSSL cannot use';
  }
}

/** True when OpenSSL verifies `cert`'s signature under `issuer`'s public key. */
export function signedBy(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  try {
    return cert.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}
