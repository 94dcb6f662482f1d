/**
 * The store prepares each statement once (issue 13: preparing cost more than running
 * most statements of a bulk path), and its one transaction function keeps every unit
 * of work atomic, nested units included.
 */
import { describe, expect, it } from 'vitest';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';

describe('store statements and transactions', () => {
  it('prepares a statement once and reuses it, bound to a fixed number', () => {
    const { ctx } = testStore();
    const sql = 'SELECT count(*) AS n FROM verification_codes';
    const first = ctx.store.prepare(sql);
    expect(ctx.store.prepare(sql)).toBe(first);
    for (let i = 0; i < 300; i += 1) ctx.store.prepare(`SELECT ${i} AS n`);
    const again = ctx.store.prepare(sql);
    expect(again.get()).toEqual({ n: 0 });
    expect(ctx.store.prepare(sql)).toBe(again);
  });

  it('runs reused statements with fresh parameters in every unit of work', () => {
    const { ctx, organizationId } = testStore();
    const codes = [1, 2, 3].map(() => issueVerificationCode(ctx, { organizationId }).code);
    for (const code of codes) expect(consumeVerificationCode(ctx, organizationId, code, 'test').consumed_at).not.toBeNull();
    const spent = ctx.store.db.prepare('SELECT count(*) FROM verification_codes WHERE consumed_at IS NOT NULL').pluck().get();
    expect(spent).toBe(3);
  });

  it('rolls back a failed unit of work, and a failed nested one alone', () => {
    const { ctx } = testStore();
    const count = () => ctx.store.db.prepare('SELECT count(*) FROM meta').pluck().get() as number;
    const before = count();
    expect(() => ctx.store.write(() => {
      ctx.store.prepare("INSERT INTO meta (key, value) VALUES ('a', x'01')").run();
      throw new Error('abort');
    })).toThrow('abort');
    expect(count()).toBe(before);
    ctx.store.write(() => {
      ctx.store.prepare("INSERT INTO meta (key, value) VALUES ('b', x'01')").run();
      expect(() => ctx.store.write(() => {
        ctx.store.prepare("INSERT INTO meta (key, value) VALUES ('c', x'01')").run();
        throw new Error('inner');
      })).toThrow('inner');
    });
    expect(ctx.store.db.prepare('SELECT key FROM meta WHERE key IN (?, ?, ?) ORDER BY key').pluck().all('a', 'b', 'c')).toEqual(['b']);
  });
});
