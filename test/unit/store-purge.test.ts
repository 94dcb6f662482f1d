import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { UsageError } from '../../src/core/errors.js';
import { storeInfo } from '../../src/core/store-info.js';
import { nextBatchSize, PURGE_BATCH_SIZE, PURGE_BATCH_TARGET_MS, purgeStore } from '../../src/core/store-purge.js';
import { consumeVerificationCode, issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import type { Store } from '../../src/store/store.js';
import { insertVerificationCode } from '../../src/store/verification-codes.js';
import { testStore } from '../helpers/store.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('purgeStore', () => {
  it('removes codes consumed or expired at least --older-than ago, and nothing live or younger', async () => {
    const { ctx, clock, organizationId } = await testStore({ at: '2024-12-31T23:55:00Z' });
    const issue = (ttlMs: number) => issueVerificationCode(ctx, { organizationId, ttlMs });
    const expiredAtCutoff = await issue(5 * MINUTE); // expires 2025-01-01T00:00:00Z
    const expiredAfterCutoff = await issue(5 * MINUTE + 1000); // expires one second later
    const consumedAtCutoff = await issue(DAY);
    const consumedAfterCutoff = await issue(DAY);
    clock.set('2025-01-01T00:00:00Z');
    await consumeVerificationCode(ctx, organizationId, consumedAtCutoff.code, 'test');
    clock.advance(1);
    await consumeVerificationCode(ctx, organizationId, consumedAfterCutoff.code, 'test');
    clock.set('2025-01-11T00:00:00Z');
    const consumedRecently = await issue(DAY);
    await consumeVerificationCode(ctx, organizationId, consumedRecently.code, 'test');
    const live = await issue(7 * DAY);

    const result = await purgeStore(ctx, { olderThanMs: 10 * DAY });

    expect(result).toEqual({
      older_than: '10d',
      before: '2025-01-01T00:00:00Z',
      removed: { verification_codes: 2, one_time_codes: 0 },
      total: 2,
      reclaimed_bytes: expect.any(Number),
      free_bytes: 0,
    });
    const left = (await listVerificationCodes(ctx, { organizationId })).items.map((c) => c.id);
    expect(left.sort()).toEqual([expiredAfterCutoff, consumedAfterCutoff, consumedRecently, live].map((c) => c.id).sort());
    expect(left).not.toContain(expiredAtCutoff.id);
    expect(left).not.toContain(consumedAtCutoff.id);
  });

  it('never removes an active code, however old, nor any audit event', async () => {
    const { ctx, clock, organizationId } = await testStore();
    const live = await issueVerificationCode(ctx, { organizationId, ttlMs: 7 * DAY });
    clock.advance(7 * DAY - 1);
    const eventsBefore = (await listAudit(ctx)).length;
    const result = await purgeStore(ctx, { olderThanMs: 1 });
    expect(result.total).toBe(0);
    expect((await listVerificationCodes(ctx, { organizationId })).items.map((c) => [c.id, c.status])).toEqual([[live.id, 'active']]);
    const events = await listAudit(ctx);
    expect(events.length).toBe(eventsBefore + 1);
    expect(events.at(-1)).toMatchObject({
      action: 'store.purge',
      outcome: 'success',
      details: { batch: 1, removed: { verification_codes: 0, one_time_codes: 0 } },
    });
    expect((await verifyAuditChain(ctx)).events).toBe(events.length);
  });

  it('works in batches, each with its own audit event, and reports progress', async () => {
    const { ctx, clock, organizationId } = await testStore();
    const batchSize = 40;
    const count = batchSize * 2 + 7;
    for (let i = 0; i < count; i += 1) await issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    clock.advance(DAY);
    const progress: number[] = [];
    const result = await purgeStore(ctx, { olderThanMs: MINUTE, batchSize, onProgress: (n) => progress.push(n) });
    expect(result.total).toBe(count);
    expect(progress).toEqual([batchSize, batchSize * 2, count]);
    const purges = await listAudit(ctx, { action: 'store.purge' });
    expect(purges.map((e) => e.details)).toEqual(
      [1, 2, 3].map((batch, i) => ({
        batch,
        before: '2025-01-01T23:59:00Z',
        older_than: '1m',
        removed: { verification_codes: i < 2 ? batchSize : 7, one_time_codes: 0 },
      })),
    );
    expect((await listVerificationCodes(ctx, { organizationId })).items).toEqual([]);
  });

  it('sizes each batch after the first by how long the one before took, by at most a factor of two', () => {
    expect(nextBatchSize(PURGE_BATCH_SIZE, PURGE_BATCH_TARGET_MS)).toBe(PURGE_BATCH_SIZE);
    expect(nextBatchSize(PURGE_BATCH_SIZE, PURGE_BATCH_TARGET_MS / 4)).toBe(2 * PURGE_BATCH_SIZE);
    expect(nextBatchSize(PURGE_BATCH_SIZE, 0)).toBe(2 * PURGE_BATCH_SIZE);
    expect(nextBatchSize(PURGE_BATCH_SIZE, (PURGE_BATCH_TARGET_MS * 4) / 5)).toBe(12_500);
    expect(nextBatchSize(PURGE_BATCH_SIZE, PURGE_BATCH_TARGET_MS * 10)).toBe(PURGE_BATCH_SIZE / 2);
    // Within 1,000 to 200,000 records, however fast or slow.
    expect(nextBatchSize(1200, 60_000)).toBe(1000);
    expect(nextBatchSize(150_000, 1)).toBe(200_000);
  });

  it('grows its batches while they are quick, each still with its own audit event', async () => {
    const { ctx, clock, organizationId, connection } = await testStore();
    const count = PURGE_BATCH_SIZE + 2 * PURGE_BATCH_SIZE + 5;
    // Expired codes written straight into the table (30,000 issued through the core
    // take half a minute): the log has no events about them, so no audit verify here.
    const now = clock.now().getTime();
    connection.db.transaction(() => {
      for (let i = 0; i < count; i += 1) {
        insertVerificationCode(connection, {
          id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          organization_id: organizationId,
          certificate_id: null,
          created_at: now,
          expires_at: now + 5 * MINUTE,
          code_hmac: Buffer.from(String(i).padStart(32, '0')),
        });
      }
    })();
    clock.advance(DAY);
    const progress: number[] = [];
    // The test clock stands still: every batch takes no time, so each is twice the one before.
    const result = await purgeStore(ctx, { olderThanMs: MINUTE, onProgress: (n) => progress.push(n) });
    expect(result.total).toBe(count);
    expect(progress).toEqual([PURGE_BATCH_SIZE, 3 * PURGE_BATCH_SIZE, count]);
    const purges = await listAudit(ctx, { action: 'store.purge' });
    expect(purges.map((e) => (e.details.removed as { verification_codes: number }).verification_codes)).toEqual([PURGE_BATCH_SIZE, 2 * PURGE_BATCH_SIZE, 5]);
    expect(purges.map((e) => e.details.batch)).toEqual([1, 2, 3]);
    expect(connection.db.prepare('SELECT count(*) FROM verification_codes').pluck().get()).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses an --older-than of %s ms and removes nothing', async (olderThanMs) => {
    const { ctx, clock, organizationId } = await testStore();
    await issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    clock.advance(DAY);
    const events = (await listAudit(ctx)).length;
    await expect(purgeStore(ctx, { olderThanMs })).rejects.toThrow(UsageError);
    expect((await listVerificationCodes(ctx, { organizationId })).items.length).toBe(1);
    expect((await listAudit(ctx)).length).toBe(events);
  });

  it('defaults to 30 days', async () => {
    const { ctx, clock, organizationId } = await testStore();
    await issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    clock.advance(30 * DAY);
    expect((await purgeStore(ctx)).total).toBe(0);
    clock.advance(5 * MINUTE);
    expect(await purgeStore(ctx)).toMatchObject({ older_than: '30d', total: 1 });
  });

  it('gives the freed space back to the file system on a store created with incremental auto-vacuum', async () => {
    const { ctx, clock, path, organizationId, connection } = await testStore();
    await ctx.store.withBulkWrites(async () => {
      for (let i = 0; i < 3000; i += 1) await issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    });
    checkpoint(connection);
    const grown = statSync(path).size;
    const events = (await listAudit(ctx)).length;
    clock.advance(DAY);
    const result = await purgeStore(ctx, { olderThanMs: MINUTE });
    checkpoint(connection);
    expect(result).toMatchObject({ total: 3000, reclaimed_bytes: grown - statSync(path).size, free_bytes: 0 });
    expect(result.reclaimed_bytes).toBeGreaterThan(grown / 4);
    expect(await storeInfo(ctx)).toMatchObject({ free_bytes: 0, auto_vacuum: 'incremental' });
    // Audit events stay: the record of every code, plus the purge's own events.
    const added = (await listAudit(ctx, { action: 'store.purge' })).length;
    expect(added).toBeGreaterThan(0);
    expect((await listAudit(ctx)).length).toBe(events + added);
    expect((await verifyAuditChain(ctx)).events).toBe(events + added);
  });

  it('keeps the space of a store made before incremental auto-vacuum for reuse, until --compact rewrites it', async () => {
    const { ctx, clock, path, organizationId, connection } = await testStore();
    connection.db.exec('PRAGMA auto_vacuum = NONE; VACUUM');
    await ctx.store.withBulkWrites(async () => {
      for (let i = 0; i < 3000; i += 1) await issueVerificationCode(ctx, { organizationId, ttlMs: 5 * MINUTE });
    });
    clock.advance(DAY);
    const kept = await purgeStore(ctx, { olderThanMs: MINUTE });
    expect(kept.reclaimed_bytes).toBe(0);
    expect(kept.free_bytes).toBeGreaterThan(0);
    expect(await storeInfo(ctx)).toMatchObject({ free_bytes: kept.free_bytes, auto_vacuum: 'none' });
    checkpoint(connection);
    const before = statSync(path).size;

    const compacted = await purgeStore(ctx, { olderThanMs: MINUTE, compact: true });
    checkpoint(connection);
    expect(compacted).toMatchObject({ total: 0, free_bytes: 0 });
    expect(compacted.reclaimed_bytes).toBeGreaterThanOrEqual(kept.free_bytes);
    // The file shrank by its free space (less the page the compact event may take).
    expect(before - statSync(path).size).toBeGreaterThanOrEqual(kept.free_bytes - 4096);
    expect(await storeInfo(ctx)).toMatchObject({ free_bytes: 0, auto_vacuum: 'incremental' });
    expect((await listAudit(ctx)).at(-1)).toMatchObject({ action: 'store.compact', details: { reclaimed_bytes: compacted.reclaimed_bytes } });
    expect((await verifyAuditChain(ctx)).events).toBe((await listAudit(ctx)).length);
  });
});

/** Moves the WAL into the file, so its size shows what the store holds. */
function checkpoint(connection: Store): void {
  connection.db.pragma('wal_checkpoint(TRUNCATE)');
}
