/**
 * The shared steps of every change to a registered CA, run inside one write
 * transaction: find the record, check `--if-match`, write the change with a new etag.
 */
import type { CoreContext } from '../context.js';
import type { CaCertificateChanges, CaCertificateRow } from '../records.js';
import type { StoreReader, StoreWriter } from '../store-port.js';
import { nowWholeSeconds } from '../time.js';
import { caCertificateLabel } from './ca-certificate.js';
import { assertEtagMatches, etagMismatch, newEtag } from './etag.js';
import { findCaCertificate } from './names.js';

/** A reference to one CA and the etag a change must find. */
export interface CaChangeTarget {
  organizationId: string;
  /** The CA's name or PRN. */
  certificate: string;
  /** `--if-match`: an etag, `*`, or undefined for any. */
  ifMatch?: string;
}

/**
 * The CA `target` names, once its etag is checked, read in the caller's unit of work.
 * @throws UsageError, NotFoundError (see `findCaCertificate`), ConflictError
 * (`etag_mismatch`).
 */
export async function findForChange(tx: StoreReader, target: CaChangeTarget): Promise<CaCertificateRow> {
  const row = await findCaCertificate(tx, target.organizationId, target.certificate);
  assertEtagMatches(target.ifMatch, row.etag, caCertificateLabel(row));
  return row;
}

/**
 * Writes `changes` over `row` with a new etag and `updated_at`. Call in the same unit of
 * work as `findForChange`.
 * @throws ConflictError (`etag_mismatch`) if the record changed underneath.
 */
export async function writeChange(
  ctx: CoreContext,
  tx: StoreWriter,
  row: CaCertificateRow,
  changes: Partial<Omit<CaCertificateChanges, 'etag' | 'updated_at'>>,
): Promise<CaCertificateRow> {
  const updated = await tx.updateCaCertificate(
    { organizationId: row.organization_id, id: row.id, expectedEtag: row.etag },
    {
      is_verified: changes.is_verified ?? row.is_verified,
      status: changes.status ?? row.status,
      description: changes.description === undefined ? row.description : changes.description,
      jitp: changes.jitp === undefined ? row.jitp : changes.jitp,
      etag: newEtag(ctx.random),
      updated_at: nowWholeSeconds(ctx.clock),
    },
  );
  if (!updated) throw etagMismatch(caCertificateLabel(row), row.etag);
  return updated;
}
