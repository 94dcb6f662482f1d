/**
 * `audit verify` holds the codes tables against the log. Each case changes the state
 * the way a partial rollback would (or the log the way only a key holder could) and
 * expects the disagreement named.
 */
import { describe, expect, it } from 'vitest';
import { recordEvent, verifyAuditChain } from '../../src/core/audit.js';
import { crossCheckState } from '../../src/core/audit/cross-check.js';
import { invalidateOneTimeCodes, issueOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { purgeStore } from '../../src/core/store-purge.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore, type TestStore } from '../helpers/store.js';

const PAIR = { userId: 'alice', purpose: 'add_credential' };
const NEXT = { kind: 'compare_with_anchor' };

/** A store with two verification codes (the first consumed) and one-time codes: one redeemed, one invalidated. */
async function spentStore(): Promise<TestStore & { consumed: string; redeemed: string; invalidated: string }> {
  const t = await testStore();
  const first = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
  await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
  await consumeVerificationCode(t.ctx, t.organizationId, first.code, 'cn');
  const redeemed = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR, authorize: true });
  await redeemOneTimeCode(t.ctx, { organizationId: t.organizationId, ...PAIR, code: redeemed.code });
  const invalidated = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR });
  await invalidateOneTimeCodes(t.ctx, { organizationId: t.organizationId, ...PAIR });
  return { ...t, consumed: first.id, redeemed: redeemed.id, invalidated: invalidated.id };
}

const idOf = (prn: string): string => prn.split(':').at(-1)!;

async function expectDisagreement(t: TestStore, problem: string): Promise<void> {
  await expect(verifyAuditChain(t.ctx)).rejects.toThrowError(
    expect.objectContaining({
      code: 'audit_broken',
      message: `the store disagrees with its audit log: ${problem}`,
      next: NEXT,
    }),
  );
}

function seqOf(t: TestStore, action: string, subject: string): number {
  return t.connection.db
    .prepare("SELECT seq FROM audit_events WHERE action = ? AND subject = ? AND outcome = 'success'")
    .pluck()
    .get(action, subject) as number;
}

describe('audit verify cross-checks the store against the log', () => {
  it('passes on a store used normally, and after a purge', async () => {
    const t = await spentStore();
    expect((await verifyAuditChain(t.ctx)).events).toBe(9);
    t.clock.advance(40 * 86_400_000);
    await purgeStore(t.ctx, {});
    expect((await verifyAuditChain(t.ctx)).events).toBe(10);
  });

  it('names a consumed code the log never saw consumed', async () => {
    const t = await spentStore();
    const other = t.connection.db.prepare('SELECT id FROM verification_codes WHERE consumed_at IS NULL').pluck().get() as string;
    t.connection.db.prepare('UPDATE verification_codes SET consumed_at = created_at WHERE id = ?').run(other);
    await expectDisagreement(
      t,
      `prn:1:${t.organizationId}:ca_verification_code:${other} is consumed in the store, but the log has no verification_code.consume event for it`,
    );
  });

  it.each([
    ['verification code', 'verification_codes', 'consumed_at', 'consumed', 'verification_code.consume'],
    ['redeemed code', 'one_time_codes', 'consumed_at', 'redeemed', 'code.redeem'],
    ['invalidated code', 'one_time_codes', 'invalidated_at', 'invalidated', 'code.invalidate'],
  ] as const)('names the %s the log spent but the store shows unspent (its page rolled back)', async (_what, table, column, which, action) => {
    const t = await spentStore();
    t.connection.db.prepare(`UPDATE ${table} SET ${column} = NULL WHERE id = ?`).run(idOf(t[which]));
    const word = column === 'consumed_at' ? 'consumed' : 'invalidated';
    await expectDisagreement(t, `event ${seqOf(t, action, t[which])} (${action}) says ${t[which]} was ${word}, but the store shows it not ${word}`);
  });

  it('names a code the log spends twice', async () => {
    const t = await spentStore();
    const first = seqOf(t, 'code.redeem', t.redeemed);
    const second = (
      await t.ctx.store.write((tx) =>
        recordEvent(t.ctx, tx, { action: 'code.redeem', organization_id: `prn:1:${t.organizationId}`, subject: t.redeemed, outcome: 'success', reason: null }),
      )
    ).seq;
    await expectDisagreement(t, `the log spends ${t.redeemed} more than once (events ${first} and ${second})`);
  });

  it('names codes that vanished from the store without a purge (a page from before they existed)', async () => {
    const t = await spentStore();
    t.connection.db.prepare('DELETE FROM one_time_codes WHERE id = ?').run(idOf(t.invalidated));
    await expectDisagreement(t, 'the log issued 2 one time codes, but the store holds 1 and 0 were purged');
  });

  it('accounts for codes invalidated before schema version 5 by the one event for their user and purpose', async () => {
    const t = await spentStore();
    // As the old code wrote it: no event per code, only the summary for the pair.
    t.connection.db.prepare("DELETE FROM audit_events WHERE action = 'code.invalidate' AND subject IS NOT NULL").run();
    const summary = t.connection.db.prepare("SELECT seq FROM audit_events WHERE action = 'code.invalidate'").pluck().get() as number;
    await expect(t.ctx.store.read((tx) => crossCheckState(tx, summary + 1))).resolves.toBeUndefined();
    // A summary written under schema version 5 accounts for nothing: each code needs its own.
    await expect(t.ctx.store.read((tx) => crossCheckState(tx, summary))).rejects.toThrow(
      `the store disagrees with its audit log: ${t.invalidated} is invalidated in the store, but the log has no code.invalidate event for it`,
    );
  });

  it('accounts for a code invalidated before schema version 5 only by a summary of its own organization, user and purpose', async () => {
    const t = await spentStore();
    t.connection.db.prepare("DELETE FROM audit_events WHERE action = 'code.invalidate' AND subject IS NOT NULL").run();
    const summary = t.connection.db.prepare("SELECT seq FROM audit_events WHERE action = 'code.invalidate'").pluck().get() as number;
    const problem = `the store disagrees with its audit log: ${t.invalidated} is invalidated in the store, but the log has no code.invalidate event for it`;
    for (const change of [
      "json_set(details, '$.purpose', 'temporary_authentication')",
      "json_set(details, '$.user_id', 'bob')",
      // The same user as a number, which SQL never equals to the text column.
      "json_set(details, '$.user_id', 7)",
    ]) {
      t.connection.db.prepare(`UPDATE audit_events SET details = ${change} WHERE seq = ?`).run(summary);
      await expect(t.ctx.store.read((tx) => crossCheckState(tx, summary + 1))).rejects.toThrow(problem);
      t.connection.db
        .prepare("UPDATE audit_events SET details = json_set(json_set(details, '$.purpose', ?), '$.user_id', ?) WHERE seq = ?")
        .run(PAIR.purpose, PAIR.userId, summary);
      await expect(t.ctx.store.read((tx) => crossCheckState(tx, summary + 1))).resolves.toBeUndefined();
    }
    t.connection.db.prepare("UPDATE audit_events SET organization_id = 'prn:1:00000000-0000-4000-8000-000000000000' WHERE seq = ?").run(summary);
    await expect(t.ctx.store.read((tx) => crossCheckState(tx, summary + 1))).rejects.toThrow(problem);
  });
});
