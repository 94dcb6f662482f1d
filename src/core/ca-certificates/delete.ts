/** Deleting a registered CA: devices chaining to it are no longer accepted. */
import { recordEvent } from '../audit.js';
import type { CoreContext } from '../context.js';
import { organizationPrn } from '../prn.js';
import { auditedAttempt } from './audited.js';
import { caCertificateLabel, caCertificatePrn, toCaCertificate, type CaCertificate } from './ca-certificate.js';
import { findForChange, type CaChangeTarget } from './change.js';
import { etagMismatch } from './etag.js';

/**
 * Deletes the CA and audits it in one transaction; returns the record as it was.
 * Codes bound to it stay in the log of codes but can no longer prove anything.
 * @throws UsageError, NotFoundError, ConflictError (`etag_mismatch`) for a stale `ifMatch`.
 */
export async function deleteCaCertificate(ctx: CoreContext, target: CaChangeTarget): Promise<CaCertificate> {
  const record = { action: 'ca_certificate.delete', organization_id: organizationPrn(target.organizationId), subject: target.certificate };
  return auditedAttempt(ctx, record, () =>
    ctx.store.write(async (tx) => {
      const row = await findForChange(tx, target);
      if (!(await tx.deleteCaCertificate({ organizationId: row.organization_id, id: row.id, expectedEtag: row.etag }))) {
        throw etagMismatch(caCertificateLabel(row), row.etag);
      }
      await recordEvent(ctx, tx, {
        action: 'ca_certificate.delete',
        organization_id: record.organization_id,
        subject: caCertificatePrn(row),
        outcome: 'success',
        reason: null,
        details: { name: row.name, fingerprint_sha256: row.fingerprint_sha256 },
      });
      return toCaCertificate(row);
    }),
  );
}
