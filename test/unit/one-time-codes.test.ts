import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { createOrganization } from '../../src/core/organizations.js';
import {
  authorizeOneTimeCode,
  getOneTimeCode,
  invalidateOneTimeCodes,
  issueOneTimeCode,
  listOneTimeCodes,
  redeemOneTimeCode,
  type IssueOneTimeCodeInput,
} from '../../src/core/one-time-codes/index.js';
import { testStore, type TestStore } from '../helpers/store.js';

const USER = 'alice@example.com';
const PURPOSE = 'add_credential';

function issue(t: TestStore, input: Partial<IssueOneTimeCodeInput> = {}) {
  return issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', userId: USER, purpose: PURPOSE, authorize: true, ...input });
}

function present(t: TestStore, code: string, extra: { userId?: string; purpose?: string; type?: 'short' | 'long' | 'phrase' } = {}) {
  return { organizationId: t.organizationId, userId: USER, purpose: PURPOSE, code, ...extra };
}

/** The reasons of failed code events, in order. */
async function failureReasons(t: TestStore, action: string): Promise<Array<string | null>> {
  return (await listAudit(t.ctx, { action })).filter((e) => e.outcome === 'failure').map((e) => e.reason);
}

describe('issuing one-time codes', () => {
  it("returns exactly the documented fields, with the type's default TTL", async () => {
    const t = await testStore();
    const cases = [
      ['short', /^[0-9]{6}$/, '2025-01-01T00:03:00Z'],
      ['long', /^[A-Za-z0-9_-]{32}$/, '2025-01-01T01:00:00Z'],
      ['phrase', /^([a-z]+ ){11}[a-z]+$/, '2025-01-02T00:00:00Z'],
    ] as const;
    for (const [type, format, expiresAt] of cases) {
      const issued = await issue(t, { type, authorize: false });
      expect(Object.keys(issued)).toEqual(['id', 'type', 'code', 'user_id', 'purpose', 'is_authorized', 'created_at', 'expires_at']);
      expect(issued).toEqual({
        id: expect.stringMatching(new RegExp(`^prn:1:${t.organizationId}:code:[0-9a-f-]{36}$`)),
        type,
        code: expect.stringMatching(format),
        user_id: USER,
        purpose: PURPOSE,
        is_authorized: false,
        created_at: '2025-01-01T00:00:00Z',
        expires_at: expiresAt,
      });
    }
  });

  it.each([
    ['short', 60_000, 600_000],
    ['long', 300_000, 86_400_000],
    ['phrase', 3_600_000, 259_200_000],
  ] as const)('accepts %s TTLs from %i to %i ms and nothing outside', async (type, min, max) => {
    const t = await testStore();
    await expect(issue(t, { type, ttlMs: min })).resolves.toMatchObject({ type });
    await expect(issue(t, { type, ttlMs: max, userId: 'bob' })).resolves.toMatchObject({ type });
    for (const ttlMs of [min - 1000, max + 1000]) {
      await expect(issue(t, { type, ttlMs })).rejects.toMatchObject({
        code: 'usage',
        message: expect.stringMatching(new RegExp(`^a ${type} code's TTL must be from`)),
      });
    }
  });

  it.each([
    ['', 'user'],
    ['has space', 'user'],
    ['tab\there', 'user'],
    ['x'.repeat(129), 'user'],
    ['Add_Credential', 'purpose'],
    ['add-credential', 'purpose'],
    ['', 'purpose'],
    ['a'.repeat(65), 'purpose'],
  ])('rejects the %s %s with a usage error and stores nothing', async (value, field) => {
    const t = await testStore();
    const input = field === 'user' ? { userId: value } : { purpose: value };
    await expect(issue(t, input)).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringContaining(`invalid ${field === 'user' ? 'user id' : 'purpose'} ${JSON.stringify(value)}`),
    });
    expect((await listOneTimeCodes(t.ctx, { organizationId: t.organizationId })).items).toEqual([]);
  });

  it('allows at most 5 active short codes per user and purpose', async () => {
    const t = await testStore();
    for (let i = 0; i < 5; i += 1) await issue(t, { type: 'short' });
    await expect(issue(t, { type: 'short' })).rejects.toMatchObject({ code: 'limit_exceeded' });
    await expect(issue(t, { type: 'short', purpose: 'other' })).resolves.toMatchObject({ type: 'short' });
    t.clock.advance(180_000);
    await expect(issue(t, { type: 'short' })).resolves.toMatchObject({ type: 'short' });
  });
});

describe('redeeming one-time codes', () => {
  it.each(['short', 'long', 'phrase'] as const)('consumes an authorized %s code once', async (type) => {
    const t = await testStore();
    const { id, code } = await issue(t, { type });
    t.clock.advance(1000);
    const redeemed = await redeemOneTimeCode(t.ctx, present(t, `  ${code}\n`));
    expect(redeemed).toMatchObject({ id, type, status: 'consumed', consumed_at: '2025-01-01T00:00:01Z', is_authorized: true });
    expect(redeemed).not.toHaveProperty('code');
    await expect(redeemOneTimeCode(t.ctx, present(t, code))).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await failureReasons(t, 'code.redeem')).toEqual(['consumed']);
  });

  it('accepts a phrase typed in another case and spacing', async () => {
    const t = await testStore();
    const { code } = await issue(t, { type: 'phrase' });
    const typed = `\t${code.toUpperCase().split(' ').join('   ')}  `;
    await expect(redeemOneTimeCode(t.ctx, present(t, typed))).resolves.toMatchObject({ status: 'consumed' });
  });

  it('is valid while now < expires_at, and not at expires_at', async () => {
    const t = await testStore();
    const first = await issue(t, { type: 'long', ttlMs: 300_000 });
    const second = await issue(t, { type: 'long', ttlMs: 300_000 });
    t.clock.advance(300_000 - 1);
    await expect(redeemOneTimeCode(t.ctx, present(t, first.code))).resolves.toMatchObject({ status: 'consumed' });
    t.clock.advance(1);
    expect((await getOneTimeCode(t.ctx, t.organizationId, second.id)).status).toBe('expired');
    await expect(redeemOneTimeCode(t.ctx, present(t, second.code))).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await failureReasons(t, 'code.redeem')).toEqual(['expired']);
  });

  it('applies the same boundary to short codes', async () => {
    const t = await testStore();
    const { code } = await issue(t, { type: 'short', ttlMs: 60_000 });
    t.clock.advance(60_000);
    await expect(redeemOneTimeCode(t.ctx, present(t, code))).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await failureReasons(t, 'code.redeem')).toEqual(['expired']);
  });

  it('gives the same error for wrong, expired, consumed and invalidated codes, and audits the true reason', async () => {
    const t = await testStore();
    const consumed = await issue(t);
    await redeemOneTimeCode(t.ctx, present(t, consumed.code));
    const invalidated = await issue(t);
    await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE });
    const expired = await issue(t, { ttlMs: 300_000 });
    t.clock.advance(300_000);
    const otherUser = await issue(t, { userId: 'bob' });
    const otherPurpose = await issue(t, { purpose: 'temporary_authentication' });
    const errors = [];
    for (const code of ['A'.repeat(32), consumed.code, invalidated.code, expired.code, otherUser.code, otherPurpose.code]) {
      errors.push(
        await redeemOneTimeCode(t.ctx, present(t, code)).then(
          () => new Error('redeemed'),
          (e: Error) => e,
        ),
      );
    }
    const shapes = errors.map((e) => ({
      name: e.constructor.name,
      code: (e as { code?: string }).code,
      message: e.message,
      hint: (e as { hint?: string }).hint,
    }));
    expect(new Set(shapes.map((s) => JSON.stringify(s))).size).toBe(1);
    expect(shapes[0]).toMatchObject({ name: 'VerificationError', code: 'invalid_code', message: 'the code is not valid for this user and purpose' });
    expect(await failureReasons(t, 'code.redeem')).toEqual(['no_match', 'consumed', 'invalidated', 'expired', 'no_match', 'no_match']);
  });

  it('requires authorization: not_authorized until the code is authorized', async () => {
    const t = await testStore();
    const { id, code } = await issue(t, { type: 'short', authorize: false });
    await expect(redeemOneTimeCode(t.ctx, present(t, code))).rejects.toMatchObject({ code: 'not_authorized', message: 'the code has not been authorized yet' });
    const authorized = await authorizeOneTimeCode(t.ctx, present(t, code));
    expect(authorized).toMatchObject({ id, is_authorized: true, status: 'active', authorized_at: '2025-01-01T00:00:00Z' });
    await expect(authorizeOneTimeCode(t.ctx, present(t, code))).resolves.toMatchObject({ id, is_authorized: true });
    await expect(redeemOneTimeCode(t.ctx, present(t, code))).resolves.toMatchObject({ id, status: 'consumed' });
    await expect(authorizeOneTimeCode(t.ctx, present(t, code))).rejects.toMatchObject({ code: 'invalid_code' });
    expect(await failureReasons(t, 'code.redeem')).toEqual(['not_authorized']);
    expect(await failureReasons(t, 'code.authorize')).toEqual(['consumed']);
  });

  it('checks the code against --type when given', async () => {
    const t = await testStore();
    const { code } = await issue(t, { type: 'long' });
    await expect(redeemOneTimeCode(t.ctx, present(t, code, { type: 'short' }))).rejects.toMatchObject({
      code: 'invalid_format',
      message: 'invalid one-time code: a short code contains only the digits 0-9',
    });
    await expect(redeemOneTimeCode(t.ctx, present(t, code, { type: 'long' }))).resolves.toMatchObject({ status: 'consumed' });
  });

  it('never crosses organizations', async () => {
    const t = await testStore();
    const other = (await createOrganization(t.ctx, 'other')).prn.slice('prn:1:'.length);
    const { code, id } = await issue(t, { organizationId: other });
    await expect(redeemOneTimeCode(t.ctx, present(t, code))).rejects.toMatchObject({ code: 'invalid_code' });
    await expect(getOneTimeCode(t.ctx, t.organizationId, id)).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    await expect(redeemOneTimeCode(t.ctx, { ...present(t, code), organizationId: other })).resolves.toMatchObject({ id });
  });

  it('finds a short code among several live ones of the pair', async () => {
    const t = await testStore();
    const issued = [];
    for (let i = 0; i < 5; i += 1) issued.push(await issue(t, { type: 'short' }));
    await expect(redeemOneTimeCode(t.ctx, present(t, issued[0]!.code))).resolves.toMatchObject({ id: issued[0]!.id });
    await expect(redeemOneTimeCode(t.ctx, present(t, issued[4]!.code))).resolves.toMatchObject({ id: issued[4]!.id });
  });
});

describe('bounding the work of short-code redeems', () => {
  it('always checks every live short code, however many spent ones are recent', async () => {
    const t = await testStore();
    for (let i = 0; i < 5; i += 1) await issue(t, { type: 'short' });
    await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE });
    const live = [];
    for (let i = 0; i < 5; i += 1) live.push(await issue(t, { type: 'short' }));
    await expect(redeemOneTimeCode(t.ctx, present(t, live[0]!.code))).resolves.toMatchObject({ id: live[0]!.id });
  });
});

describe('invalidating, listing and getting', () => {
  it('invalidates the active codes of the pair (of one type when given) and says how many', async () => {
    const t = await testStore();
    await issue(t, { type: 'short' });
    await issue(t, { type: 'long' });
    const phrase = await issue(t, { type: 'phrase' });
    await issue(t, { type: 'long', userId: 'bob' });
    expect(await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE, type: 'long' })).toEqual({
      user_id: USER,
      purpose: PURPOSE,
      type: 'long',
      invalidated: 1,
    });
    expect(await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE })).toEqual({
      user_id: USER,
      purpose: PURPOSE,
      type: null,
      invalidated: 2,
    });
    expect(await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE })).toMatchObject({ invalidated: 0 });
    expect(await getOneTimeCode(t.ctx, t.organizationId, phrase.id)).toMatchObject({ status: 'invalidated', invalidated_at: '2025-01-01T00:00:00Z' });
    expect((await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, status: 'active' })).items.map((c) => c.user_id)).toEqual(['bob']);
  });

  it('lists by user, purpose and status, newest first, never with the code', async () => {
    const t = await testStore();
    const a = await issue(t);
    const b = await issue(t, { userId: 'bob' });
    const c = await issue(t, { purpose: 'temporary_authentication' });
    await redeemOneTimeCode(t.ctx, present(t, a.code));
    const ids = async (options: object) => (await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, ...options })).items.map((i) => i.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ userId: USER })).toEqual([c.id, a.id]);
    expect(await ids({ purpose: PURPOSE })).toEqual([b.id, a.id]);
    expect(await ids({ status: 'consumed' })).toEqual([a.id]);
    expect(await ids({ status: 'active', userId: USER })).toEqual([c.id]);
    const page = await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, limit: 2 });
    expect(page.next_page).not.toBeNull();
    expect((await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, limit: 2, page: page.next_page! })).items.map((i) => i.id)).toEqual([a.id]);
    const text = JSON.stringify(await listOneTimeCodes(t.ctx, { organizationId: t.organizationId }));
    for (const code of [a.code, b.code, c.code]) expect(text).not.toContain(code);
    await expect(listOneTimeCodes(t.ctx, { organizationId: t.organizationId, status: 'used' })).rejects.toThrow(
      'unknown status filter "used": expected one of active, consumed, expired, invalidated, locked, all',
    );
  });

  it('gets a code by PRN or bare id; an unknown one is not found', async () => {
    const t = await testStore();
    const { id } = await issue(t);
    const bare = id.split(':').pop()!;
    expect(await getOneTimeCode(t.ctx, t.organizationId, bare)).toEqual(await getOneTimeCode(t.ctx, t.organizationId, id));
    await expect(getOneTimeCode(t.ctx, t.organizationId, 'nope')).rejects.toThrow('one-time code nope not found');
  });

  it('keeps codes out of the audit log', async () => {
    const t = await testStore();
    const codes = [];
    for (const type of ['short', 'long', 'phrase'] as const) {
      const { code } = await issue(t, { type, authorize: false });
      codes.push(code);
      await authorizeOneTimeCode(t.ctx, present(t, code));
      await redeemOneTimeCode(t.ctx, present(t, code));
      await redeemOneTimeCode(t.ctx, present(t, code)).catch(() => undefined);
    }
    const log = JSON.stringify(await listAudit(t.ctx));
    for (const code of codes) expect(log).not.toContain(code);
    expect((await listAudit(t.ctx, { action: 'code' })).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      ...['short', 'long', 'phrase'].flatMap(() => ['code.create:success', 'code.authorize:success', 'code.redeem:success', 'code.redeem:failure']),
    ]);
  });
});
