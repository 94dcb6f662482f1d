// store info and store purge across every kind of record, once the CA and one-time
// code tables joined the store: counts by status, and purge trimming spent one-time
// codes but never a live one or a CA.
import { describe, expect, it } from 'vitest';
import { registerCaCertificate } from '../../src/core/ca-certificates/register.js';
import { invalidateOneTimeCodes } from '../../src/core/one-time-codes/invalidate.js';
import { issueOneTimeCode } from '../../src/core/one-time-codes/issue.js';
import { redeemOneTimeCode } from '../../src/core/one-time-codes/present.js';
import { getOneTimeCode } from '../../src/core/one-time-codes/query.js';
import { storeInfo } from '../../src/core/store-info.js';
import { purgeStore } from '../../src/core/store-purge.js';
import { selfSignedCa, testKey } from '../helpers/mini-ca.js';
import { testStore } from '../helpers/store.js';

const DAY = 86_400_000;

describe('store info and purge over every record kind', () => {
  it('counts CAs and one-time codes, and purges only spent one-time codes', async () => {
    const t = await testStore();
    const pair = { organizationId: t.organizationId, userId: 'alice', purpose: 'add_credential' };
    const redeemed = await issueOneTimeCode(t.ctx, { ...pair, type: 'long', authorize: true });
    await redeemOneTimeCode(t.ctx, { ...pair, type: 'long', code: redeemed.code });
    await issueOneTimeCode(t.ctx, { ...pair, userId: 'bob', type: 'long' });
    await invalidateOneTimeCodes(t.ctx, { ...pair, userId: 'bob' });
    await issueOneTimeCode(t.ctx, { ...pair, userId: 'carol', type: 'phrase', ttlMs: 3_600_000 });
    const root = selfSignedCa({ subject: 'Counted Root', key: testKey('ec-p256') });
    await registerCaCertificate(t.ctx, {
      organizationId: t.organizationId,
      certificate: { bytes: Buffer.from(root.pem), label: 'CA certificate ca.pem' },
      verified: true,
    });

    t.clock.advance(2 * 3_600_000);
    const live = await issueOneTimeCode(t.ctx, { ...pair, userId: 'dave', type: 'phrase', ttlMs: 72 * 3_600_000 });
    expect((await storeInfo(t.ctx)).records).toMatchObject({
      ca_certificates: { active: 1, inactive: 0, verified: 1, unverified: 0 },
      one_time_codes: { active: 1, locked: 0, consumed: 1, invalidated: 1, expired: 1 },
    });

    t.clock.advance(DAY);
    const result = await purgeStore(t.ctx, { olderThanMs: DAY });
    expect(result.removed).toEqual({ verification_codes: 0, one_time_codes: 3 });
    expect((await storeInfo(t.ctx)).records).toMatchObject({
      ca_certificates: { active: 1, verified: 1 },
      one_time_codes: { active: 1, consumed: 0, invalidated: 0, expired: 0 },
    });
    expect((await getOneTimeCode(t.ctx, t.organizationId, live.id)).status).toBe('active');
  });
});
