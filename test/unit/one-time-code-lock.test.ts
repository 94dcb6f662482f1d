import { describe, expect, it } from 'vitest';
import { listAudit } from '../../src/core/audit.js';
import { afterFailure, isLocked } from '../../src/core/one-time-codes/attempts.js';
import { authorizeOneTimeCode, getOneTimeCode, issueOneTimeCode, listOneTimeCodes, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { readAttempts } from '../../src/store/one-time-code-attempts.js';
import { testStore, type TestStore } from '../helpers/store.js';

const USER = 'carol';
const PURPOSE = 'temporary_authentication';
const WRONG_LONG = 'W'.repeat(32);

function issue(t: TestStore, type: 'short' | 'long' | 'phrase' = 'long') {
  return issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type, userId: USER, purpose: PURPOSE, authorize: true });
}

function redeem(t: TestStore, code: string, purpose = PURPOSE) {
  return redeemOneTimeCode(t.ctx, { organizationId: t.organizationId, userId: USER, purpose, code });
}

function failures(t: TestStore, purpose = PURPOSE): number {
  return t.connection.read(() => readAttempts(t.connection, { organizationId: t.organizationId, userId: USER, purpose })).failures;
}

async function failTimes(t: TestStore, n: number, code = WRONG_LONG): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    await expect(redeem(t, code)).rejects.toMatchObject({ code: 'invalid_code' });
  }
}

describe('the attempt state', () => {
  it('locks at the 10th consecutive failure, for at least 15 minutes', () => {
    let state = { failures: 0, locked_until: null as number | null };
    const now = Date.parse('2025-01-01T00:00:00.250Z');
    for (let i = 1; i <= 9; i += 1) {
      state = afterFailure(state, now);
      expect(state).toEqual({ failures: i, locked_until: null });
    }
    state = afterFailure(state, now);
    expect(state).toEqual({ failures: 10, locked_until: Date.parse('2025-01-01T00:15:01Z') });
    expect(isLocked(state, Date.parse('2025-01-01T00:15:00.999Z'))).toBe(true);
    expect(isLocked(state, Date.parse('2025-01-01T00:15:01Z'))).toBe(false);
    expect(afterFailure(state, Date.parse('2025-01-01T00:15:01Z'))).toEqual({ failures: 1, locked_until: null });
  });
});

describe('locking a user and purpose', () => {
  it('answers invalid_code for 10 failures, then locked (exit 5) even for the right code', async () => {
    const t = await testStore();
    const { code, id } = await issue(t);
    await failTimes(t, 10);
    expect(failures(t)).toBe(10);
    await expect(redeem(t, code)).rejects.toMatchObject({
      code: 'locked',
      message: 'too many failed attempts for this user and purpose: locked until 2025-01-01T00:15:00Z',
    });
    await expect(authorizeOneTimeCode(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE, code })).rejects.toMatchObject({
      code: 'locked',
    });
    expect(failures(t)).toBe(10);
    expect(await getOneTimeCode(t.ctx, t.organizationId, id)).toMatchObject({ status: 'locked', locked_until: '2025-01-01T00:15:00Z' });
    expect((await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, status: 'locked' })).items.map((c) => c.id)).toEqual([id]);
    expect((await listOneTimeCodes(t.ctx, { organizationId: t.organizationId, status: 'active' })).items).toEqual([]);
    const lockEvents = await listAudit(t.ctx, { action: 'code.lock' });
    expect(lockEvents).toHaveLength(1);
    expect(lockEvents[0]).toMatchObject({
      reason: 'too_many_failures',
      details: { user_id: USER, purpose: PURPOSE, failures: 10, locked_until: '2025-01-01T00:15:00Z' },
    });
    expect((await listAudit(t.ctx, { action: 'code.redeem' })).filter((e) => e.reason === 'locked')).toHaveLength(1);
  });

  it('lifts the lock after 15 minutes; the code works again and the count restarts', async () => {
    const t = await testStore();
    const { code } = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'phrase', userId: USER, purpose: PURPOSE, authorize: true });
    await failTimes(t, 10);
    t.clock.advance(15 * 60_000 - 1);
    await expect(redeem(t, code)).rejects.toMatchObject({ code: 'locked' });
    t.clock.advance(1);
    await failTimes(t, 1);
    expect(failures(t)).toBe(1);
    await expect(redeem(t, code)).resolves.toMatchObject({ status: 'consumed' });
    expect(failures(t)).toBe(0);
  });

  it('resets the count on a successful redeem, not on issuing', async () => {
    const t = await testStore();
    await failTimes(t, 9);
    const { code } = await issue(t);
    expect(failures(t)).toBe(9);
    await expect(redeem(t, code)).resolves.toMatchObject({ status: 'consumed' });
    expect(failures(t)).toBe(0);
    await failTimes(t, 9);
    await issue(t);
    await failTimes(t, 1);
    await expect(redeem(t, WRONG_LONG)).rejects.toMatchObject({ code: 'locked' });
  });

  it('counts invalid formats, unauthorized codes and authorize failures', async () => {
    const t = await testStore();
    const unauthorized = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', userId: USER, purpose: PURPOSE });
    await expect(redeem(t, 'not a code')).rejects.toMatchObject({ code: 'invalid_format' });
    await expect(redeem(t, '')).rejects.toMatchObject({ code: 'invalid_format' });
    await expect(redeem(t, unauthorized.code)).rejects.toMatchObject({ code: 'not_authorized' });
    await expect(authorizeOneTimeCode(t.ctx, { organizationId: t.organizationId, userId: USER, purpose: PURPOSE, code: WRONG_LONG })).rejects.toMatchObject({
      code: 'invalid_code',
    });
    expect(failures(t)).toBe(4);
    expect((await listAudit(t.ctx, { action: 'code' })).filter((e) => e.outcome === 'failure').map((e) => e.reason)).toEqual([
      'invalid_format',
      'invalid_format',
      'not_authorized',
      'no_match',
    ]);
  });

  it('locks per user and purpose: another purpose is unaffected', async () => {
    const t = await testStore();
    await failTimes(t, 10);
    const other = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', userId: USER, purpose: 'add_credential', authorize: true });
    await expect(redeem(t, other.code, 'add_credential')).resolves.toMatchObject({ status: 'consumed' });
    expect(failures(t)).toBe(10);
  });

  it('locks short codes the same way, and answers locked without hashing', async () => {
    const t = await testStore();
    const { code } = await issue(t, 'short');
    const wrong = code === '000000' ? '000001' : '000000';
    await failTimes(t, 10, wrong);
    await expect(redeem(t, code)).rejects.toMatchObject({ code: 'locked' });
    await expect(redeem(t, 'abc')).rejects.toMatchObject({ code: 'locked' });
  });
});
