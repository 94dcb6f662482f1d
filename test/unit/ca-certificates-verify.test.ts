import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { issueBoundVerificationCode } from '../../src/core/ca-certificates/bind-code.js';
import { getCaCertificate } from '../../src/core/ca-certificates/query.js';
import { registerCaCertificate } from '../../src/core/ca-certificates/register.js';
import { updateCaCertificate } from '../../src/core/ca-certificates/update.js';
import { verifyCaCertificate } from '../../src/core/ca-certificates/verify.js';
import { issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import { newTestKey, selfSignedCa, v1Certificate, type TestCertificate } from '../helpers/mini-ca.js';
import { testStore, type TestStore } from '../helpers/store.js';

const CONSUMED = ' (the verification code was consumed by this attempt)';

/** An unverified CA named `pending`, as the Azure flow's first step leaves it. */
async function pendingCa(t: TestStore): Promise<{ root: TestCertificate; etag: string; prn: string }> {
  const root = selfSignedCa({ subject: 'Azure Root' });
  const registered = await registerCaCertificate(t.ctx, {
    organizationId: t.organizationId,
    certificate: { bytes: root.der, label: 'CA certificate ca.der' },
    name: 'pending',
  });
  return { root, etag: registered.etag, prn: registered.prn };
}

async function bound(t: TestStore, ifMatch?: string): Promise<string> {
  return (await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending', ifMatch }, {})).code;
}

function verify(t: TestStore, verification: TestCertificate, ifMatch?: string): ReturnType<typeof verifyCaCertificate> {
  return verifyCaCertificate(t.ctx, {
    organizationId: t.organizationId,
    certificate: 'pending',
    ifMatch,
    verificationCertificate: { bytes: Buffer.from(verification.pem), label: 'verification certificate pop.pem' },
  });
}

async function codeStatuses(t: TestStore): Promise<string[]> {
  return (await listVerificationCodes(t.ctx, { organizationId: t.organizationId })).items.map((c) => c.status);
}

describe('verifyCaCertificate (Azure flow)', () => {
  it('marks the CA verified with a code bound to it, gives it a new etag, audits it', async () => {
    const t = await testStore();
    const { root, etag, prn } = await pendingCa(t);
    const issued = await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending', ifMatch: etag }, {});
    expect(issued.certificate_etag).toMatch(/^[0-9a-f]{16}$/);
    expect(issued.certificate_etag).not.toBe(etag);
    expect((await getCaCertificate(t.ctx, t.organizationId, prn)).etag).toBe(issued.certificate_etag);
    t.clock.advance(5_000);
    await expect(verify(t, v1Certificate(root, { subject: issued.code }), etag)).rejects.toThrow(expect.objectContaining({ code: 'etag_mismatch' }));
    const verified = await verify(t, v1Certificate(root, { subject: issued.code, key: newTestKey('ec-p256') }), issued.certificate_etag!);
    expect(verified).toMatchObject({ prn, is_verified: true, updated_at: '2025-01-01T00:00:05Z', created_at: '2025-01-01T00:00:00Z' });
    expect(verified.etag).not.toBe(etag);
    expect(await getCaCertificate(t.ctx, t.organizationId, prn)).toEqual(verified);
    expect(await codeStatuses(t)).toEqual(['consumed']);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.verify' })).map((e) => [e.outcome, e.reason, e.details.proof])).toEqual([
      ['failure', 'etag_mismatch', undefined],
      ['success', null, 'verification_certificate'],
    ]);
  });

  it('refuses a stale --if-match, an unknown CA and an already verified CA before touching the code', async () => {
    const t = await testStore();
    const { root, etag } = await pendingCa(t);
    const code = await bound(t);
    const pop = v1Certificate(root, { subject: code });
    await updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'pending', description: 'changed' });
    await expect(verify(t, pop, etag)).rejects.toThrow(
      expect.objectContaining({ code: 'etag_mismatch', message: `CA certificate pending has changed: its etag is no longer ${etag}` }),
    );
    await expect(
      verifyCaCertificate(t.ctx, {
        organizationId: t.organizationId,
        certificate: 'missing',
        verificationCertificate: { bytes: Buffer.from(pop.pem), label: 'v' },
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(await codeStatuses(t)).toEqual(['active']);
    await verify(t, pop);
    const second = v1Certificate(root, { subject: (await issueVerificationCode(t.ctx, { organizationId: t.organizationId })).code });
    await expect(verify(t, second)).rejects.toThrow(
      expect.objectContaining({ code: 'already_registered', message: 'CA certificate pending is already verified' }),
    );
    expect(await codeStatuses(t)).toEqual(['active', 'consumed']);
  });

  it('needs a code bound to this CA: an unbound code is consumed and refused', async () => {
    const t = await testStore();
    const { root } = await pendingCa(t);
    const unbound = (await issueVerificationCode(t.ctx, { organizationId: t.organizationId })).code;
    await expect(verify(t, v1Certificate(root, { subject: unbound }))).rejects.toThrow(
      expect.objectContaining({
        code: 'verification_failed',
        message: `the verification certificate's CN is not a code bound to CA certificate pending${CONSUMED}`,
        next: { kind: 'sign_with_new_verification_code', ca: 'pending' },
      }),
    );
    expect(await codeStatuses(t)).toEqual(['consumed']);
    expect((await getCaCertificate(t.ctx, t.organizationId, 'pending')).is_verified).toBe(false);
  });

  it('refuses a verification certificate signed by another key, leaving the CA unverified and the code live', async () => {
    const t = await testStore();
    const { root } = await pendingCa(t);
    const impostor = selfSignedCa({ subject: 'Azure Root', key: newTestKey('ec-p256') });
    const code = await bound(t);
    await expect(verify(t, v1Certificate(impostor, { subject: code }))).rejects.toThrow(
      expect.objectContaining({ code: 'verification_failed', message: "verification certificate is not signed by the CA's key" }),
    );
    expect((await getCaCertificate(t.ctx, t.organizationId, 'pending')).is_verified).toBe(false);
    expect(await codeStatuses(t)).toEqual(['active']);
    expect((await verify(t, v1Certificate(root, { subject: code }))).is_verified).toBe(true);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.verify' })).map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'verification_failed'],
      ['success', null],
    ]);
  });

  it('keeps one live code per CA: a new bound code supersedes the earlier one, audited', async () => {
    const t = await testStore();
    const { root } = await pendingCa(t);
    const first = await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending' }, {});
    t.clock.advance(60_000);
    const second = await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending' }, {});
    expect(await codeStatuses(t)).toEqual(['active', 'expired']);
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId })).items[1]).toMatchObject({
      id: first.id,
      expires_at: '2025-01-01T00:01:00Z',
    });
    expect((await listAudit(t.ctx, { action: 'verification_code.supersede' })).map((e) => [e.subject, e.outcome, e.reason, e.details])).toEqual([
      [first.id, 'success', 'superseded', { superseded_by: second.id, certificate_prn: second.certificate_prn, expires_at: '2025-01-01T00:01:00Z' }],
    ]);
    await expect(verify(t, v1Certificate(root, { subject: first.code }))).rejects.toThrow(
      expect.objectContaining({
        code: 'code_expired',
        message: 'the verification code was superseded at 2025-01-01T00:01:00Z by a newer code for the same CA certificate: a CA has one live code',
        next: { kind: 'use_newest_verification_code', otherwise: { kind: 'issue_new_verification_code', ca: 'pending' } },
      }),
    );
    expect((await listAudit(t.ctx, { action: 'verification_code.consume' })).map((e) => [e.subject, e.reason])).toEqual([[first.id, 'code_superseded']]);
    expect((await verify(t, v1Certificate(root, { subject: second.code }))).is_verified).toBe(true);
  });

  it('tells a used bound code to ask for a code bound to its CA again, or that its CA is verified', async () => {
    const t = await testStore();
    const { root } = await pendingCa(t);
    const other = selfSignedCa({ subject: 'Other Root' });
    await registerCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: { bytes: other.der, label: 'ca' }, name: 'other' });
    const code = await bound(t);
    const forOther = {
      organizationId: t.organizationId,
      certificate: 'other',
      verificationCertificate: { bytes: Buffer.from(v1Certificate(other, { subject: code }).pem), label: 'v' },
    };
    await expect(verifyCaCertificate(t.ctx, forOther)).rejects.toThrow(expect.objectContaining({ code: 'verification_failed' }));
    await expect(verify(t, v1Certificate(root, { subject: code }))).rejects.toThrow(
      expect.objectContaining({
        code: 'code_used',
        next: { kind: 'issue_new_verification_code', ca: 'pending' },
      }),
    );
    const second = await bound(t);
    await verify(t, v1Certificate(root, { subject: second }));
    await expect(
      registerCaCertificate(t.ctx, {
        organizationId: t.organizationId,
        certificate: { bytes: other.der, label: 'ca' },
        verificationCertificate: { bytes: Buffer.from(v1Certificate(other, { subject: second }).pem), label: 'v' },
      }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'code_used',
        next: { kind: 'ca_certificate_already_verified', ca: 'pending' },
      }),
    );
  });
});
