/** Changing a registered CA's description, status and JITP settings. */
import { recordEvent } from '../audit.js';
import type { CoreContext } from '../context.js';
import { UsageError } from '../errors.js';
import { organizationPrn } from '../prn.js';
import { auditedAttempt } from './audited.js';
import { caCertificatePrn, parseDescription, toCaCertificate, type CaCertificate, type CaCertificateStatus } from './ca-certificate.js';
import { findForChange, writeChange, type CaChangeTarget } from './change.js';
import { applyJitpInput, hasJitpInput, parseStoredJitp, storedJitp, type JitpInput } from './jitp.js';

/** What to change; fields left undefined stay as they are. */
export interface UpdateCaCertificateInput extends CaChangeTarget {
  /** The new description; an empty one removes it. */
  description?: string;
  status?: CaCertificateStatus;
  /** JITP fields to set (turning JITP on needs description, tags and product name). */
  jitp?: JitpInput;
  /** Turn JITP off. */
  disableJitp?: boolean;
}

/**
 * Applies the changes, gives the record a new etag, and audits it, in one transaction.
 * @throws UsageError when nothing is to change, `disableJitp` comes with JITP fields,
 * or a value is malformed; NotFoundError; ConflictError (`etag_mismatch`) for a stale
 * `ifMatch`.
 */
export async function updateCaCertificate(ctx: CoreContext, input: UpdateCaCertificateInput): Promise<CaCertificate> {
  const jitpInput = input.jitp && hasJitpInput(input.jitp) ? input.jitp : undefined;
  if (input.disableJitp && jitpInput) throw new UsageError('turning JITP off excludes changing its settings');
  if (input.description === undefined && input.status === undefined && !jitpInput && !input.disableJitp) {
    throw new UsageError('nothing to update', 'give a description, a status or JITP settings, or turn JITP off');
  }
  const description = input.description === undefined ? undefined : parseDescription(input.description);
  const record = { action: 'ca_certificate.update', organization_id: organizationPrn(input.organizationId), subject: input.certificate };
  return auditedAttempt(ctx, record, () =>
    ctx.store.write(async (tx) => {
      const row = await findForChange(tx, input);
      const jitp = input.disableJitp ? null : jitpInput ? applyJitpInput(parseStoredJitp(row.jitp), jitpInput, input.organizationId) : undefined;
      const updated = await writeChange(ctx, tx, row, { description, status: input.status, jitp: jitp === undefined ? undefined : storedJitp(jitp) });
      await recordEvent(ctx, tx, {
        action: 'ca_certificate.update',
        organization_id: record.organization_id,
        subject: caCertificatePrn(row),
        outcome: 'success',
        reason: null,
        details: {
          changed: [
            ...(description !== undefined ? ['description'] : []),
            ...(input.status !== undefined ? ['status'] : []),
            ...(jitp !== undefined ? ['jitp'] : []),
          ],
          status: updated.status,
          jitp: updated.jitp !== null,
        },
      });
      return toCaCertificate(updated);
    }),
  );
}
