/**
 * The last step of a registration: in one write transaction, refuse a duplicate
 * (same SHA-256 fingerprint in the organization), a taken name, or an 11th CA with
 * the same subject, then insert the record and its audit event.
 */
import { recordEvent } from '../audit.js';
import type { CoreContext } from '../context.js';
import { ConflictError } from '../errors.js';
import { randomUuid } from '../ports.js';
import { organizationPrn, resourcePrn } from '../prn.js';
import type { CaCertificateRow } from '../records.js';
import type { StoreReader } from '../store-port.js';
import { nowWholeSeconds } from '../time.js';
import { subjectDer, summarizeCertificate } from '../x509/describe.js';
import type { ParsedCertificate } from '../x509/parse.js';
import { caCertificatePrn, toCaCertificate, type CaCertificate, type CaCertificateStatus } from './ca-certificate.js';
import { newEtag } from './etag.js';
import { storedJitp, type Jitp } from './jitp.js';

/** At most this many CAs with one subject per organization (as AWS IoT allows). */
export const MAX_CAS_PER_SUBJECT = 10;

/** How possession of the CA's key was established. */
export type Proof = { kind: 'verification_certificate'; codeId: string } | { kind: 'verified_on_upload' } | { kind: 'none' };

/** The user-chosen fields of a new record. */
export interface NewCaFields {
  name: string | null;
  description: string | null;
  status: CaCertificateStatus;
  jitp: Jitp | null;
}

/**
 * Inserts a CA that passed its checks.
 * @throws ConflictError `already_registered` (duplicate certificate, naming the
 * existing PRN, or a taken name) or `limit_exceeded` (10 CAs with this subject).
 */
export async function insertCheckedCaCertificate(
  ctx: CoreContext,
  organizationId: string,
  ca: ParsedCertificate,
  fields: NewCaFields,
  proof: Proof,
): Promise<CaCertificate> {
  const summary = summarizeCertificate(ca);
  const subject = subjectDer(ca);
  return ctx.store.write(async (tx) => {
    const duplicate = await tx.findCaCertificateByFingerprint(organizationId, summary.fingerprint_sha256);
    if (duplicate) {
      const prn = caCertificatePrn(duplicate);
      throw new ConflictError('already_registered', `this CA certificate is already registered in this organization as ${prn}`, {
        kind: 'show_ca_certificate',
        ca: duplicate.name ?? prn,
      });
    }
    if (fields.name !== null) await assertNameFree(tx, organizationId, fields.name);
    if ((await tx.countCaCertificatesWithSubject(organizationId, Buffer.from(subject))) >= MAX_CAS_PER_SUBJECT) {
      throw new ConflictError('limit_exceeded', `the organization already has ${MAX_CAS_PER_SUBJECT} CA certificates with the subject ${summary.subject}`, {
        kind: 'delete_unused_ca_certificate',
      });
    }
    const now = nowWholeSeconds(ctx.clock);
    const row: Omit<CaCertificateRow, 'seq'> = {
      id: randomUuid(ctx.random),
      organization_id: organizationId,
      name: fields.name,
      der: Buffer.from(ca.der),
      fingerprint_sha256: summary.fingerprint_sha256,
      subject_der: Buffer.from(subject),
      subject: summary.subject,
      issuer: summary.issuer,
      serial: summary.serial,
      not_before: summary.not_before,
      not_after: summary.not_after,
      is_verified: proof.kind === 'none' ? 0 : 1,
      status: fields.status,
      etag: newEtag(ctx.random),
      description: fields.description,
      jitp: storedJitp(fields.jitp),
      created_at: now,
      updated_at: now,
    };
    await tx.insertCaCertificate(row);
    await recordEvent(ctx, tx, {
      action: 'ca_certificate.create',
      organization_id: organizationPrn(organizationId),
      subject: caCertificatePrn(row),
      outcome: 'success',
      reason: null,
      details: {
        name: row.name,
        fingerprint_sha256: row.fingerprint_sha256,
        proof: proof.kind,
        verification_code: proof.kind === 'verification_certificate' ? resourcePrn(organizationId, 'ca_verification_code', proof.codeId) : null,
        status: row.status,
      },
    });
    return toCaCertificate({ ...row, seq: 0 });
  });
}

/** @throws ConflictError (`already_registered`) when the organization already has a CA named `name`. */
export async function assertNameFree(tx: StoreReader, organizationId: string, name: string): Promise<void> {
  if (await tx.findCaCertificateByName(organizationId, name)) {
    throw new ConflictError('already_registered', `a CA certificate named ${name} already exists in this organization`, {
      kind: 'choose_another_ca_name',
      name,
    });
  }
}
