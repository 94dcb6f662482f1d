/** How the x509 verbs show what they made. */
import type { CertificateSummary } from '../../../core/x509/describe.js';
import { summaryFields } from '../../certificate-summary.js';
import type { Rendering } from '../../output.js';

/** The result of `x509 create`: where the files went, and the certificate's summary. */
export interface CreatedCertificateResult extends CertificateSummary {
  certificate_path: string;
  key_path: string | null;
}

/** The result of `x509 create` in the Peridio CLI's form: the two files it wrote, as the Peridio CLI names them in JSON. */
export interface CreatedFilesResult {
  certificate: string;
  private_key: string;
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

export const directoryRendering: Rendering<CreatedFilesResult> = {
  quiet: (r) => r.certificate,
  human: (r, view) =>
    view.fields([
      ['certificate', r.certificate],
      ['private key', r.private_key],
    ]),
};

export const csrRendering: Rendering<CreatedCsrResult> = {
  quiet: (r) => r.csr_path,
  human: (r, view) =>
    view.fields([
      ['csr', r.csr_path],
      ['key', r.key_path],
      ['subject', r.subject],
    ]),
};
