/** The contract of one-time codes: digests, candidates, the conditional changes, attempts and listing. */
import { describe, expect, it } from 'vitest';
import type { CodePair } from '../../src/core/records.js';
import { oneTimeCode, ORG, seeded, T0, type StoreHome } from './fixtures.js';

const PAIR: CodePair = { organizationId: ORG, userId: 'alice@example.com', purpose: 'login' };
const at = (offset: number) => ({ now: T0 + offset, stamp: T0 + offset });

export function oneTimeCodeContract(fresh: () => Promise<StoreHome>): void {
  describe('one-time codes', () => {
    it('finds long codes by digest within their pair and type, and short candidates live first', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertOneTimeCode(oneTimeCode(1));
        await tx.insertOneTimeCode(oneTimeCode(2, { type: 'short' }));
        await tx.insertOneTimeCode(oneTimeCode(3, { type: 'short', expires_at: T0 + 5000 }));
        await tx.insertOneTimeCode(oneTimeCode(4, { type: 'short' }));
        await tx.insertOneTimeCode(oneTimeCode(5, { type: 'short', user_id: 'bob' }));
      });
      await store.read(async (tx) => {
        const long = await tx.findOneTimeCodeByDigest(PAIR, 'long', Buffer.alloc(32, 1));
        expect(long).toMatchObject({
          id: 'otc-1',
          type: 'long',
          user_id: 'alice@example.com',
          purpose: 'login',
          code_salt: null,
          scrypt_log_n: null,
          is_authorized: 1,
          authorized_at: T0 + 1000,
        });
        expect(long!.code_digest).toEqual(Buffer.alloc(32, 1));
        expect(await tx.findOneTimeCodeByDigest({ ...PAIR, purpose: 'other' }, 'long', Buffer.alloc(32, 1))).toBeUndefined();
        expect(await tx.findOneTimeCodeByDigest(PAIR, 'phrase', Buffer.alloc(32, 1))).toBeUndefined();
        const candidates = await tx.listShortCandidates(PAIR, { now: T0 + 6000, since: T0, limit: 10 });
        expect(candidates.map((row) => row.id)).toEqual(['otc-4', 'otc-2', 'otc-3']);
        expect(candidates[0]).toMatchObject({ code_salt: Buffer.alloc(16, 4), scrypt_log_n: 14 });
        expect((await tx.listShortCandidates(PAIR, { now: T0 + 6000, since: T0 + 2000, limit: 1 })).map((row) => row.id)).toEqual(['otc-4']);
        expect(await tx.countLiveOneTimeCodes(PAIR, 'short', T0 + 6000)).toBe(2);
        expect(await tx.countLiveOneTimeCodes(PAIR, 'long', T0 + 6000)).toBe(1);
      });
    });

    it('consumes only an authorized live code, once; authorizes keeping the first time; invalidates the live ones of a pair', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertOneTimeCode(oneTimeCode(1, { is_authorized: 0 }));
        await tx.insertOneTimeCode(oneTimeCode(2));
        await tx.insertOneTimeCode(oneTimeCode(3, { type: 'short' }));
        await tx.insertOneTimeCode(oneTimeCode(4, { user_id: 'bob' }));
      });
      expect(await store.write((tx) => tx.consumeOneTimeCode(ORG, 'otc-1', at(10_000)))).toBeUndefined();
      expect(await store.write((tx) => tx.authorizeOneTimeCode(ORG, 'otc-1', at(11_000)))).toMatchObject({ is_authorized: 1, authorized_at: T0 + 11_000 });
      expect(await store.write((tx) => tx.authorizeOneTimeCode(ORG, 'otc-1', at(12_000)))).toMatchObject({ authorized_at: T0 + 11_000 });
      expect(await store.write((tx) => tx.consumeOneTimeCode(ORG, 'otc-1', at(13_000)))).toMatchObject({ id: 'otc-1', consumed_at: T0 + 13_000 });
      expect(await store.write((tx) => tx.consumeOneTimeCode(ORG, 'otc-1', at(14_000)))).toBeUndefined();
      expect(await store.write((tx) => tx.authorizeOneTimeCode(ORG, 'otc-1', at(14_000)))).toBeUndefined();
      expect(await store.write((tx) => tx.consumeOneTimeCode(ORG, 'otc-2', at(3_600_000)))).toBeUndefined();
      const invalidated = await store.write((tx) => tx.invalidateOneTimeCodes(PAIR, 'long', at(15_000)));
      expect(invalidated).toEqual([{ seq: expect.any(Number), id: 'otc-2', organization_id: ORG, type: 'long' }]);
      expect((await store.write((tx) => tx.invalidateOneTimeCodes(PAIR, undefined, at(16_000)))).map((row) => row.id)).toEqual(['otc-3']);
      expect(await store.read((tx) => tx.findOneTimeCodeById(ORG, 'otc-4'))).toMatchObject({ invalidated_at: null, locked_until: null });
      expect((await store.read((tx) => tx.countRecords(T0 + 20_000))).one_time_codes).toEqual({
        active: 1,
        locked: 0,
        consumed: 1,
        invalidated: 2,
        expired: 0,
      });
    });

    it("keeps a pair's failures and lock, and lists codes by user, purpose and status", async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertOneTimeCode(oneTimeCode(1));
        await tx.insertOneTimeCode(oneTimeCode(2, { purpose: 'reset' }));
        await tx.insertOneTimeCode(oneTimeCode(3, { user_id: 'bob', expires_at: T0 + 5000 }));
      });
      expect(await store.read((tx) => tx.readAttempts(PAIR))).toEqual({ failures: 0, locked_until: null });
      await store.write((tx) => tx.writeAttempts(PAIR, { failures: 2, locked_until: null }));
      await store.write((tx) => tx.writeAttempts(PAIR, { failures: 3, locked_until: T0 + 60_000 }));
      expect(await store.read((tx) => tx.readAttempts(PAIR))).toEqual({ failures: 3, locked_until: T0 + 60_000 });
      expect(await store.read((tx) => tx.readAttempts({ ...PAIR, purpose: 'reset' }))).toEqual({ failures: 0, locked_until: null });
      const list = async (query: { userId?: string; purpose?: string; status: 'active' | 'locked' | 'expired' | 'all' }, limit = 10): Promise<string[]> =>
        (await store.read((tx) => tx.listOneTimeCodes({ organizationId: ORG, now: T0 + 10_000, limit, ...query }))).map((row) => row.id);
      expect(await list({ status: 'all' })).toEqual(['otc-3', 'otc-2', 'otc-1']);
      expect(await list({ status: 'locked' })).toEqual(['otc-1']);
      expect(await list({ status: 'active' })).toEqual(['otc-2']);
      expect(await list({ status: 'expired' })).toEqual(['otc-3']);
      expect(await list({ userId: 'alice@example.com', status: 'all' })).toEqual(['otc-2', 'otc-1']);
      expect(await list({ purpose: 'reset', status: 'all' })).toEqual(['otc-2']);
      expect(await list({ userId: 'alice@example.com', purpose: 'login', status: 'all' })).toEqual(['otc-1']);
      expect(await list({ status: 'all' }, 1)).toEqual(['otc-3', 'otc-2']);
      expect(await store.read((tx) => tx.findOneTimeCodeById(ORG, 'otc-1'))).toMatchObject({
        user_id: 'alice@example.com',
        purpose: 'login',
        locked_until: T0 + 60_000,
      });
      expect((await store.read((tx) => tx.countRecords(T0 + 10_000))).one_time_codes).toEqual({
        active: 1,
        locked: 1,
        consumed: 0,
        invalidated: 0,
        expired: 1,
      });
      await store.write((tx) => tx.clearAttempts(PAIR));
      expect(await store.read((tx) => tx.readAttempts(PAIR))).toEqual({ failures: 0, locked_until: null });
      expect(await store.write((tx) => tx.purgeSpent('one_time_codes', T0 + 10_000, 10))).toBe(1);
    });
  });
}
