/** The contract of verification codes: lookups, the conditional consume, supersede, listing and counts. */
import { describe, expect, it } from 'vitest';
import { ORG, seeded, T0, type StoreHome } from './fixtures.js';

const HOUR = 3_600_000;
const hmac = (n: number): Buffer => Buffer.alloc(32, 100 + n);
const code = (n: number, overrides: { certificate_id?: string | null; expires_at?: number } = {}) => ({
  id: `vc-${n}`,
  organization_id: ORG,
  certificate_id: overrides.certificate_id ?? null,
  created_at: T0 + n,
  expires_at: overrides.expires_at ?? T0 + HOUR,
  code_hmac: hmac(n),
});

export function verificationCodeContract(fresh: () => Promise<StoreHome>): void {
  describe('verification codes', () => {
    it('finds a code by id and by HMAC, only in its organization', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => tx.insertVerificationCode(code(1)));
      await store.read(async (tx) => {
        const row = await tx.findVerificationCodeById(ORG, 'vc-1');
        expect(row).toMatchObject({ id: 'vc-1', organization_id: ORG, certificate_id: null, created_at: T0 + 1, expires_at: T0 + HOUR, consumed_at: null });
        expect(typeof row!.seq).toBe('number');
        expect(await tx.findVerificationCodeByHmac(ORG, hmac(1))).toEqual(row);
        expect(await tx.findVerificationCodeByHmac('org-2', hmac(1))).toBeUndefined();
        expect(await tx.findVerificationCodeById(ORG, 'vc-9')).toBeUndefined();
      });
    });

    it('consumes a live code once: a second consume, or one after expiry, gets nothing', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertVerificationCode(code(1));
        await tx.insertVerificationCode(code(2, { expires_at: T0 + 10 }));
      });
      const first = await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(1), T0 + 5));
      expect(first).toMatchObject({ id: 'vc-1', consumed_at: T0 + 5 });
      expect(await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(1), T0 + 6))).toBeUndefined();
      expect(await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(2), T0 + 10))).toBeUndefined();
      expect(await store.read((tx) => tx.findVerificationCodeById(ORG, 'vc-2'))).toMatchObject({ consumed_at: null });
    });

    it('supersedes the live codes bound to a CA, and finds the newer one', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        await tx.insertVerificationCode(code(1, { certificate_id: 'ca-1' }));
        await tx.insertVerificationCode(code(2, { certificate_id: 'ca-1' }));
        await tx.insertVerificationCode(code(3, { certificate_id: 'ca-2' }));
      });
      await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(2), T0 + 50));
      const superseded = await store.write((tx) => tx.supersedeBoundVerificationCodes(ORG, 'ca-1', T0 + 100));
      expect(superseded.map((row) => row.id)).toEqual(['vc-1']);
      expect(await store.read((tx) => tx.findVerificationCodeById(ORG, 'vc-1'))).toMatchObject({ expires_at: T0 + 100 });
      await store.write(async (tx) => tx.insertVerificationCode(code(4, { certificate_id: 'ca-1' })));
      const first = (await store.read((tx) => tx.findVerificationCodeById(ORG, 'vc-1')))!;
      expect(await store.read((tx) => tx.findNewerBoundVerificationCode(first))).toMatchObject({ id: 'vc-2' });
      const last = (await store.read((tx) => tx.findVerificationCodeById(ORG, 'vc-4')))!;
      expect(await store.read((tx) => tx.findNewerBoundVerificationCode(last))).toBeUndefined();
    });

    it('lists by status, newest first, a page of limit + 1 at a time', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        for (let n = 1; n <= 5; n += 1) await tx.insertVerificationCode(code(n, { expires_at: n === 5 ? T0 + 10 : T0 + HOUR }));
        await tx.insertVerificationCode({ ...code(6), organization_id: 'org-2' });
      });
      await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(1), T0 + 20));
      const ids = async (status: 'active' | 'consumed' | 'expired' | 'all', limit = 10, beforeSeq?: number): Promise<string[]> =>
        (await store.read((tx) => tx.listVerificationCodes({ organizationId: ORG, status, now: T0 + 100, limit, beforeSeq }))).map((row) => row.id);
      expect(await ids('all')).toEqual(['vc-5', 'vc-4', 'vc-3', 'vc-2', 'vc-1']);
      expect(await ids('active')).toEqual(['vc-4', 'vc-3', 'vc-2']);
      expect(await ids('consumed')).toEqual(['vc-1']);
      expect(await ids('expired')).toEqual(['vc-5']);
      const page = await store.read((tx) => tx.listVerificationCodes({ organizationId: ORG, status: 'all', now: T0 + 100, limit: 2 }));
      expect(page.map((row) => row.id)).toEqual(['vc-5', 'vc-4', 'vc-3']);
      expect(await ids('all', 2, page[1]!.seq)).toEqual(['vc-3', 'vc-2', 'vc-1']);
    });

    it('counts codes by status from kept counters, and purges only spent ones', async () => {
      const store = await seeded(await fresh());
      await store.write(async (tx) => {
        for (let n = 1; n <= 4; n += 1) await tx.insertVerificationCode(code(n, { expires_at: n === 4 ? T0 + 10 : T0 + HOUR }));
      });
      await store.write((tx) => tx.consumeVerificationCode(ORG, hmac(1), T0 + 5));
      const counts = await store.read((tx) => tx.countRecords(T0 + 100));
      expect(counts.verification_codes).toEqual({ active: 2, consumed: 1, expired: 1 });
      // Nothing stopped being usable at or before T0 + 4.
      expect(await store.write((tx) => tx.purgeSpent('verification_codes', T0 + 4, 100))).toBe(0);
      expect(await store.write((tx) => tx.purgeSpent('verification_codes', T0 + 100, 1))).toBe(1);
      expect(await store.write((tx) => tx.purgeSpent('verification_codes', T0 + 100, 100))).toBe(1);
      expect((await store.read((tx) => tx.countRecords(T0 + 100))).verification_codes).toEqual({ active: 2, consumed: 0, expired: 0 });
    });
  });
}
