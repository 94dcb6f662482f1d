import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { hmacCode } from '../../src/core/codes/hashing.js';
import { createOrganization } from '../../src/core/organizations.js';
import { consumeVerificationCode, getVerificationCode, issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import { existingHmacSecret } from '../../src/store/meta.js';
import { testStore } from '../helpers/store.js';

const HOUR = 3_600_000;

describe('issueVerificationCode', () => {
  it('takes the organization as a PRN too, and answers not_found for an unknown one', async () => {
    const t = await testStore();
    expect((await issueVerificationCode(t.ctx, { organizationId: `prn:1:${t.organizationId}` })).organization_id).toBe(`prn:1:${t.organizationId}`);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const organizationId of [unknown, `prn:1:${unknown}`]) {
      await expect(issueVerificationCode(t.ctx, { organizationId })).rejects.toThrow(
        expect.objectContaining({ code: 'not_found', message: `organization prn:1:${unknown} not found` }),
      );
    }
    await expect(issueVerificationCode(t.ctx, { organizationId: 'prn:1:nope' })).rejects.toThrow(expect.objectContaining({ code: 'usage' }));
  });

  it('returns the code once, with the JSON shape of the spec', async () => {
    const t = await testStore({ at: '2025-01-01T00:00:00.750Z' });
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    expect(issued).toEqual({
      id: expect.stringMatching(new RegExp(`^prn:1:${t.organizationId}:ca_verification_code:[0-9a-f-]{36}$`)),
      code: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      organization_id: `prn:1:${t.organizationId}`,
      certificate_prn: null,
      certificate_etag: null,
      created_at: '2025-01-01T00:00:00Z',
      expires_at: '2025-01-02T00:00:00Z',
      status: 'active',
    });
    expect(Object.keys(issued)).toEqual(['id', 'code', 'organization_id', 'certificate_prn', 'certificate_etag', 'created_at', 'expires_at', 'status']);
  });

  it('stores only the HMAC of the code, and audits without the code', async () => {
    const t = await testStore();
    const { code } = await issueVerificationCode(t.ctx, { organizationId: t.organizationId, length: 64, ttlMs: 300_000 });
    const rows = t.connection.db.prepare('SELECT * FROM verification_codes').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hmac).toEqual(hmacCode(existingHmacSecret(t.connection)!, code));
    expect(JSON.stringify(rows, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))).not.toContain(code);
    const [event] = await listAudit(t.ctx, { action: 'verification_code' });
    expect(event).toMatchObject({
      action: 'verification_code.create',
      outcome: 'success',
      details: { length: 64, expires_at: '2025-01-01T00:05:00Z', certificate_prn: null },
    });
    expect(JSON.stringify(await listAudit(t.ctx))).not.toContain(code);
  });

  it('refuses a TTL outside 5m..7d', async () => {
    const t = await testStore();
    await expect(issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: 299_999 })).rejects.toThrow(
      'verification code TTL must be from 5m to 7d',
    );
    await expect(issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: 604_800_001 })).rejects.toThrow(
      'verification code TTL must be from 5m to 7d',
    );
    expect(await listAudit(t.ctx)).toHaveLength(1);
  });
});

describe('status, list and get', () => {
  it('derives active, consumed and expired, with exclusive expiry', async () => {
    const t = await testStore();
    const a = await issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: HOUR });
    const b = await issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: 2 * HOUR });
    await consumeVerificationCode(t.ctx, t.organizationId, b.code, 'the CN');
    t.clock.advance(HOUR - 1);
    expect((await getVerificationCode(t.ctx, t.organizationId, a.id)).status).toBe('active');
    t.clock.advance(1);
    expect((await getVerificationCode(t.ctx, t.organizationId, a.id)).status).toBe('expired');
    expect(await getVerificationCode(t.ctx, t.organizationId, b.id)).toMatchObject({ status: 'consumed', consumed_at: '2025-01-01T00:00:00Z' });
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId, status: 'expired' })).items.map((c) => c.id)).toEqual([a.id]);
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId, status: 'consumed' })).items.map((c) => c.id)).toEqual([b.id]);
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId, status: 'active' })).items).toEqual([]);
  });

  it('pages newest first until next_page is null', async () => {
    const t = await testStore();
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.unshift((await issueVerificationCode(t.ctx, { organizationId: t.organizationId })).id);
    const first = await listVerificationCodes(t.ctx, { organizationId: t.organizationId, limit: 2 });
    const second = await listVerificationCodes(t.ctx, { organizationId: t.organizationId, limit: 2, page: first.next_page! });
    const third = await listVerificationCodes(t.ctx, { organizationId: t.organizationId, limit: 2, page: second.next_page! });
    expect([...first.items, ...second.items, ...third.items].map((c) => c.id)).toEqual(ids);
    expect(third.next_page).toBeNull();
    expect((await listVerificationCodes(t.ctx, { organizationId: t.organizationId, limit: 5 })).next_page).toBeNull();
  });

  it('rejects bad filters, limits and page tokens', async () => {
    const t = await testStore();
    const org = t.organizationId;
    await expect(listVerificationCodes(t.ctx, { organizationId: org, status: 'used' as never })).rejects.toThrow(
      'unknown status filter "used": expected one of active, consumed, expired, all',
    );
    await expect(listVerificationCodes(t.ctx, { organizationId: org, limit: 0 })).rejects.toThrow('page size 0 is not a whole number from 1 to 1000');
    await expect(listVerificationCodes(t.ctx, { organizationId: org, page: 'garbage' })).rejects.toThrow('invalid page token "garbage"');
  });

  it('keeps organizations apart', async () => {
    const t = await testStore();
    const other = (await createOrganization(t.ctx, 'other')).prn.slice(6);
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    expect((await listVerificationCodes(t.ctx, { organizationId: other })).items).toEqual([]);
    await expect(getVerificationCode(t.ctx, other, issued.id)).rejects.toThrowError(expect.objectContaining({ code: 'not_found' }));
    expect((await getVerificationCode(t.ctx, t.organizationId, issued.id.split(':').pop()!)).id).toBe(issued.id);
  });
});

describe('consumeVerificationCode', () => {
  it('consumes once; the second attempt is code_used', async () => {
    const t = await testStore();
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    expect(await consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'the CN')).toEqual({ id: issued.id.split(':').pop(), certificate_id: null });
    await expect(consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'the CN')).rejects.toThrowError(
      expect.objectContaining({
        code: 'code_used',
        message: 'the verification code was already used: each code is single-use, even when the registration failed',
        next: { kind: 'issue_new_verification_code' },
      }),
    );
    expect((await listAudit(t.ctx, { action: 'verification_code.consume' })).map((e) => [e.outcome, e.reason, e.subject])).toEqual([
      ['success', null, issued.id],
      ['failure', 'code_used', issued.id],
    ]);
  });

  it('is code_expired from the exact expiry instant on', async () => {
    const t = await testStore();
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: 300_000 });
    t.clock.advance(300_000);
    await expect(consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'the CN')).rejects.toThrowError(
      expect.objectContaining({
        code: 'code_expired',
        message: 'the verification code expired at 2025-01-01T00:05:00Z',
      }),
    );
    expect((await getVerificationCode(t.ctx, t.organizationId, issued.id)).status).toBe('expired');
  });

  it('still consumes one millisecond before expiry', async () => {
    const t = await testStore();
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId, ttlMs: 300_000 });
    t.clock.advance(299_999);
    expect((await consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'the CN')).id).toBeDefined();
  });

  it("calls an unknown code, another organization's code and a changed case unknown_code", async () => {
    const t = await testStore();
    const other = (await createOrganization(t.ctx, 'other')).prn.slice(6);
    const issued = await issueVerificationCode(t.ctx, { organizationId: other });
    const swapped = issued.code.replace(/[a-z]/, (c) => c.toUpperCase());
    for (const [org, code] of [
      [t.organizationId, issued.code],
      [other, swapped],
      [other, 'A'.repeat(32)],
    ] as const) {
      await expect(consumeVerificationCode(t.ctx, org, code, 'the CN')).rejects.toThrowError(
        expect.objectContaining({
          code: 'unknown_code',
          message: 'the CN does not match any verification code of this organization',
        }),
      );
    }
    expect((await getVerificationCode(t.ctx, other, issued.id)).status).toBe('active');
  });

  it('rejects a malformed code as invalid_format, audited, leaving codes alone', async () => {
    const t = await testStore();
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    await expect(consumeVerificationCode(t.ctx, t.organizationId, `${issued.code}\n`, 'the CN')).rejects.toThrowError(
      expect.objectContaining({ code: 'invalid_format' }),
    );
    expect((await getVerificationCode(t.ctx, t.organizationId, issued.id)).status).toBe('active');
    expect((await listAudit(t.ctx, { action: 'verification_code.consume' })).map((e) => e.reason)).toEqual(['invalid_format']);
  });

  it('answers unknown_code before any code was ever issued', async () => {
    const t = await testStore();
    await expect(consumeVerificationCode(t.ctx, t.organizationId, 'B'.repeat(40), 'the CN')).rejects.toThrowError(
      expect.objectContaining({ code: 'unknown_code' }),
    );
  });
});
