/** The contract of the audit log: appends on the head only, queries, the chain batches and the ledger checks. */
import { describe, expect, it } from 'vitest';
import { eventJson, GENESIS_HASH } from '../../src/core/audit/chain.js';
import type { CodeLedger } from '../../src/core/store-port.js';
import { appendEvent, codePrn, oneTimeCode, ORG, seeded, T0, type StoreHome } from './fixtures.js';

const VERIFICATION_LEDGER: CodeLedger = {
  table: 'verification_codes',
  kind: 'ca_verification_code',
  create: 'verification_code.create',
  spends: [{ action: 'verification_code.consume', column: 'consumed_at' }],
};

const ONE_TIME_LEDGER: CodeLedger = {
  table: 'one_time_codes',
  kind: 'code',
  create: 'code.create',
  spends: [
    { action: 'code.redeem', column: 'consumed_at' },
    { action: 'code.invalidate', column: 'invalidated_at' },
  ],
};

export function auditContract(fresh: () => Promise<StoreHome>): void {
  describe('audit log', () => {
    it('appends only the next event on the head, and refuses one that is not', async () => {
      const store = await seeded(await fresh());
      expect(await store.read((tx) => tx.lastAuditEvent())).toBeUndefined();
      const first = await store.write((tx) => appendEvent(tx, { action: 'organization.create', details: { name: 'Acme' } }));
      expect(first).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH });
      await store.write((tx) => appendEvent(tx));
      const stale = { ...first, seq: 2, hash: 'f'.repeat(64) };
      await expect(store.write((tx) => tx.appendAuditEvent(stale))).rejects.toThrow();
      await expect(store.write((tx) => tx.appendAuditEvent({ ...first, seq: 4 }))).rejects.toThrow();
      await store.read(async (tx) => {
        expect(await tx.auditLength()).toBe(2);
        expect((await tx.lastAuditEvent())!.seq).toBe(2);
        expect(await tx.auditEventAt(1)).toEqual(first);
      });
    });

    it('lists by time, action family, seq and order; finds by hash, subject and time', async () => {
      const store = await seeded(await fresh());
      const events = await store.write(async (tx) => [
        await appendEvent(tx, { action: 'verification_code.create', subject: 'vc-1' }),
        await appendEvent(tx, { action: 'verification_code.consume', subject: 'vc-1' }),
        await appendEvent(tx, { action: 'verification_codex', subject: 'vc-1' }),
        await appendEvent(tx, { action: 'code.redeem', subject: 'otc-1', outcome: 'failure', reason: 'expired' }),
        await appendEvent(tx, { action: 'code.redeem', subject: 'otc-1' }),
      ]);
      await store.read(async (tx) => {
        const seqs = async (query: Parameters<typeof tx.listAuditEvents>[0]): Promise<number[]> => (await tx.listAuditEvents(query)).map((event) => event.seq);
        expect(await seqs({})).toEqual([1, 2, 3, 4, 5]);
        expect(await seqs({ action: 'verification_code' })).toEqual([1, 2]);
        expect(await seqs({ action: 'code.redeem', order: 'desc', limit: 1 })).toEqual([5]);
        expect(await seqs({ afterSeq: 1, beforeSeq: 4 })).toEqual([2, 3]);
        expect(await seqs({ sinceAt: events[3]!.at })).toEqual([4, 5]);
        expect(await tx.firstAuditSeqSince(events[2]!.at)).toBe(3);
        expect(await tx.firstAuditSeqSince('2099-01-01T00:00:00Z')).toBeUndefined();
        expect(await tx.seqOfAuditHash(events[3]!.hash)).toBe(4);
        expect(await tx.seqOfAuditHash('0'.repeat(64))).toBeUndefined();
        expect(await tx.firstSuccessAbout('otc-1', ['code.redeem', 'code.invalidate'])).toEqual({ seq: 5, action: 'code.redeem' });
        expect(await tx.firstSuccessAbout('vc-2', ['verification_code.consume'])).toBeUndefined();
        expect(await tx.auditStoredBytesFrom()).toBe(1);
        const batch = await tx.auditChainBatch(4, 10);
        expect(batch).toEqual(events.slice(3).map((event) => [event.hash, event.prev_hash + eventJson(event)]));
      });
    });

    it('holds the codes tables against the log: spent without an event, spent twice, issued against present and purged', async () => {
      const store = await seeded(await fresh());
      const hmac = Buffer.alloc(32, 3);
      await store.write(async (tx) => {
        await tx.insertVerificationCode({ id: 'vc-1', organization_id: ORG, certificate_id: null, created_at: T0, expires_at: T0 + 1000, code_hmac: hmac });
        await appendEvent(tx, { action: 'verification_code.create', subject: codePrn('ca_verification_code', 'vc-1') });
      });
      const check = () =>
        store.read(async (tx) => ({
          mismatch: await tx.firstSpendMismatch(VERIFICATION_LEDGER, VERIFICATION_LEDGER.spends[0]!, 1),
          twice: await tx.spentTwice(VERIFICATION_LEDGER),
          counts: await tx.ledgerCounts(VERIFICATION_LEDGER),
        }));
      expect(await check()).toEqual({ mismatch: undefined, twice: undefined, counts: { issued: 1, present: 1, purged: 0 } });
      await store.write((tx) => tx.consumeVerificationCode(ORG, hmac, T0 + 1));
      expect((await check()).mismatch).toMatchObject({ subject: codePrn('ca_verification_code', 'vc-1'), spent: 1 });
      await store.write(async (tx) => {
        await appendEvent(tx, { action: 'verification_code.consume', subject: codePrn('ca_verification_code', 'vc-1') });
        await appendEvent(tx, { action: 'verification_code.consume', subject: codePrn('ca_verification_code', 'vc-1') });
      });
      expect(await check()).toMatchObject({ mismatch: undefined, twice: { subject: codePrn('ca_verification_code', 'vc-1'), first: 2, last: 3 } });
      await store.write(async (tx) => {
        expect(await tx.purgeSpent('verification_codes', T0 + 5000, 10)).toBe(1);
        await appendEvent(tx, { action: 'store.purge', organization_id: null, details: { removed: { verification_codes: 1, one_time_codes: 0 } } });
      });
      expect((await check()).counts).toEqual({ issued: 1, present: 0, purged: 1 });
    });

    it("accounts for codes invalidated before schema 5 by their pair's one event, only before legacyBefore", async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertOneTimeCode(oneTimeCode(1));
        await tx.insertOneTimeCode(oneTimeCode(2, { user_id: 'bob' }));
        await appendEvent(tx, { action: 'code.invalidate', subject: null, details: { user_id: 'alice@example.com', purpose: 'login', invalidated: 1 } });
        await tx.invalidateOneTimeCodes({ organizationId: ORG, userId: 'alice@example.com', purpose: 'login' }, undefined, {
          now: T0 + 10_000,
          stamp: T0 + 10_000,
        });
      });
      const invalidation = ONE_TIME_LEDGER.spends[1]!;
      const mismatch = (legacyBefore: number) => store.read((tx) => tx.firstSpendMismatch(ONE_TIME_LEDGER, invalidation, legacyBefore));
      expect(await mismatch(2)).toBeUndefined();
      expect(await mismatch(1)).toMatchObject({ subject: codePrn('code', 'otc-1'), spent: 1 });
      // Bob's code was invalidated too, and no event of his pair accounts for it.
      await store.write((tx) =>
        tx.invalidateOneTimeCodes({ organizationId: ORG, userId: 'bob', purpose: 'login' }, undefined, { now: T0 + 10_000, stamp: T0 + 10_000 }),
      );
      expect(await mismatch(2)).toMatchObject({ subject: codePrn('code', 'otc-2'), spent: 1 });
    });
  });
}
