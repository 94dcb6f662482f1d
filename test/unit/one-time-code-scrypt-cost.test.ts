/**
 * Short codes are stored as scrypt hashes whose cost is recorded per row
 * (`scrypt_log_n`, schema version 4), so the cost for new codes can change without
 * breaking the codes already issued.
 */
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCRYPT_LOG_N, scryptCode } from '../../src/core/codes/hashing.js';
import { issueOneTimeCode, prepareOneTimeCode, redeemOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import type { Store } from '../../src/store/store.js';
import { TEST_KEY, testStore } from '../helpers/store.js';

const PAIR = { userId: 'alice', purpose: 'add_device' };

function storedRow(store: Store, id: string): { type: string; code_salt: Buffer | null; scrypt_log_n: number | null } {
  return store.db.prepare('SELECT type, code_salt, scrypt_log_n FROM one_time_codes WHERE id = ?').get(id.split(':').at(-1)) as never;
}

describe('the scrypt cost of short codes', () => {
  it('is 2^15 with r = 8 for new codes, recorded with each short code and absent for the others', async () => {
    const t = await testStore();
    const short = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR });
    const long = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR });
    expect(SCRYPT_LOG_N).toBe(15);
    const row = storedRow(t.connection, short.id);
    expect(row.scrypt_log_n).toBe(15);
    const digest = t.connection.db.prepare('SELECT code_digest FROM one_time_codes WHERE type = ?').get('short') as { code_digest: Buffer };
    expect(digest.code_digest).toEqual(scryptSync(short.code, row.code_salt!, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 << 20 }));
    expect(storedRow(t.connection, long.id).scrypt_log_n).toBeNull();
  });

  it('redeems a code hashed at another cost (2^14, as before schema version 4)', async () => {
    const t = await testStore();
    const issued = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR, authorize: true });
    const salt = storedRow(t.connection, issued.id).code_salt!;
    t.connection.db
      .prepare('UPDATE one_time_codes SET code_digest = ?, scrypt_log_n = 14 WHERE type = ?')
      .run(scryptSync(issued.code, salt, 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 << 20 }), 'short');
    const redeemed = await redeemOneTimeCode(t.ctx, { organizationId: t.organizationId, ...PAIR, code: issued.code });
    expect(redeemed.status).toBe('consumed');
  });

  it('schema version 4 gives the short codes of an older store the cost they were made with', async () => {
    const t = await testStore();
    const issued = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR, authorize: true });
    const salt = storedRow(t.connection, issued.id).code_salt!;
    // Back to version 3: no cost column, and a hash made at 2^14 as version 3 did.
    t.connection.db.exec('ALTER TABLE one_time_codes DROP COLUMN scrypt_log_n; PRAGMA user_version = 3');
    t.connection.db.prepare('UPDATE one_time_codes SET code_digest = ?').run(scryptSync(issued.code, salt, 32, { N: 2 ** 14, r: 8, p: 1, maxmem: 64 << 20 }));
    await t.ctx.store.close();

    const store = await openSqliteStore(t.path, { mode: 'key-file', key: TEST_KEY });
    try {
      // Migrated through version 4 (and any later version) to this build's schema.
      expect(store.connection.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(storedRow(store.connection, issued.id).scrypt_log_n).toBe(14);
      const redeemed = await redeemOneTimeCode({ ...t.ctx, store }, { organizationId: t.organizationId, ...PAIR, code: issued.code });
      expect(redeemed.status).toBe('consumed');
    } finally {
      await store.close();
    }
  });

  it('the schema refuses a cost outside 2^10..2^16, or on a long code', async () => {
    const t = await testStore();
    const short = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR });
    const long = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'long', ...PAIR });
    const setCost = (id: string, cost: number) =>
      t.connection.db.prepare('UPDATE one_time_codes SET scrypt_log_n = ? WHERE id = ?').run(cost, id.split(':').at(-1));
    expect(() => setCost(short.id, 9)).toThrow(/CHECK constraint failed/);
    expect(() => setCost(short.id, 17)).toThrow(/CHECK constraint failed/);
    expect(() => setCost(long.id, 11)).toThrow(/CHECK constraint failed/);
  });

  it('scryptCode refuses a cost it would not store', async () => {
    await expect(scryptCode('123456', Buffer.alloc(16), 9)).rejects.toThrow('scrypt cost 2^9 is outside 2^10..2^16');
    await expect(scryptCode('123456', Buffer.alloc(16), 11.5)).rejects.toThrow(RangeError);
  });

  it('a prepared code is issued as generated, and must be of the type asked for', async () => {
    const t = await testStore();
    const prepared = await prepareOneTimeCode('short', t.ctx.random);
    const issued = await issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR, prepared });
    expect(issued.code).toBe(prepared.code);
    const long = await prepareOneTimeCode('long', t.ctx.random);
    await expect(issueOneTimeCode(t.ctx, { organizationId: t.organizationId, type: 'short', ...PAIR, prepared: long })).rejects.toThrow(
      'a prepared long code cannot be issued as short',
    );
    // Nothing else was recorded: the one issued code, no row for the refused one.
    expect((t.connection.db.prepare('SELECT count(*) AS n FROM one_time_codes').get() as { n: number }).n).toBe(1);
  });
});
