/**
 * Model-based test of the attempt limit: random sequences of issuing, right and wrong
 * redeems and clock moves, checked step by step against a plain model of SPEC section
 * 4 (10 consecutive failures lock for 15 minutes; success resets; issuing does not).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issueOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { testStore } from '../helpers/store.js';

type Step = { kind: 'issue' } | { kind: 'right'; pick: number } | { kind: 'wrong' } | { kind: 'advance'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'issue' as const }), weight: 2 },
  { arbitrary: fc.nat(20).map((pick) => ({ kind: 'right' as const, pick })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'wrong' as const }), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 20 * 60_000 }).map((ms) => ({ kind: 'advance' as const, ms })), weight: 1 },
);

interface Model {
  failures: number;
  lockedUntil: number | null;
  codes: Array<{ code: string; expiresAt: number; used: boolean }>;
}

/** What the model expects a redeem to answer, and its effect. */
function expectRedeem(model: Model, now: number, code: { expiresAt: number; used: boolean } | undefined): string {
  if (model.lockedUntil !== null && now < model.lockedUntil) return 'locked';
  if (code && !code.used && now < code.expiresAt) {
    code.used = true;
    model.failures = 0;
    model.lockedUntil = null;
    return 'ok';
  }
  if (model.lockedUntil !== null) model.failures = 0;
  model.failures += 1;
  model.lockedUntil = model.failures >= 10 ? Math.ceil(now / 1000) * 1000 + 15 * 60_000 : null;
  return 'invalid_code';
}

describe('the attempt limit against a model', () => {
  it('answers every step as the model does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 12, maxLength: 60, size: 'max' }), async (steps) => {
        const t = await testStore();
        const model: Model = { failures: 0, lockedUntil: null, codes: [] };
        const pair = { organizationId: t.organizationId, userId: 'model', purpose: 'p' };
        for (const s of steps) {
          const now = t.clock.now().getTime();
          if (s.kind === 'advance') {
            t.clock.advance(s.ms);
          } else if (s.kind === 'issue') {
            const { code } = await issueOneTimeCode(t.ctx, { ...pair, type: 'long', authorize: true });
            model.codes.push({ code, expiresAt: now + 3_600_000, used: false });
          } else {
            const chosen = s.kind === 'right' && model.codes.length > 0 ? model.codes[s.pick % model.codes.length] : undefined;
            const expected = expectRedeem(model, now, chosen);
            const actual = await redeemOneTimeCode(t.ctx, { ...pair, code: chosen?.code ?? 'W'.repeat(32) }).then(
              () => 'ok',
              (e: { code: string }) => e.code,
            );
            expect(actual).toBe(expected);
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
