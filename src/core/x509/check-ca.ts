/** The checks a CA certificate must pass to be registered (SPEC section 5). */
import { ExpiredError, UsageError } from '../errors.js';
import { caConstraintsProblem, keyPolicyProblem, profileProblem, signatureAlgorithmsProblem, signedBy, validityProblem } from './certificate-checks.js';
import type { ParsedCertificate } from './parse.js';

const WHO = 'CA certificate';

/**
 * A self-issued CA (issuer = subject, as every root is) must carry a signature that
 * verifies under its own key: one that does not was altered or is corrupt. An
 * intermediate's signature needs its issuer's key, which registration does not have.
 */
function selfSignatureProblem(cert: ParsedCertificate): string | undefined {
  if (!cert.fields.issuer.der.equals(cert.fields.subject.der)) return undefined;
  return signedBy(cert, cert) ? undefined : 'is self-issued but its signature does not verify under its own key';
}

/**
 * Every CA check of SPEC section 5 except duplicates and the per-subject limit (those
 * need the store): basicConstraints present, critical, cA=TRUE; keyUsage, if present,
 * with keyCertSign; an RSA >= 2048 (a multiple of 8), EC P-256/P-384/P-521 (named
 * curve) or Ed25519 key;
 * a signature algorithm that is neither MD5 nor SHA-1 and is the same outside and
 * inside tbsCertificate; no duplicated, malformed or unsupported critical extension
 * (well-formed name constraints are supported);
 * a non-empty subject; for a self-issued CA, a signature that verifies (OpenSSL,
 * via node:crypto) under its own key; and `now` within [notBefore, notAfter], whole
 * seconds.
 * @throws UsageError('invalid_certificate') naming what is wrong, e.g. "CA
 * certificate lacks basicConstraints cA=TRUE".
 * @throws ExpiredError('certificate_expired') when `now` is outside the validity.
 */
export function checkCaCertificate(cert: ParsedCertificate, now: Date): void {
  const { fields } = cert;
  const problem =
    (fields.subjectName.length === 0 ? 'has an empty subject' : undefined) ??
    caConstraintsProblem(fields, true) ??
    profileProblem(fields) ??
    signatureAlgorithmsProblem(fields) ??
    keyPolicyProblem(cert) ??
    selfSignatureProblem(cert);
  if (problem) throw new UsageError(`${WHO} ${problem}`, "register the certificate of the CA that signs your devices' certificates", 'invalid_certificate');
  const expired = validityProblem(fields, now);
  if (expired) throw new ExpiredError('certificate_expired', `${WHO} ${expired}`);
}
