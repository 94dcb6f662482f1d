/** The checks a CA certificate must pass to be registered (SPEC section 5). */
import { ExpiredError, UsageError } from '../errors.js';
import { caConstraintsProblem, caKeyProblem, profileProblem, signatureAlgorithmsProblem, validityProblem } from './certificate-checks.js';
import type { ParsedCertificate } from './parse.js';

const WHO = 'CA certificate';

/**
 * Every CA check of SPEC section 5 except duplicates and the per-subject limit (those
 * need the store): basicConstraints present, critical, cA=TRUE; keyUsage, if present,
 * with keyCertSign; an RSA >= 2048, EC P-256/P-384/P-521 (named curve) or Ed25519 key;
 * a signature algorithm that is neither MD5 nor SHA-1 and is the same outside and
 * inside tbsCertificate; no duplicated, malformed or unsupported critical extension;
 * a non-empty subject; and `now` within [notBefore, notAfter], whole seconds.
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
    caKeyProblem(cert);
  if (problem) throw new UsageError(`${WHO} ${problem}`, 'register the certificate of the CA that signs your devices\' certificates', 'invalid_certificate');
  const expired = validityProblem(fields, now);
  if (expired) throw new ExpiredError('certificate_expired', `${WHO} ${expired}`);
}
