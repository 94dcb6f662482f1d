import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { issueBoundVerificationCode } from '../../src/core/ca-certificates/bind-code.js';
import { getCaCertificate, listCaCertificates } from '../../src/core/ca-certificates/query.js';
import { registerCaCertificate, type RegisterCaCertificateInput } from '../../src/core/ca-certificates/register.js';
import { createOrganization } from '../../src/core/organizations.js';
import { issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import { certificate, ext, name, newTestKey, reencodeSignature, selfSignedCa, testKey, v1Certificate, type TestCertificate } from '../helpers/mini-ca.js';
import { testStore, type TestStore } from '../helpers/store.js';

const CONSUMED = ' (the verification code was consumed by this attempt)';

function register(
  t: TestStore,
  ca: TestCertificate,
  verification?: TestCertificate | Buffer,
  extra: Partial<RegisterCaCertificateInput> = {},
): ReturnType<typeof registerCaCertificate> {
  return registerCaCertificate(t.ctx, {
    organizationId: t.organizationId,
    certificate: { bytes: Buffer.from(ca.pem), label: 'CA certificate ca.pem' },
    verificationCertificate: verification && {
      bytes: Buffer.isBuffer(verification) ? verification : Buffer.from(verification.pem),
      label: 'verification certificate verification.pem',
    },
    ...extra,
  });
}

async function newCode(t: TestStore, organizationId = t.organizationId): Promise<string> {
  return (await issueVerificationCode(t.ctx, { organizationId })).code;
}

async function codeStatuses(t: TestStore): Promise<string[]> {
  return (await listVerificationCodes(t.ctx, { organizationId: t.organizationId })).items.map((c) => c.status);
}

async function caCount(t: TestStore): Promise<number> {
  return (await listCaCertificates(t.ctx, { organizationId: t.organizationId })).items.length;
}

describe('registerCaCertificate: Peridio / AWS flow', () => {
  it('registers a CA proved by a v1 verification certificate (openssl x509 -req) and consumes the code', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root', key: testKey('ec-p256') });
    const code = await newCode(t);
    const registered = await register(t, root, v1Certificate(root, { subject: code, key: newTestKey('ec-p256') }), { name: 'root-1', description: 'lab' });
    expect(registered).toMatchObject({
      name: 'root-1',
      subject: 'CN=Test Root',
      issuer: 'CN=Test Root',
      fingerprint_sha256: createHash('sha256').update(root.der).digest('hex'),
      not_before: '2024-06-01T00:00:00Z',
      not_after: '2026-06-01T00:00:00Z',
      is_verified: true,
      status: 'active',
      description: 'lab',
      jitp: null,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    });
    expect(registered.prn).toMatch(new RegExp(`^prn:1:${t.organizationId}:ca_certificate:[0-9a-f-]{36}$`));
    expect(registered.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(await codeStatuses(t)).toEqual(['consumed']);
    const events = (await listAudit(t.ctx)).filter((e) => e.action !== 'organization.create').map((e) => [e.action, e.outcome, e.subject, e.details]);
    expect(events).toEqual([
      ['verification_code.create', 'success', expect.any(String), expect.any(Object)],
      ['verification_code.consume', 'success', expect.stringContaining(':ca_verification_code:'), {}],
      [
        'ca_certificate.create',
        'success',
        registered.prn,
        {
          name: 'root-1',
          fingerprint_sha256: registered.fingerprint_sha256,
          proof: 'verification_certificate',
          verification_code: events[1]![2],
          status: 'active',
        },
      ],
    ]);
  });

  it.each(['rsa-2048', 'ec-p384', 'ed25519'] as const)('accepts a %s CA and verification key', async (type) => {
    const t = await testStore();
    const root = selfSignedCa({ subject: `Root ${type}`, key: testKey(type) });
    expect((await register(t, root, v1Certificate(root, { subject: await newCode(t), key: testKey(type) }))).is_verified).toBe(true);
  });

  it('stores JITP settings and the inactive status given at registration', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Jitp Root' });
    const registered = await register(t, root, v1Certificate(root, { subject: await newCode(t) }), {
      status: 'inactive',
      jitp: { description: 'factory', tags: ['a', 'b'], productName: 'gateway', target: 'arm64' },
    });
    expect(registered).toMatchObject({
      status: 'inactive',
      jitp: { description: 'factory', tags: ['a', 'b'], product_name: 'gateway', target: 'arm64', cohort_prn: null },
    });
  });
});

describe('registerCaCertificate: failures before the code is consumed', () => {
  it('leaves the code untouched when a file is not one certificate or the CN is not single', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root' });
    const code = await newCode(t);
    const good = v1Certificate(root, { subject: code });
    const twoCns = certificate({
      issuer: root,
      version: 1,
      subject: name([
        ['2.5.4.3', code],
        ['2.5.4.3', code],
      ]),
    });
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      [
        'random CA bytes',
        () =>
          registerCaCertificate(t.ctx, {
            organizationId: t.organizationId,
            certificate: { bytes: Buffer.from('not a certificate at all'), label: 'CA certificate ca.pem' },
            verificationCertificate: { bytes: Buffer.from(good.pem), label: 'v' },
          }),
        'CA certificate ca.pem is not a valid certificate',
      ],
      [
        'a bundle as the verification certificate',
        () => register(t, root, Buffer.from(good.pem + good.pem)),
        'verification certificate verification.pem is not a valid certificate: it holds 2 certificates where one is expected',
      ],
      [
        'two CN attributes',
        () => register(t, root, twoCns),
        'verification certificate verification.pem must have exactly one CN attribute in its subject, found 2',
      ],
    ];
    for (const [what, attempt, message] of cases) {
      await expect(attempt(), what).rejects.toThrow(expect.objectContaining({ code: 'invalid_certificate', message: expect.stringContaining(message) }));
    }
    expect(await codeStatuses(t)).toEqual(['active']);
    expect(await caCount(t)).toBe(0);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.create' })).map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', 'invalid_certificate'],
      ['failure', 'invalid_certificate'],
      ['failure', 'invalid_certificate'],
    ]);
  });

  it('refuses a taken name before consuming, and -v with --verified', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root' });
    await register(t, root, undefined, { name: 'taken', verified: true });
    const code = await newCode(t);
    const other = selfSignedCa({ subject: 'Other Root' });
    await expect(register(t, other, v1Certificate(other, { subject: code }), { name: 'taken' })).rejects.toThrow(
      expect.objectContaining({ code: 'already_registered', message: 'a CA certificate named taken already exists in this organization' }),
    );
    await expect(register(t, other, v1Certificate(other, { subject: code }), { verified: true })).rejects.toThrow(expect.objectContaining({ code: 'usage' }));
    await expect(register(t, other, undefined, { name: 'bad name!' })).rejects.toThrow(
      expect.objectContaining({ code: 'usage', message: expect.stringContaining('invalid CA certificate name "bad name!"') }),
    );
    expect(await codeStatuses(t)).toEqual(['active']);
  });

  it("gives distinct errors for an unknown, another organization's, a used and an expired code", async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root' });
    const other = (await createOrganization(t.ctx, 'other')).prn.slice('prn:1:'.length);
    const foreign = await newCode(t, other);
    await expect(register(t, root, v1Certificate(root, { subject: foreign }))).rejects.toThrow(
      expect.objectContaining({ code: 'unknown_code', message: "the verification certificate's CN does not match any verification code of this organization" }),
    );
    await expect(register(t, root, v1Certificate(root, { subject: 'A'.repeat(32) }))).rejects.toThrow(expect.objectContaining({ code: 'unknown_code' }));
    const expiring = await newCode(t);
    t.clock.advance(86_400_000);
    await expect(register(t, root, v1Certificate(root, { subject: expiring }))).rejects.toThrow(expect.objectContaining({ code: 'code_expired' }));
    const used = await newCode(t);
    await register(t, root, v1Certificate(root, { subject: used }));
    await expect(register(t, root, v1Certificate(root, { subject: used }))).rejects.toThrow(expect.objectContaining({ code: 'code_used' }));
    expect(await caCount(t)).toBe(1);
  });
});

describe('registerCaCertificate: certificate checks, then the code, then the store', () => {
  async function attempt(
    t: TestStore,
    ca: TestCertificate,
    signer: TestCertificate = ca,
    options: Parameters<typeof v1Certificate>[1] = {},
  ): Promise<() => Promise<unknown>> {
    const code = await newCode(t);
    const verification = v1Certificate(signer, { subject: code, ...options });
    return () => register(t, ca, verification);
  }

  it('leaves the code live when a certificate check fails: those checks need no code', async () => {
    const t = await testStore();
    const notCa = certificate({ subject: 'Not A CA', extensions: [ext.basicConstraints(false)] });
    const root = selfSignedCa({ subject: 'Test Root', key: testKey('ec-p256') });
    const impostor = selfSignedCa({ subject: 'Test Root', key: newTestKey('ec-p256') });
    const cases: Array<[string, () => Promise<unknown>, string, string]> = [
      ['CA without cA=TRUE', await attempt(t, notCa), 'invalid_certificate', 'CA certificate '],
      [
        'signed by another key with the same subject',
        await attempt(t, root, impostor),
        'verification_failed',
        "verification certificate is not signed by the CA's key",
      ],
      [
        'issued by another CA',
        await attempt(t, root, selfSignedCa({ subject: 'Someone Else' })),
        'verification_failed',
        'verification certificate was not issued by this CA',
      ],
      [
        'expired verification certificate',
        await attempt(t, root, root, { notAfter: '2024-12-31T23:59:59Z' }),
        'certificate_expired',
        'verification certificate ',
      ],
    ];
    for (const [what, run, code, message] of cases) {
      let thrown: { code?: string; message?: string; hint?: string } | undefined;
      try {
        await run();
      } catch (error) {
        thrown = error as typeof thrown;
      }
      expect(thrown, what).toMatchObject({ code, message: expect.stringContaining(message) });
      expect(thrown?.message, what).not.toContain('consumed');
      expect(thrown?.hint ?? '', what).not.toMatch(/request a new code/);
    }
    expect(await codeStatuses(t)).toEqual(['active', 'active', 'active', 'active']);
    expect(await caCount(t)).toBe(0);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.create' })).map((e) => e.reason)).toEqual([
      'invalid_certificate',
      'verification_failed',
      'verification_failed',
      'certificate_expired',
    ]);
    expect(await listAudit(t.ctx, { action: 'verification_code.consume' })).toEqual([]);
  });

  it('leaves the code live for the right CA after a wrong signer: the retry registers', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root', key: testKey('ec-p256') });
    const code = await newCode(t);
    await expect(register(t, root, v1Certificate(selfSignedCa({ subject: 'Someone Else' }), { subject: code }))).rejects.toThrow(
      expect.objectContaining({ code: 'verification_failed' }),
    );
    expect((await register(t, root, v1Certificate(root, { subject: code }))).is_verified).toBe(true);
    expect(await codeStatuses(t)).toEqual(['consumed']);
  });

  it.each(['non-minimal-length', 'extra-leading-zero-r', 'extra-leading-zero-s', 'trailing-bytes'] as const)(
    'refuses a verification certificate whose ECDSA signature is re-encoded (%s)',
    async (how) => {
      const t = await testStore();
      const root = selfSignedCa({ subject: 'Strict Root', key: testKey('ec-p256') });
      const mangled = reencodeSignature(v1Certificate(root, { subject: await newCode(t) }), how);
      await expect(register(t, root, mangled)).rejects.toThrow(
        expect.objectContaining({ code: 'verification_failed', message: "verification certificate is not signed by the CA's key" }),
      );
      expect(await caCount(t)).toBe(0);
    },
  );

  it('refuses a verification certificate whose Ed25519 signature has a byte appended', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Strict Ed Root', key: testKey('ed25519') });
    const mangled = reencodeSignature(v1Certificate(root, { subject: await newCode(t) }), 'appended-byte');
    await expect(register(t, root, mangled)).rejects.toThrow(
      expect.objectContaining({ code: 'verification_failed', message: "verification certificate is not signed by the CA's key" }),
    );
    expect(await caCount(t)).toBe(0);
  });

  it("accepts validity bounds inclusively: the verification certificate's last second still counts", async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Edge Root' });
    expect((await register(t, root, v1Certificate(root, { subject: await newCode(t), notAfter: '2025-01-01T00:00:00Z' }))).is_verified).toBe(true);
  });

  it('refuses the same certificate twice, naming the existing PRN', async () => {
    const t = await testStore();
    const root = selfSignedCa({ subject: 'Test Root' });
    const first = await register(t, root, v1Certificate(root, { subject: await newCode(t) }));
    await expect((await attempt(t, root))()).rejects.toThrow(
      expect.objectContaining({
        code: 'already_registered',
        message: `this CA certificate is already registered in this organization as ${first.prn}${CONSUMED}`,
      }),
    );
    expect(await codeStatuses(t)).toEqual(['consumed', 'consumed']);
  });

  it('allows 10 CAs with one subject per organization, and refuses the 11th', async () => {
    const t = await testStore();
    for (let i = 0; i < 10; i += 1) await register(t, selfSignedCa({ subject: 'Busy Root', serial: Buffer.from([0x40, i]) }), undefined, { verified: true });
    const eleventh = selfSignedCa({ subject: 'Busy Root', serial: Buffer.from([0x40, 99]) });
    await expect((await attempt(t, eleventh))()).rejects.toThrow(
      expect.objectContaining({ code: 'limit_exceeded', message: `the organization already has 10 CA certificates with the subject CN=Busy Root${CONSUMED}` }),
    );
    const other = (await createOrganization(t.ctx, 'other')).prn.slice('prn:1:'.length);
    expect((await registerCaCertificate(t.ctx, { organizationId: other, certificate: { bytes: eleventh.der, label: 'ca' }, verified: true })).is_verified).toBe(
      true,
    );
  });

  it('refuses a code bound to a registered CA', async () => {
    const t = await testStore();
    const pending = selfSignedCa({ subject: 'Pending Root' });
    await register(t, pending, undefined, { name: 'pending' });
    const bound = (await issueBoundVerificationCode(t.ctx, { organizationId: t.organizationId, certificate: 'pending' }, {})).code;
    const root = selfSignedCa({ subject: 'Test Root' });
    await expect(register(t, root, v1Certificate(root, { subject: bound }))).rejects.toThrow(
      expect.objectContaining({
        code: 'verification_failed',
        message: `the verification certificate's CN is a code bound to CA certificate pending, not to a new one${CONSUMED}`,
      }),
    );
  });
});

describe('registerCaCertificate: without proof', () => {
  it('registers unverified (Azure flow) or verified on upload, auditing which', async () => {
    const t = await testStore();
    const pending = await register(t, selfSignedCa({ subject: 'Pending Root' }), undefined, { name: 'pending' });
    const trusted = await register(t, selfSignedCa({ subject: 'Trusted Root' }), undefined, { verified: true });
    expect([pending.is_verified, trusted.is_verified]).toEqual([false, true]);
    expect((await listAudit(t.ctx, { action: 'ca_certificate.create' })).map((e) => e.details.proof)).toEqual(['none', 'verified_on_upload']);
    expect(await getCaCertificate(t.ctx, t.organizationId, 'pending')).toEqual(pending);
  });

  it('still checks the CA: an expired one is refused with certificate_expired', async () => {
    const t = await testStore({ at: '2026-06-01T00:00:01Z' });
    await expect(register(t, selfSignedCa({ subject: 'Old Root' }), undefined, { verified: true })).rejects.toThrow(
      expect.objectContaining({ code: 'certificate_expired' }),
    );
    expect(await caCount(t)).toBe(0);
  });
});
