/** Anchors (`audit anchor`, `verify --anchor`) and verifying from an event on (`--since`). */
import { describe, expect, it } from 'vitest';
import { auditAnchor, parseAnchor, verifyAuditChain } from '../../src/core/audit.js';
import { checkAnchor } from '../../src/core/audit/anchor.js';
import { GENESIS_HASH } from '../../src/core/audit/chain.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore, type TestStore } from '../helpers/store.js';

async function withCodes(n: number): Promise<TestStore> {
  const t = await testStore();
  for (let i = 0; i < n; i += 1) await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
  return t;
}

const hashOf = (t: TestStore, seq: number): string => t.connection.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').pluck().get(seq) as string;

describe('auditAnchor', () => {
  it('is the head event: seq, hash and time', async () => {
    const t = await withCodes(2);
    expect(await auditAnchor(t.ctx)).toEqual({ seq: 3, hash: hashOf(t, 3), at: '2025-01-01T00:00:00Z' });
  });
});

describe('verifyAuditChain with an anchor', () => {
  it('passes while the log holds the anchored event, also after it grew', async () => {
    const t = await withCodes(2);
    const anchor = await auditAnchor(t.ctx);
    await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    expect(await verifyAuditChain(t.ctx, { anchor })).toMatchObject({ events: 4, anchor: { seq: 3, hash: anchor.hash } });
    expect(await verifyAuditChain(t.ctx, { anchor: { hash: anchor.hash } })).toMatchObject({ anchor: { seq: 3, hash: anchor.hash } });
    expect((await verifyAuditChain(t.ctx, { anchor: { seq: 0, hash: GENESIS_HASH } })).anchor).toEqual({ seq: 0, hash: GENESIS_HASH });
  });

  it('fails when the log was truncated, which the chain alone cannot see', async () => {
    const t = await withCodes(2);
    const anchor = await auditAnchor(t.ctx);
    t.connection.db.exec('DELETE FROM audit_events WHERE seq = 3; DELETE FROM verification_codes WHERE seq = 2');
    expect((await verifyAuditChain(t.ctx)).events).toBe(2);
    await expect(verifyAuditChain(t.ctx, { anchor })).rejects.toThrowError(
      expect.objectContaining({
        code: 'audit_broken',
        message: 'audit log does not match the anchor: the log has no event 3 (it was truncated or rolled back)',
      }),
    );
    await expect(verifyAuditChain(t.ctx, { anchor: { hash: anchor.hash } })).rejects.toThrow(
      `audit log does not match the anchor: no event has the anchored hash ${anchor.hash}`,
    );
  });

  it('fails when the anchored event was rewritten (a chain rebuilt by someone with the key)', async () => {
    const t = await withCodes(2);
    const anchor = await auditAnchor(t.ctx);
    t.connection.db.exec("UPDATE audit_events SET hash = 'f' || substr(hash, 2) WHERE seq = 3");
    const rewritten = hashOf(t, 3);
    await expect(t.ctx.store.read((tx) => checkAnchor(tx, anchor))).rejects.toThrowError(
      expect.objectContaining({
        code: 'audit_broken',
        message: `audit log does not match the anchor: event 3 has hash ${rewritten}, not the anchored ${anchor.hash} (the log was rewritten or rolled back)`,
      }),
    );
  });
});

describe('verifyAuditChain from an event on', () => {
  it('recomputes from --since, trusting the stored hash of the event before it', async () => {
    const t = await withCodes(4);
    expect(await verifyAuditChain(t.ctx, { since: 3 })).toMatchObject({ events: 3, head_hash: hashOf(t, 5), since: 3 });
    // An edit before --since is not seen; one after it is.
    t.connection.db.exec("UPDATE audit_events SET reason = 'edited' WHERE seq = 1");
    expect((await verifyAuditChain(t.ctx, { since: 3 })).events).toBe(3);
    t.connection.db.exec("UPDATE audit_events SET reason = 'edited' WHERE seq = 4");
    await expect(verifyAuditChain(t.ctx, { since: 3 })).rejects.toThrow('audit log is broken at event 4: its contents do not match its hash');
  });

  it('links --since to the event before it', async () => {
    const t = await withCodes(4);
    t.connection.db.exec("UPDATE audit_events SET hash = 'f' || substr(hash, 2) WHERE seq = 2");
    await expect(verifyAuditChain(t.ctx, { since: 3 })).rejects.toThrow(
      'audit log is broken at event 3: its prev_hash does not match the hash of the event before it',
    );
  });

  it('rejects a since that is not an event, saying which events there are', async () => {
    const t = await withCodes(1);
    for (const since of [0, 3, 1.5]) {
      await expect(verifyAuditChain(t.ctx, { since })).rejects.toThrowError(
        expect.objectContaining({ code: 'usage', message: `there is no audit event ${since}: the log holds events 1 to 2`, seq: since, last: 2 }),
      );
    }
  });
});

describe('parseAnchor', () => {
  it('reads what audit anchor writes, and rejects anything else', () => {
    const hash = 'a'.repeat(64);
    expect(parseAnchor(`{"seq":7,"hash":"${hash}","at":"2025-01-01T00:00:00.000Z"}\n`, 'anchor file a.json')).toEqual({ seq: 7, hash });
    for (const text of ['', 'not json', '{"seq":7}', `{"seq":-1,"hash":"${hash}"}`, `{"seq":7,"hash":"${'A'.repeat(64)}"}`, 'null']) {
      expect(() => parseAnchor(text, 'anchor file a.json')).toThrowError(
        expect.objectContaining({
          code: 'invalid_format',
          message: 'anchor file a.json is not an audit anchor: expected JSON {"seq", "hash", "at"} as an audit anchor holds it, or a 64-character hex hash',
        }),
      );
    }
  });
});
