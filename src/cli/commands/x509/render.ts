/** How the x509 verbs show what they made. */
import type { CertificateSummary } from '../../../core/x509/describe.js';
import { summaryFields } from '../../certificate-summary.js';
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
