/**
 * The Azure IoT Hub flow's code: a verification code bound to one registered,
 * unverified CA, which only `verifyCaCertificate` for that CA accepts.
 */
import type { CoreContext } from '../context.js';
import { ConflictError } from '../errors.js';
import { issueVerificationCodeIn, type IssuedVerificationCode, type IssueVerificationCodeInput } from '../verification-codes.js';
import { organizationPrn } from '../prn.js';
import { auditedAttempt } from './audited.js';
import { caCertificateLabel } from './ca-certificate.js';
import { findForChange, writeChange, type CaChangeTarget } from './change.js';

/**
 * Issues a code bound to the CA `target` names, in one transaction with the etag
 * check. As in Azure (generateVerificationCode), this is a change of the CA: it gets
 * a new etag, returned as `certificate_etag` for `verifyCaCertificate --if-match`,
 * and the CA's earlier live codes are superseded (one live code per CA).
 * @throws UsageError (bad TTL, length or reference), NotFoundError, ConflictError
 * (`etag_mismatch` for a stale `ifMatch`; `already_registered` when the CA is already verified).
 */
export async function issueBoundVerificationCode(
  ctx: CoreContext,
  target: CaChangeTarget,
  options: Pick<IssueVerificationCodeInput, 'ttlMs' | 'length'>,
): Promise<IssuedVerificationCode> {
  const record = { action: 'verification_code.create', organization_id: organizationPrn(target.organizationId), subject: target.certificate };
  return auditedAttempt(ctx, record, () =>
    ctx.store.write(async (tx) => {
      const row = await findForChange(tx, target);
      if (row.is_verified === 1) {
        const label = caCertificateLabel(row);
        throw new ConflictError('already_registered', `CA certificate ${label} is already verified: it needs no verification code`, {
          kind: 'show_ca_certificate',
          ca: label,
        });
      }
      const changed = await writeChange(ctx, tx, row, {});
      return issueVerificationCodeIn(ctx, tx, { ...options, organizationId: target.organizationId, certificateId: row.id, certificateEtag: changed.etag });
    }),
  );
}
