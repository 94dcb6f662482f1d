/**
 * `store info`'s counts come from counters kept by triggers and from the live-code
 * indexes (issue 13): they must equal a full count of the rows after any mix of
 * changes, and survive the migration that creates them, purge, backup and rekey.
 * Listing by status reads only the index of that status.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/core/context.js';
import { invalidateOneTimeCodes, issueOneTimeCode, listOneTimeCodes, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { backupStore } from '../../src/core/store-backup.js';
import { storeInfo } from '../../src/core/store-info.js';
import { purgeStore } from '../../src/core/store-purge.js';
import { rekeyStore } from '../../src/core/store-rekey.js';
import { consumeVerificationCode, issueVerificationCode, listVerificationCodes } from '../../src/core/verification-codes.js';
import type { StoreKey } from '../../src/core/records.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-port.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY, testStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const MINUTE = 60_000;
/** The SQLite handle under a test context's port, for the independent scans and the query plans. */
const dbOf = (ctx: CoreContext) => (ctx.store as SqliteStore).connection.db;
const KEY: StoreKey = { mode: 'key-file', key: TEST_KEY };

/** The counts by a full scan of every row, written independently of the store's queries. */
function scannedCounts(ctx: CoreContext) {
  const now = ctx.clock.now().getTime();
  const db = dbOf(ctx);
  const vc = db
    .prepare(`SELECT coalesce(sum(consumed_at IS NULL AND expires_at > @now), 0) AS active, coalesce(sum(consumed_at IS NOT NULL), 0) AS consumed,
    coalesce(sum(consumed_at IS NULL AND expires_at <= @now), 0) AS expired FROM verification_codes`)
    .get({ now });
  const otc = db
    .prepare(`SELECT
      coalesce(sum(live AND NOT locked), 0) AS active, coalesce(sum(live AND locked), 0) AS locked,
      coalesce(sum(consumed_at IS NOT NULL), 0) AS consumed, coalesce(sum(consumed_at IS NULL AND invalidated_at IS NOT NULL), 0) AS invalidated,
      coalesce(sum(consumed_at IS NULL AND invalidated_at IS NULL AND expires_at <= @now), 0) AS expired
    FROM (SELECT c.*, (c.consumed_at IS NULL AND c.invalidated_at IS NULL AND c.expires_at > @now) AS live,
            coalesce((SELECT locked_until > @now FROM one_time_code_attempts a WHERE a.organization_id = c.organization_id AND a.user_id = c.user_id AND a.purpose = c.purpose), 0) AS locked
          FROM one_time_codes c)`)
    .get({ now });
  const events = db.prepare('SELECT count(*) FROM audit_events').pluck().get();
  return { verification_codes: { ...(vc as object) }, one_time_codes: { ...(otc as object) }, events };
}

async function reportedCounts(ctx: CoreContext) {
  const info = await storeInfo(ctx);
  return { verification_codes: info.records.verification_codes, one_time_codes: info.records.one_time_codes, events: info.audit.events };
}

/** A seeded mix of every kind of change, with the clock moving on. */
async function churn(ctx: CoreContext & { clock: { advance(ms: number): void } }, organizationId: string, seed: number): Promise<void> {
  const pick = seededRandom(`churn-${seed}`);
  const users = ['ann', 'bob', 'cy'];
  for (let step = 0; step < 60; step += 1) {
    const pair = { organizationId, userId: users[pick.int(users.length)]!, purpose: 'add_credential' };
    const type = pick.int(2) === 0 ? ('long' as const) : ('phrase' as const);
    switch (pick.int(6)) {
      case 0: {
        const { code } = await issueVerificationCode(ctx, { organizationId, ttlMs: (5 + pick.int(30)) * MINUTE });
        if (pick.int(2) === 0) await consumeVerificationCode(ctx, organizationId, code, 'test');
        break;
      }
      case 1: {
        const { code } = await issueOneTimeCode(ctx, { ...pair, type, authorize: true });
        // The pair may be locked by earlier wrong codes.
        if (pick.int(2) === 0) await redeemOneTimeCode(ctx, { ...pair, type, code }).catch(() => undefined);
        break;
      }
      case 2:
        await issueOneTimeCode(ctx, { ...pair, type, authorize: pick.int(2) === 0 });
        await invalidateOneTimeCodes(ctx, pair);
        break;
      case 3:
        // Wrong codes: ten of them lock the pair.
        for (let i = 0; i < 10; i += 1) await redeemOneTimeCode(ctx, { ...pair, type: 'long', code: 'A'.repeat(32) }).catch(() => undefined);
        break;
      case 4:
        await issueOneTimeCode(ctx, { ...pair, type: 'phrase', authorize: true });
        break;
      default:
        ctx.clock.advance(pick.int(20) * MINUTE);
    }
  }
}

describe('store info counts', () => {
  it('equal a full count after any mix of issues, uses, invalidations, locks, expiries and purges', async () => {
    const { ctx, clock, organizationId } = await testStore();
    for (let round = 0; round < 4; round += 1) {
      await churn({ ...ctx, clock }, organizationId, round);
      expect(await reportedCounts(ctx)).toEqual(scannedCounts(ctx));
      if (round === 1) await purgeStore(ctx, { olderThanMs: 10 * MINUTE });
      if (round === 1) expect(await reportedCounts(ctx)).toEqual(scannedCounts(ctx));
    }
    // A live code of a locked pair counts as locked.
    const pair = { organizationId, userId: 'dee', purpose: 'add_credential' };
    await issueOneTimeCode(ctx, { ...pair, type: 'phrase', authorize: true });
    for (let i = 0; i < 10; i += 1) await redeemOneTimeCode(ctx, { ...pair, type: 'long', code: 'A'.repeat(32) }).catch(() => undefined);
    expect(await reportedCounts(ctx)).toEqual(scannedCounts(ctx));
    expect((await reportedCounts(ctx)).one_time_codes!.locked).toBe(1);
    expect((await reportedCounts(ctx)).verification_codes!.expired).toBeGreaterThan(0);
  });

  it('are created from the rows already there when an older store is migrated', async () => {
    const { ctx, clock, path, organizationId } = await testStore();
    await churn({ ...ctx, clock }, organizationId, 7);
    const expected = scannedCounts(ctx);
    // Back to schema 4: what a store written before the counters looks like.
    const v5 = dbOf(ctx)
      .prepare(`SELECT type, name FROM sqlite_master WHERE type = 'trigger' OR name = 'record_counts'
      OR name IN ('verification_codes_live_by_expiry', 'verification_codes_unconsumed', 'verification_codes_consumed', 'one_time_codes_live_by_expiry',
                  'one_time_codes_unspent', 'one_time_codes_consumed', 'one_time_codes_invalidated')`)
      .all() as Array<{ type: string; name: string }>;
    for (const { type, name } of v5) dbOf(ctx).exec(`DROP ${type.toUpperCase()} ${name}`);
    dbOf(ctx).pragma('user_version = 4');
    await ctx.store.close();

    const store = await openSqliteStore(path, KEY);
    try {
      const reopened = { ...ctx, store };
      expect(await reportedCounts(reopened)).toEqual(expected);
      await churn({ ...reopened, clock }, organizationId, 8);
      expect(await reportedCounts(reopened)).toEqual(scannedCounts(reopened));
    } finally {
      await store.close();
    }
  });

  it('travel with backups and rekeys', async () => {
    const { ctx, clock, path, organizationId } = await testStore();
    await churn({ ...ctx, clock }, organizationId, 3);
    const out = join(tempDir(), 'backup.db');
    await backupStore(ctx, out);
    const copy = await openSqliteStore(out, KEY);
    try {
      expect(await reportedCounts({ ...ctx, store: copy })).toEqual(scannedCounts({ ...ctx, store: copy }));
    } finally {
      await copy.close();
    }
    const newKey: StoreKey = { mode: 'key-file', key: Buffer.alloc(32, 9) };
    await rekeyStore(ctx, newKey);
    const rekeyed = await openSqliteStore(path, newKey);
    try {
      expect(await reportedCounts({ ...ctx, store: rekeyed })).toEqual(scannedCounts({ ...ctx, store: rekeyed }));
    } finally {
      await rekeyed.close();
    }
  });
});

/** The query plans of every SELECT `work` runs, with the values it ran it with. */
async function plansOf(ctx: CoreContext, work: () => Promise<unknown>): Promise<string[]> {
  const db = dbOf(ctx);
  const prepare = db.prepare.bind(db);
  const plans: string[] = [];
  db.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (!/^\s*SELECT/i.test(sql)) return statement;
    const explain = (args: unknown[]) =>
      plans.push((prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join('; '));
    return new Proxy(statement, {
      get: (target, property) =>
        ['get', 'all', 'iterate'].includes(String(property))
          ? (...args: unknown[]) => {
              explain(args);
              return (target as unknown as Record<string, (...a: unknown[]) => unknown>)[String(property)]!(...args);
            }
          : Reflect.get(target, property),
    });
  }) as typeof db.prepare;
  try {
    await work();
  } finally {
    db.prepare = prepare;
  }
  return plans;
}

describe('listing by status', () => {
  it('returns exactly the codes of that status, newest first', async () => {
    const { ctx, clock, organizationId } = await testStore();
    await churn({ ...ctx, clock }, organizationId, 5);
    const now = clock.now().getTime();
    for (const status of ['active', 'consumed', 'expired', 'all'] as const) {
      const listed = (await listVerificationCodes(ctx, { organizationId, status, limit: 1000 })).items.map((c) => c.id);
      const all = (await listVerificationCodes(ctx, { organizationId, status: 'all', limit: 1000 })).items;
      expect(listed).toEqual(all.filter((c) => status === 'all' || c.status === status).map((c) => c.id));
    }
    for (const status of ['active', 'locked', 'consumed', 'invalidated', 'expired'] as const) {
      for (const filter of [{}, { userId: 'ann' }, { purpose: 'add_credential' }, { userId: 'bob', purpose: 'add_credential' }]) {
        const listed = (await listOneTimeCodes(ctx, { organizationId, status, limit: 1000, ...filter })).items.map((c) => c.id);
        const all = (await listOneTimeCodes(ctx, { organizationId, status: 'all', limit: 1000 })).items;
        const expected = all.filter((c) => c.status === status && (!('userId' in filter) || c.user_id === filter.userId)).map((c) => c.id);
        expect(listed, `${status} ${JSON.stringify(filter)}`).toEqual(expected);
      }
    }
    expect(now).toBe(clock.now().getTime());
  });

  it('reads only the index of the status asked for, never the whole table', async () => {
    const { ctx, organizationId } = await testStore();
    const expectations = [
      ['active', 'verification_codes_live_by_expiry'],
      ['consumed', 'verification_codes_consumed'],
      ['expired', 'verification_codes_unconsumed'],
    ] as const;
    for (const [status, index] of expectations) {
      const plans = await plansOf(ctx, () => listVerificationCodes(ctx, { organizationId, status }));
      expect(plans.join('\n')).toContain(`USING INDEX ${index}`);
    }
    for (const [status, index] of [
      ['active', 'one_time_codes_live_by_expiry'],
      ['locked', 'one_time_codes_live_by_expiry'],
      ['consumed', 'one_time_codes_consumed'],
      ['invalidated', 'one_time_codes_invalidated'],
      ['expired', 'one_time_codes_unspent'],
    ] as const) {
      const plans = await plansOf(ctx, () => listOneTimeCodes(ctx, { organizationId, status }));
      expect(plans.join('\n')).toContain(`USING INDEX ${index}`);
    }
    const counting = (await plansOf(ctx, () => storeInfo(ctx))).join('\n');
    expect(counting).not.toMatch(/SCAN (c|v|verification_codes|one_time_codes|audit_events)\b(?! USING)/);
  });
});
