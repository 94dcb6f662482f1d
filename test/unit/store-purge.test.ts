import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { UsageError } from '../../src/core/errors.js';
import { PURGE_BATCH_SIZE, purgeStore } from '../../src/core/store-purge.js';
import { consumeVerificationCode, issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('purgeStore', () => {
  it('removes codes consumed or expired at least --older-than ago, and nothing live or younger', () => {
    const { ctx, clock, organizationId } = testStore({ at: '2024-12-31T23:55:00Z' });
    const issue = (ttlMs: number) => issueVerificationCode(ctx, { organizationId, ttlMs });
    const expiredAtCutoff = issue(5 * MINUTE); // expires 2025-01-01T00:00:00Z
    const expiredAfterCutoff = issue(5 * MINUTE + 1000); // expires one second later
    const consumedAtCutoff = issue(DAY);
    const consumedAfterCutoff = issue(DAY);
    clock.set('2025-01-01T00:00:00Z');
    consumeVerificationCode(ctx, organizationId, consumedAtCutoff.code, 'test');
    clock.advance(1);
    consumeVerificationCode(ctx, organizationId, consumedAfterCutoff.code, 'test');
    clock.set('2025-01-11T00:00:00Z');
    const consumedRecently = issue(DAY);
    consumeVerificationCode(ctx, organizationId, consumedRecently.code, 'test');
    const live = issue(7 * DAY);

    const result = purgeStore(ctx, { olderThanMs: 10 * DAY });

    expect(result).toEqual({ older_than: '10d', before: '2025-01-01T00:00:00Z', removed: { verification_codes: 2, one_time_codes: 0 }, total: 2 });
    const left = listVerificationCodes(ctx, { organizationId }).items.map((c) => c.id);
    expect(left.sort()).toEqual([expiredAfterCutoff, consumedAfterCutoff, consumedRecently, live].map((c) => c.id).sort());
    expect(left).not.toContain(expiredAtCutoff.id);
    expect(left).not.toContain(consumedAtCutoff.id);
  });

  it('never removes an active code, however old, nor any audit event', () => {
    const { ctx, clock, organizationId } = testStore();
    const live = issueVerificationCode(ctx, { organizationId, ttlMs: 7 * DAY });
    clock.advance(7 * DAY - 1);
    const eventsBefore = listAudit(ctx).length;
    const result = purgeStore(ctx, { olderThanMs: 1 });
    expect(result.total).toBe(0);
    expect(listVerificationCodes(ctx, { organizationId }).items.map((c) => [c.id, c.status])).toEqual([[live.id, 'active']]);
    const events = listAudit(ctx);
    expect(events.length).toBe(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({ action: 'store.purge', outcome: 'success', details: { batch: 1, removed: { verification_codes: 0, one_time_codes: 0 } } });
    expect(verifyAuditChain(ctx).events).toBe(events.length);
  });

  it('works in batches, each with its own audit event, and reports progress', () => {
    const { ctx, clock, organizationId } = testStore();
    const count = PURGE_BATCH_SIZE * 2 + 7;
    ctx.store.write(() => {
      for (let i = 0; i < count; i += 1) issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    });
    clock.advance(DAY);
    const progress: number[] = [];
    const result = purgeStore(ctx, { olderThanMs: MINUTE, onProgress: (n) => progress.push(n) });
    expect(result.total).toBe(count);
    expect(progress).toEqual([PURGE_BATCH_SIZE, PURGE_BATCH_SIZE * 2, count]);
    const purges = listAudit(ctx, { action: 'store.purge' });
    expect(purges.map((e) => e.details)).toEqual([1, 2, 3].map((batch, i) => ({
      batch,
      before: '2025-01-01T23:59:00Z',
      older_than: '1m',
      removed: { verification_codes: i < 2 ? PURGE_BATCH_SIZE : 7, one_time_codes: 0 },
    })));
    expect(listVerificationCodes(ctx, { organizationId }).items).toEqual([]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses an --older-than of %s ms and removes nothing', (olderThanMs) => {
    const { ctx, clock, organizationId } = testStore();
    issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    clock.advance(DAY);
    const events = listAudit(ctx).length;
    expect(() => purgeStore(ctx, { olderThanMs })).toThrow(UsageError);
    expect(listVerificationCodes(ctx, { organizationId }).items.length).toBe(1);
    expect(listAudit(ctx).length).toBe(events);
  });

  it('defaults to 30 days', () => {
    const { ctx, clock, organizationId } = testStore();
    issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    clock.advance(30 * DAY);
    expect(purgeStore(ctx).total).toBe(0);
    clock.advance(5 * MINUTE);
    expect(purgeStore(ctx)).toMatchObject({ older_than: '30d', total: 1 });
  });
});
