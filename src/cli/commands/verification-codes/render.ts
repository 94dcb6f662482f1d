/** How verification codes are shown, shared by the verification-codes verbs. */
import type { IssuedVerificationCode, VerificationCodeInfo } from '../../../core/verification-codes.js';
import type { Page } from '../../../core/pagination.js';
import type { Rendering } from '../../output.js';
import { COMMAND } from '../../output.js';

export const issuedRendering: Rendering<IssuedVerificationCode> = {
  quiet: (r) => r.code,
  human: (r, view) =>
    view.fields([
      ['code', view.style.bold(r.code)],
      ['id', r.id],
      ['organization', r.organization_id],
      ...(r.certificate_prn ? [['certificate', r.certificate_prn] as const, ['certificate etag', r.certificate_etag] as const] : []),
      ['expires at', r.expires_at],
    ]),
};

export const infoRendering: Rendering<VerificationCodeInfo> = {
  quiet: (r) => r.status,
  human: (r, view) =>
    view.fields([
      ['id', r.id],
      ['status', r.status],
      ['organization', r.organization_id],
      ['certificate', r.certificate_prn],
      ['created at', r.created_at],
      ['expires at', r.expires_at],
      ['consumed at', r.consumed_at],
    ]),
};

export const pageRendering: Rendering<Page<VerificationCodeInfo>> = {
  quiet: (page) => page.items.map((r) => r.id),
  human: (page, view) =>
    view.table(
      ['ID', 'STATUS', 'CREATED', 'EXPIRES', 'CERTIFICATE'],
      page.items.map((r) => [view.id(r.id), r.status, r.created_at, r.expires_at, view.id(r.certificate_prn)]),
    ),
};

/**
 * The commands that put `code` into a verification certificate's CN and register
 * the CA, as the Peridio, AWS and Azure guides show them; for a code bound to
 * `certificate` (as the user named it), the verify step of the Azure flow.
 */
export function nextSteps(code: string, certificate: string | null): string[] {
  const register = certificate
    ? `${COMMAND} ca-certificates verify ${certificate} -v verification.pem`
    : `${COMMAND} ca-certificates create -c ca.pem -v verification.pem`;
  return [
    "put the code in the CN of a verification certificate signed by your CA's key, then register:",
    `  ${COMMAND} x509 create --common-name ${code} --signer-cert ca.pem --signer-key ca.key --key-out verification.key --out verification.pem`,
    '  or with openssl:',
    '  openssl genrsa -out verification.key 2048',
    `  openssl req -new -key verification.key -out verification.csr -subj "/CN=${code}"`,
    '  openssl x509 -req -in verification.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out verification.pem -days 1 -sha256',
    `  ${register}`,
  ];
}
