/** The rows every certificate view shows, in one order, shared by the x509 and ca-certificates verbs. */
import type { CertificateSummary } from '../core/x509/describe.js';

/** Subject, issuer, serial, fingerprint and validity as key/value rows for `view.fields`. */
export function summaryFields(summary: CertificateSummary): Array<readonly [string, unknown]> {
  return [
    ['subject', summary.subject],
    ['issuer', summary.issuer],
    ['serial', summary.serial],
    ['sha-256 fingerprint', summary.fingerprint_sha256],
    ['not before', summary.not_before],
    ['not after', summary.not_after],
  ];
}
