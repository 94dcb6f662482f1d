/** How the x509 verbs show what they made. */
import type { CertificateSummary } from '../../../core/x509/describe.js';
import type { Rendering } from '../../output.js';

/** The result of `x509 create`: where the files went, and the certificate's summary. */
export interface CreatedCertificateResult extends CertificateSummary {
  certificate_path: string;
  key_path: string | null;
}

export interface CreatedCsrResult {
  csr_path: string;
  key_path: string;
  subject: string;
}

/** The key/value lines of a certificate summary, in the order every command shows them. */
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

export const certificateRendering: Rendering<CreatedCertificateResult> = {
  quiet: (r) => r.certificate_path,
  human: (r, view) => view.fields([['certificate', r.certificate_path], ['key', r.key_path], ...summaryFields(r)]),
};

export const csrRendering: Rendering<CreatedCsrResult> = {
  quiet: (r) => r.csr_path,
  human: (r, view) => view.fields([
    ['csr', r.csr_path],
    ['key', r.key_path],
    ['subject', r.subject],
  ]),
};
