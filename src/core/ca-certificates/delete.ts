/** Deleting a registered CA: devices chaining to it are no longer accepted. */
import { deleteCaCertificateRow } from '../../store/ca-certificates.js';
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
export function deleteCaCertificate(ctx: CoreContext, target: CaChangeTarget): CaCertificate {
  const record = { action: 'ca_certificate.delete', organization_id: organizationPrn(target.organizationId), subject: target.certificate };
  return auditedAttempt(ctx, record, () => ctx.store.write(() => {
    const row = findForChange(ctx, target);
    if (!deleteCaCertificateRow(ctx.store, { organizationId: row.organization_id, id: row.id, expectedEtag: row.etag })) {
      throw etagMismatch(caCertificateLabel(row), row.etag);
    }
    recordEvent(ctx, {
      action: 'ca_certificate.delete',
      organization_id: record.organization_id,
      subject: caCertificatePrn(row),
      outcome: 'success',
      reason: null,
      details: { name: row.name, fingerprint_sha256: row.fingerprint_sha256 },
    });
    return toCaCertificate(row);
  }));
}
