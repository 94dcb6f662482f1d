/**
 * Registering a CA certificate, in the three ways users know:
 * - Peridio / AWS IoT: with a verification certificate whose CN is an active code,
 *   signed by the CA's key: checked offline, registered verified;
 * - Azure IoT Hub: without proof, registered unverified with an etag, to be proved
 *   later with `verifyCaCertificate`;
 * - verified on upload (`verified: true`): registered verified without proof.
 *
 * Loads the X.509 modules: import this module lazily from commands.
 */
import type { CoreContext } from '../context.js';
import { UsageError, VerificationError } from '../errors.js';
import { organizationPrn } from '../prn.js';
import { consumeVerificationCode } from '../verification-codes.js';
import { checkCaCertificate } from '../x509/check-ca.js';
import { checkVerificationCertificate } from '../x509/check-verification.js';
import { singleCommonName } from '../x509/describe.js';
import { parseCertificate } from '../x509/parse.js';
import { auditedAttempt, noteConsumedCode } from './audited.js';
import { caCertificateLabel, parseDescription, type CaCertificate, type CaCertificateStatus } from './ca-certificate.js';
import { applyJitpInput, hasJitpInput, type JitpInput } from './jitp.js';
import { assertCaName } from './names.js';
import { assertNameFree, insertCheckedCaCertificate, type Proof } from './insert.js';

/** Certificate bytes (PEM or DER) and how to name them in errors (usually the path). */
export interface CertificateInput {
  bytes: Uint8Array;
  label: string;
}

/** What to register. */
export interface RegisterCaCertificateInput {
  organizationId: string;
  certificate: CertificateInput;
  /** The proof of possession (Peridio / AWS flow). */
  verificationCertificate?: CertificateInput;
  /** Register as verified without proof (`--verified`); excludes `verificationCertificate`. */
  verified?: boolean;
  name?: string;
  description?: string;
  status?: CaCertificateStatus;
  jitp?: JitpInput;
}

/**
 * Registers a CA. With a verification certificate, every check that needs no store
 * runs before the code is looked up, so a mistake that never needed the code leaves
 * it live: both files are parsed, the verification certificate has one CN, the CA
 * passes the CA checks, and the verification certificate's issuer, signature and
 * validity match the CA. Only then is the CN consumed as a code; what can fail after
 * that (a code bound to another CA, a duplicate CA, the per-subject limit) leaves the
 * code consumed, as the Peridio page says, and the error says so. Every attempt is audited.
 * @throws UsageError for bad flags, an invalid name, a malformed certificate (or not
 * exactly one CN); VerificationError, ExpiredError or UsageError when a certificate
 * fails its checks (code untouched); the errors of `consumeVerificationCode`;
 * VerificationError when the code is bound to a registered CA; ConflictError
 * (`already_registered`) for a taken name or the same certificate registered twice,
 * (`limit_exceeded`) past 10 CAs with one subject.
 */
export async function registerCaCertificate(ctx: CoreContext, input: RegisterCaCertificateInput): Promise<CaCertificate> {
  if (input.verified && input.verificationCertificate) {
    throw new UsageError(
      'a CA certificate is registered either with a proof of possession or as verified without one, not both',
      'give a verification certificate, or register it verified without proof',
    );
  }
  if (input.name !== undefined) assertCaName(input.name);
  const fields = {
    name: input.name ?? null,
    description: input.description === undefined ? null : parseDescription(input.description),
    status: input.status ?? 'active',
    jitp: input.jitp && hasJitpInput(input.jitp) ? applyJitpInput(null, input.jitp, input.organizationId) : null,
  };
  const record = { action: 'ca_certificate.create', organization_id: organizationPrn(input.organizationId), subject: null };
  return auditedAttempt(ctx, record, async () => {
    if (fields.name !== null) await ctx.store.read((tx) => assertNameFree(tx, input.organizationId, fields.name!));
    const ca = parseCertificate(input.certificate.bytes, input.certificate.label);
    const verification = input.verificationCertificate && parseCertificate(input.verificationCertificate.bytes, input.verificationCertificate.label);
    const code = verification && singleCommonName(verification, input.verificationCertificate!.label);
    const now = ctx.clock.now();
    checkCaCertificate(ca, now);
    if (!verification) {
      const proof: Proof = input.verified ? { kind: 'verified_on_upload' } : { kind: 'none' };
      return insertCheckedCaCertificate(ctx, input.organizationId, ca, fields, proof);
    }
    checkVerificationCertificate(verification, ca, now);
    const consumed = await consumeVerificationCode(ctx, input.organizationId, code!, "the verification certificate's CN");
    try {
      if (consumed.certificate_id !== null) throw await boundElsewhere(ctx, input.organizationId, consumed.certificate_id);
      return await insertCheckedCaCertificate(ctx, input.organizationId, ca, fields, { kind: 'verification_certificate', codeId: consumed.id });
    } catch (error) {
      throw noteConsumedCode(error);
    }
  });
}

/** The error for a code issued for one registered CA (Azure flow) presented to register another. */
async function boundElsewhere(ctx: CoreContext, organizationId: string, certificateId: string): Promise<VerificationError> {
  const bound = await ctx.store.read((tx) => tx.findCaCertificateById(organizationId, certificateId));
  const label = bound ? caCertificateLabel(bound) : undefined;
  return new VerificationError(
    'verification_failed',
    `the verification certificate's CN is a code bound to ${label ? `CA certificate ${label}` : 'a deleted CA certificate'}, not to a new one`,
    { kind: 'verify_with_bound_code', ca: label },
  );
}
