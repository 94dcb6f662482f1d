/** The checks a verification certificate must pass to prove possession of a CA's key (SPEC section 5). */
import { ExpiredError, UsageError, VerificationError } from '../errors.js';
import { profileProblem, signatureAlgorithmsProblem, signedBy, validityProblem } from './certificate-checks.js';
import { formatName } from './names.js';
import type { ParsedCertificate } from './parse.js';

const WHO = 'verification certificate';

/**
 * Every verification-certificate check of SPEC section 5 except matching the CN to a
 * code: its issuer name equals the CA's subject name (DER); its signature verifies
 * under the CA's public key (OpenSSL, via node:crypto, so non-canonical signature
 * encodings fail); it is valid at `now` (inclusive, whole seconds); it is not signed
 * with MD5 or SHA-1; it has no duplicated, malformed or unsupported critical
 * extension. A v1 certificate without extensions (what `openssl x509 -req` makes) is
 * accepted.
 * @throws UsageError('invalid_certificate') for a weak or inconsistent signature
 * algorithm or a bad extension.
 * @throws VerificationError('verification_failed') when the issuer is not the CA or
 * the signature does not verify under the CA's key.
 * @throws ExpiredError('certificate_expired') when `now` is outside its validity.
 */
export function checkVerificationCertificate(cert: ParsedCertificate, ca: ParsedCertificate, now: Date): void {
  const { fields } = cert;
  const problem = signatureAlgorithmsProblem(fields) ?? profileProblem(fields);
  if (problem) throw new UsageError(`${WHO} ${problem}`, undefined, 'invalid_certificate');
  if (!fields.issuer.der.equals(ca.fields.subject.der)) {
    throw new VerificationError(
      'verification_failed',
      `${WHO} was not issued by this CA: its issuer "${formatName(fields.issuerName)}" is not the CA's subject "${formatName(ca.fields.subjectName)}"`,
      'sign the verification certificate with the CA certificate and key you are registering (openssl x509 -req -CA ca.pem -CAkey ca.key)',
    );
  }
  if (!signedBy(cert, ca)) {
    throw new VerificationError(
      'verification_failed',
      `${WHO} is not signed by the CA's key`,
      'sign the verification certificate with the private key of the CA you are registering',
    );
  }
  const expired = validityProblem(fields, now);
  if (expired) throw new ExpiredError('certificate_expired', `${WHO} ${expired}`, 'make a new verification certificate');
}
