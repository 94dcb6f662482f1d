/**
 * The store prepares each statement once (issue 13: preparing cost more than running
 * most statements of a bulk path), and its one transaction function keeps every unit
 * of work atomic, nested units included.
 */
import { describe, expect, it } from 'vitest';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';

describe('store statements and transactions', () => {
  it('prepares a statement once and reuses it, bound to a fixed number', async () => {
    const { connection } = await testStore();
    const sql = 'SELECT count(*) AS n FROM verification_codes';
    const first = connection.prepare(sql);
    expect(connection.prepare(sql)).toBe(first);
    for (let i = 0; i < 300; i += 1) connection.prepare(`SELECT ${i} AS n`);
    const again = connection.prepare(sql);
    expect(again.get()).toEqual({ n: 0 });
    expect(connection.prepare(sql)).toBe(again);
  });

  it('runs reused statements with fresh parameters in every unit of work', async () => {
    const { ctx, organizationId, connection } = await testStore();
    const issued = [];
    for (let i = 0; i < 3; i += 1) issued.push(await issueVerificationCode(ctx, { organizationId }));
    for (const { id, code } of issued)
      expect(`prn:1:${organizationId}:ca_verification_code:${(await consumeVerificationCode(ctx, organizationId, code, 'test')).id}`).toBe(id);
    const spent = connection.db.prepare('SELECT count(*) FROM verification_codes WHERE consumed_at IS NOT NULL').pluck().get();
    expect(spent).toBe(3);
  });

  it('rolls back a failed unit of work, and a failed nested one alone', async () => {
    const { connection: store } = await testStore();
    const count = () => store.db.prepare('SELECT count(*) FROM meta').pluck().get() as number;
    const before = count();
    expect(() =>
      store.write(() => {
        store.prepare("INSERT INTO meta (key, value) VALUES ('a', x'01')").run();
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(count()).toBe(before);
    store.write(() => {
      store.prepare("INSERT INTO meta (key, value) VALUES ('b', x'01')").run();
      expect(() =>
        store.write(() => {
          store.prepare("INSERT INTO meta (key, value) VALUES ('c', x'01')").run();
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.db.prepare('SELECT key FROM meta WHERE key IN (?, ?, ?) ORDER BY key').pluck().all('a', 'b', 'c')).toEqual(['b']);
  });
});
