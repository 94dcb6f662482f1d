/**
 * The Azure IoT Hub flow's second step: prove possession of an unverified CA's key
 * with a verification certificate whose CN is a code bound to that CA.
 *
 * Loads the X.509 modules: import this module lazily from commands.
 */
import { recordEvent } from '../audit.js';
import type { CoreContext } from '../context.js';
import { ConflictError, NotFoundError, VerificationError } from '../errors.js';
import { organizationPrn, resourcePrn } from '../prn.js';
import { consumeVerificationCode } from '../verification-codes.js';
import { checkCaCertificate } from '../x509/check-ca.js';
import { checkVerificationCertificate } from '../x509/check-verification.js';
import { singleCommonName } from '../x509/describe.js';
import { parseCertificate } from '../x509/parse.js';
import { auditedAttempt, noteConsumedCode } from './audited.js';
import { caCertificateLabel, caCertificatePrn, toCaCertificate, type CaCertificate } from './ca-certificate.js';
import { findForChange, writeChange, type CaChangeTarget } from './change.js';
import { assertEtagMatches } from './etag.js';
import type { CertificateInput } from './register.js';

/** Which CA to verify, with what. */
export interface VerifyCaCertificateInput extends CaChangeTarget {
  verificationCertificate: CertificateInput;
}

/**
 * Marks the CA verified. Every check that needs no code runs first, so a mistake that
 * never needed the code leaves it live: the CA exists, `ifMatch` holds, it is not yet
 * verified, the file parses and has one CN, the CA passes the CA checks, and the
 * verification certificate's issuer, signature and validity match the CA. Then the
 * CN is consumed as a code, which must be bound to this CA, and the CA is marked
 * verified with a new etag (`ifMatch` checked again in that transaction). A failure
 * after the consume says the code is spent.
 * @throws UsageError, NotFoundError, ConflictError (`etag_mismatch`, or
 * `already_registered` when the CA is already verified); VerificationError,
 * ExpiredError or UsageError when a certificate fails its checks (code untouched);
 * the errors of `consumeVerificationCode`; VerificationError when the code is not
 * bound to this CA.
 */
export async function verifyCaCertificate(ctx: CoreContext, input: VerifyCaCertificateInput): Promise<CaCertificate> {
  const record = { action: 'ca_certificate.verify', organization_id: organizationPrn(input.organizationId), subject: input.certificate };
  return auditedAttempt(ctx, record, async () => {
    const row = await ctx.store.read((tx) => findForChange(tx, input));
    const label = caCertificateLabel(row);
    if (row.is_verified === 1) throw alreadyVerified(label);
    const verification = parseCertificate(input.verificationCertificate.bytes, input.verificationCertificate.label);
    const code = singleCommonName(verification, input.verificationCertificate.label);
    const ca = parseCertificate(row.der, `CA certificate ${label}`);
    const now = ctx.clock.now();
    checkCaCertificate(ca, now);
    checkVerificationCertificate(verification, ca, now);
    const consumed = await consumeVerificationCode(ctx, input.organizationId, code, "the verification certificate's CN");
    try {
      if (consumed.certificate_id !== row.id) {
        throw new VerificationError('verification_failed', `the verification certificate's CN is not a code bound to CA certificate ${label}`);
      }
      return await ctx.store.write(async (tx) => {
        const current = await tx.findCaCertificateById(row.organization_id, row.id);
        if (!current) throw new NotFoundError(`CA certificate ${label} was deleted while it was being verified`);
        assertEtagMatches(input.ifMatch, current.etag, label);
        if (current.is_verified === 1) throw alreadyVerified(label);
        const updated = await writeChange(ctx, tx, current, { is_verified: 1 });
        await recordEvent(ctx, tx, {
          action: 'ca_certificate.verify',
          organization_id: record.organization_id,
          subject: caCertificatePrn(updated),
          outcome: 'success',
          reason: null,
          details: { proof: 'verification_certificate', verification_code: resourcePrn(row.organization_id, 'ca_verification_code', consumed.id) },
        });
        return toCaCertificate(updated);
      });
    } catch (error) {
      throw noteConsumedCode(error, label);
    }
  });
}

function alreadyVerified(label: string): ConflictError {
  return new ConflictError('already_registered', `CA certificate ${label} is already verified`, { kind: 'show_ca_certificate', ca: label });
}
