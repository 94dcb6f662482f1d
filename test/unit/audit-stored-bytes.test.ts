/**
 * The chain hashes the bytes that are stored. Rows that are not JSON are a broken
 * chain (for verify, list and export alike), a duplicated key no longer passes, and
 * a store written by the old code path (details in insertion order, hashed over
 * their canonical form, before schema version 5) still verifies.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../src/core/audit/chain.js';
import { exportAudit } from '../../src/core/audit-export.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { TEST_KEY, testStore, type TestStore } from '../helpers/store.js';

async function withCodes(n = 3): Promise<TestStore> {
  const t = await testStore();
  for (let i = 0; i < n; i += 1) await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
  return t;
}

const BROKEN_AT_3 = { code: 'audit_broken', message: 'audit log is broken at event 3: its details are not valid JSON' };

describe('the audit chain covers the stored bytes', () => {
  it('stores details as canonical JSON, so the stored text is what the hash covers', async () => {
    const t = await withCodes(1);
    const row = t.connection.db.prepare('SELECT details FROM audit_events WHERE seq = 2').get() as { details: string };
    expect(row.details).toBe(canonicalJson(JSON.parse(row.details)));
    expect(row.details).toMatch(/^\{"certificate_etag":null,"certificate_prn":null,"expires_at":"[^"]+","length":32\}$/);
  });

  it('a row whose details are not JSON is a broken chain for verify, list and export', async () => {
    const t = await withCodes();
    t.connection.db.exec('UPDATE audit_events SET details = \'{"length":\' WHERE seq = 3');
    await expect(verifyAuditChain(t.ctx)).rejects.toThrowError(expect.objectContaining(BROKEN_AT_3));
    await expect(listAudit(t.ctx)).rejects.toThrowError(expect.objectContaining(BROKEN_AT_3));
    await expect(exportAudit(t.ctx, {}, () => {})).rejects.toThrowError(expect.objectContaining(BROKEN_AT_3));
  });

  it('even when whoever wrote it also recomputed the hash over it', async () => {
    const t = await withCodes();
    const row = t.connection.db.prepare('SELECT * FROM audit_events WHERE seq = 3').get() as Record<string, string>;
    const bad = '{"length":32,}';
    const text = `{"action":"${row.action}","at":"${row.at}","details":${bad},"organization_id":"${row.organization_id}","outcome":"success","reason":null,"seq":3,"subject":"${row.subject}"}`;
    t.connection.db.prepare('UPDATE audit_events SET details = ?, hash = ? WHERE seq = 3').run(
      bad,
      createHash('sha256')
        .update(row.prev_hash + text)
        .digest('hex'),
    );
    await expect(verifyAuditChain(t.ctx)).rejects.toThrowError(expect.objectContaining(BROKEN_AT_3));
  });

  it('a duplicated key that SQLite reads one way and JSON.parse the other breaks the chain', async () => {
    const t = await withCodes();
    const row = t.connection.db.prepare('SELECT details FROM audit_events WHERE seq = 3').get() as { details: string };
    // JSON.parse keeps the last "length" (the true one), json_extract the first.
    const forged = row.details.replace('"length":32', '"length":64,"length":32');
    t.connection.db.prepare('UPDATE audit_events SET details = ? WHERE seq = 3').run(forged);
    expect(t.connection.db.prepare("SELECT json_extract(details, '$.length') FROM audit_events WHERE seq = 3").pluck().get()).toBe(64);
    expect(JSON.parse(forged).length).toBe(32);
    await expect(verifyAuditChain(t.ctx)).rejects.toThrow('audit log is broken at event 3: its contents do not match its hash');
  });

  it('whitespace added to the stored details breaks the chain', async () => {
    const t = await withCodes();
    t.connection.db.exec("UPDATE audit_events SET details = ' ' || details WHERE seq = 4");
    await expect(verifyAuditChain(t.ctx)).rejects.toThrow('audit log is broken at event 4: its contents do not match its hash');
  });
});

/**
 * Rewrites the log as the code before schema version 5 wrote it: details in insertion
 * order (JSON.stringify), each hash over the canonical JSON of the parsed event; and
 * takes the store back to version 4, so opening it runs migration 5 as an upgrade does.
 */
async function asWrittenByTheOldCode(t: TestStore, details: (seq: number) => Record<string, unknown>): Promise<void> {
  const db = t.connection.db;
  const rows = db.prepare('SELECT * FROM audit_events ORDER BY seq').all() as Array<Record<string, unknown> & { seq: number }>;
  let prev = GENESIS_HASH;
  for (const row of rows) {
    const body = {
      seq: row.seq,
      at: row.at,
      action: row.action,
      organization_id: row.organization_id,
      subject: row.subject,
      outcome: row.outcome,
      reason: row.reason,
      details: details(row.seq),
    } as Parameters<typeof chainHash>[1];
    const hash = chainHash(prev, body);
    db.prepare('UPDATE audit_events SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(JSON.stringify(body.details), prev, hash, row.seq);
    prev = hash;
  }
  db.exec("DROP INDEX audit_events_by_outcome; DELETE FROM meta WHERE key = 'audit_stored_bytes_from'; PRAGMA user_version = 5");
  await t.ctx.store.close();
}

describe('a store written by the old code path', () => {
  const unsorted = (seq: number) => ({ zeta: seq, alpha: { b: 1, a: [2, { d: null, c: 'x' }] } });

  it('still verifies after the upgrade, and new events verify after the old ones', async () => {
    const t = await withCodes();
    await asWrittenByTheOldCode(t, unsorted);
    const store = await openSqliteStore(t.path, { mode: 'key-file', key: TEST_KEY });
    try {
      const ctx = { ...t.ctx, store };
      const stored = store.connection.db.prepare('SELECT details FROM audit_events WHERE seq = 2').pluck().get();
      expect(stored).toBe('{"zeta":2,"alpha":{"b":1,"a":[2,{"d":null,"c":"x"}]}}');
      expect((await verifyAuditChain(ctx)).events).toBe(4);
      await issueVerificationCode(ctx, { organizationId: t.organizationId });
      expect((await verifyAuditChain(ctx)).events).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('checks old events that happen to be canonical, and finds a changed or missing old event', async () => {
    const t = await withCodes();
    await asWrittenByTheOldCode(t, (seq) => (seq === 2 ? { a: 1 } : unsorted(seq)));
    const store = await openSqliteStore(t.path, { mode: 'key-file', key: TEST_KEY });
    try {
      const ctx = { ...t.ctx, store };
      expect((await verifyAuditChain(ctx)).events).toBe(4);
      const db = store.connection.db;
      db.exec("UPDATE audit_events SET action = 'organization.delete' WHERE seq = 2");
      await expect(verifyAuditChain(ctx)).rejects.toThrow('audit log is broken at event 2: its contents do not match its hash');
      db.exec('DELETE FROM audit_events WHERE seq = 2');
      await expect(verifyAuditChain(ctx)).rejects.toThrow('audit log is broken at event 3: expected event 2 here: an event is missing or out of order');
    } finally {
      await store.close();
    }
  });

  it('but an old event whose text was changed without changing its meaning (a duplicated key) fails', async () => {
    const t = await withCodes();
    await asWrittenByTheOldCode(t, unsorted);
    const store = await openSqliteStore(t.path, { mode: 'key-file', key: TEST_KEY });
    try {
      store.connection.db.exec(`UPDATE audit_events SET details = '{"zeta":99,"zeta":3,"alpha":{"b":1,"a":[2,{"d":null,"c":"x"}]}}' WHERE seq = 3`);
      await expect(verifyAuditChain({ ...t.ctx, store })).rejects.toThrow(
        'audit log is broken at event 3: its details are not stored as they were written (a duplicated key, or text added)',
      );
    } finally {
      await store.close();
    }
  });
});
