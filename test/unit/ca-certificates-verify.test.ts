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
function pendingCa(t: TestStore): { root: TestCertificate; etag: string; prn: string } {
  const root = selfSignedCa({ subject: 'Azure Root' });
  const registered = registerCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: { bytes: root.der, label: 'CA certificate ca.der' }, name: 'pending' });
  return { root, etag: registered.etag, prn: registered.prn };
}

function bound(t: TestStore, ifMatch?: string): string {
  return issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending', ifMatch }, {}).code;
}

function verify(t: TestStore, verification: TestCertificate, ifMatch?: string): ReturnType<typeof verifyCaCertificate> {
  return verifyCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'pending', ifMatch, verificationCertificate: { bytes: Buffer.from(verification.pem), label: 'verification certificate pop.pem' } });
}

function codeStatuses(t: TestStore): string[] {
  return listVerificationCodes(t.ctx, { organizationId: t.organizationId }).items.map((c) => c.status);
}

describe('verifyCaCertificate (Azure flow)', () => {
  it('marks the CA verified with a code bound to it, gives it a new etag, audits it', () => {
    const t = testStore();
    const { root, etag, prn } = pendingCa(t);
    const code = bound(t, etag);
    t.clock.advance(5_000);
    const verified = verify(t, v1Certificate(root, { subject: code, key: newTestKey('ec-p256') }), etag);
    expect(verified).toMatchObject({ prn, is_verified: true, updated_at: '2025-01-01T00:00:05Z', created_at: '2025-01-01T00:00:00Z' });
    expect(verified.etag).not.toBe(etag);
    expect(getCaCertificate(t.ctx, t.organizationId, prn)).toEqual(verified);
    expect(codeStatuses(t)).toEqual(['consumed']);
    expect(listAudit(t.ctx, { action: 'ca_certificate.verify' }).map((e) => [e.outcome, e.subject, e.details.proof])).toEqual([['success', prn, 'verification_certificate']]);
  });

  it('refuses a stale --if-match, an unknown CA and an already verified CA before touching the code', () => {
    const t = testStore();
    const { root, etag } = pendingCa(t);
    const code = bound(t);
    const pop = v1Certificate(root, { subject: code });
    updateCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'pending', description: 'changed' });
    expect(() => verify(t, pop, etag)).toThrow(expect.objectContaining({ code: 'etag_mismatch', message: `CA certificate pending has changed: its etag is no longer ${etag}` }));
    expect(() => verifyCaCertificate(t.ctx, { organizationId: t.organizationId, certificate: 'missing', verificationCertificate: { bytes: Buffer.from(pop.pem), label: 'v' } })).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(codeStatuses(t)).toEqual(['active']);
    verify(t, pop);
    const second = v1Certificate(root, { subject: issueVerificationCode(t.ctx, { organizationId: t.organizationId }).code });
    expect(() => verify(t, second)).toThrow(expect.objectContaining({ code: 'already_registered', message: 'CA certificate pending is already verified' }));
    expect(codeStatuses(t)).toEqual(['active', 'consumed']);
  });

  it('needs a code bound to this CA: an unbound code is consumed and refused', () => {
    const t = testStore();
    const { root } = pendingCa(t);
    const unbound = issueVerificationCode(t.ctx, { organizationId: t.organizationId }).code;
    expect(() => verify(t, v1Certificate(root, { subject: unbound }))).toThrow(expect.objectContaining({
      code: 'verification_failed',
      message: `the verification certificate's CN is not a code bound to CA certificate pending${CONSUMED}`,
      hint: 'request a new code with: {command} ca-certificates verification-codes create --certificate pending, and sign a new verification certificate with it',
    }));
    expect(codeStatuses(t)).toEqual(['consumed']);
    expect(getCaCertificate(t.ctx, t.organizationId, 'pending').is_verified).toBe(false);
  });

  it('refuses a verification certificate signed by another key, leaving the CA unverified and the code spent', () => {
    const t = testStore();
    pendingCa(t);
    const impostor = selfSignedCa({ subject: 'Azure Root', key: newTestKey('ec-p256') });
    expect(() => verify(t, v1Certificate(impostor, { subject: bound(t) }))).toThrow(expect.objectContaining({ code: 'verification_failed', message: `verification certificate is not signed by the CA's key${CONSUMED}` }));
    expect(getCaCertificate(t.ctx, t.organizationId, 'pending').is_verified).toBe(false);
    expect(codeStatuses(t)).toEqual(['consumed']);
    expect(listAudit(t.ctx, { action: 'ca_certificate.verify' }).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'verification_failed']]);
  });
});
