/**
 * A registered CA certificate as users and scripts see it (the JSON of
 * `ca-certificates create/get/list/update/verify`), and its mapping from the store.
 */
import type { CaCertificateRow } from '../records.js';
import { UsageError } from '../errors.js';
import { resourcePrn } from '../prn.js';
import { rfc3339 } from '../time.js';
import type { CertificateSummary } from '../x509/describe.js';
import { parseStoredJitp, type Jitp } from './jitp.js';
import { DESCRIPTION_LIMIT, isCaDescription } from './name-rule.js';

/** Whether a registered CA takes part in device checks. */
export type CaCertificateStatus = 'active' | 'inactive';

/** A registered CA certificate: its certificate's summary and its record. Timestamps are RFC 3339 UTC. */
export interface CaCertificate extends CertificateSummary {
  prn: string;
  name: string | null;
  is_verified: boolean;
  status: CaCertificateStatus;
  etag: string;
  description: string | null;
  jitp: Jitp | null;
  created_at: string;
  updated_at: string;
}

/** The PRN of a CA certificate: `prn:1:<org-uuid>:ca_certificate:<uuid>`. */
export function caCertificatePrn(row: Pick<CaCertificateRow, 'organization_id' | 'id'>): string {
  return resourcePrn(row.organization_id, 'ca_certificate', row.id);
}

/** How a CA is named in messages: its name when it has one, else its PRN. */
export function caCertificateLabel(row: Pick<CaCertificateRow, 'organization_id' | 'id' | 'name'>): string {
  return row.name ?? caCertificatePrn(row);
}

/** The public view of a stored row. */
export function toCaCertificate(row: CaCertificateRow): CaCertificate {
  return {
    prn: caCertificatePrn(row),
    name: row.name,
    subject: row.subject,
    issuer: row.issuer,
    serial: row.serial,
    fingerprint_sha256: row.fingerprint_sha256,
    not_before: row.not_before,
    not_after: row.not_after,
    is_verified: row.is_verified === 1,
    status: row.status,
    etag: row.etag,
    description: row.description,
    jitp: parseStoredJitp(row.jitp),
    created_at: rfc3339(row.created_at),
    updated_at: rfc3339(row.updated_at),
  };
}

/**
 * A `--description` as stored: trimmed; empty means none (null).
 * @throws UsageError when it is over 1024 characters or has control characters.
 */
export function parseDescription(text: string): string | null {
  const trimmed = text.trim();
  if (!isCaDescription(trimmed)) throw new UsageError(`invalid description: it must be at most ${DESCRIPTION_LIMIT} printable characters`);
  return trimmed.length === 0 ? null : trimmed;
}
