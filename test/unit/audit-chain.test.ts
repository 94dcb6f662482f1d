import { describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import { canonicalJson, chainHash, GENESIS_HASH } from '../../src/core/audit/chain.js';
import { createOrganization } from '../../src/core/organizations.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { testStore } from '../helpers/store.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"x","z":null}]},"b":1}');
  });
});

describe('chainHash', () => {
  it('is SHA-256 of the previous hash followed by the canonical event', () => {
    const body = {
      seq: 1,
      at: '2025-01-01T00:00:00.000Z',
      action: 'x',
      organization_id: null,
      subject: null,
      outcome: 'success' as const,
      reason: null,
      details: {},
    };
    // Computed independently, with Python's hashlib over '0' * 64 + the canonical JSON
    // {"action":"x","at":"2025-01-01T00:00:00.000Z","details":{},"organization_id":null,"outcome":"success","reason":null,"seq":1,"subject":null}
    expect(chainHash(GENESIS_HASH, body)).toBe('7eb34bd6e7cef4e2192595450ded0190606ce24ade2f2c4743051e4d130394d4');
    expect(chainHash(GENESIS_HASH, { ...body, seq: 2 })).not.toBe('7eb34bd6e7cef4e2192595450ded0190606ce24ade2f2c4743051e4d130394d4');
  });
});

async function workload() {
  const t = await testStore();
  await createOrganization(t.ctx, 'second');
  for (let i = 0; i < 5; i += 1) {
    await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    t.clock.advance(1000);
  }
  return t;
}

describe('verifyAuditChain', () => {
  it('verifies an untouched chain and reports its length and head', async () => {
    const t = await workload();
    const result = await verifyAuditChain(t.ctx);
    const events = await listAudit(t.ctx);
    expect(result).toEqual({ events: 7, head_hash: events[6]!.hash, verified_at: '2025-01-01T00:00:05Z' });
    expect(events.map((e) => e.action)).toEqual(['organization.create', 'organization.create', ...Array(5).fill('verification_code.create')]);
    expect(events[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i += 1) expect(events[i]!.prev_hash).toBe(events[i - 1]!.hash);
  });

  it.each([
    ['an edited field', "UPDATE audit_events SET outcome = 'failure' WHERE seq = 4", 4, 'its contents do not match its hash'],
    ['edited details', 'UPDATE audit_events SET details = \'{"length":64}\' WHERE seq = 3', 3, 'its contents do not match its hash'],
    ['a removed event', 'DELETE FROM audit_events WHERE seq = 5', 6, 'expected event 5 here: an event is missing or out of order'],
    ['a rehashed event', "UPDATE audit_events SET action = 'x', hash = 'f' || substr(hash, 2) WHERE seq = 2", 2, 'its contents do not match its hash'],
  ])('names the first bad event after %s', async (_what, sql, seq, problem) => {
    const t = await workload();
    t.connection.db.exec(sql);
    await expect(verifyAuditChain(t.ctx)).rejects.toThrowError(
      expect.objectContaining({
        code: 'audit_broken',
        message: `audit log is broken at event ${seq}: ${problem}`,
      }),
    );
  });

  it('catches an event recomputed with a valid hash but a broken link to the next', async () => {
    const t = await workload();
    const [third] = (await listAudit(t.ctx)).slice(2);
    const forged = { ...third!, reason: 'forged' };
    const { prev_hash: prev, hash: _old, ...body } = forged;
    t.connection.db.prepare('UPDATE audit_events SET reason = ?, hash = ? WHERE seq = 3').run('forged', chainHash(prev, body));
    await expect(verifyAuditChain(t.ctx)).rejects.toThrow('audit log is broken at event 4: its prev_hash does not match the hash of the event before it');
  });

  it('reports progress every 1,000 events', async () => {
    const t = await testStore();
    await t.ctx.store.withBulkWrites(async () => {
      for (let i = 0; i < 2100; i += 1) await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    });
    const calls: Array<[number, number]> = [];
    await verifyAuditChain(t.ctx, { onProgress: (checked, total) => calls.push([checked, total]) });
    expect(calls).toEqual([
      [1000, 2101],
      [2000, 2101],
    ]);
  });
});

describe('listAudit', () => {
  it('filters by action family, time and limit', async () => {
    const t = await workload();
    expect((await listAudit(t.ctx, { action: 'organization' })).map((e) => e.seq)).toEqual([1, 2]);
    expect((await listAudit(t.ctx, { action: 'verification_code.create', limit: 2 })).map((e) => e.seq)).toEqual([3, 4]);
    expect((await listAudit(t.ctx, { since: '2025-01-01T00:00:03Z' })).map((e) => e.seq)).toEqual([6, 7]);
    expect(await listAudit(t.ctx, { action: 'verification' })).toEqual([]);
  });

  it('rejects a bad --since and --limit', async () => {
    const t = await testStore();
    await expect(listAudit(t.ctx, { since: 'yesterday' })).rejects.toThrow('invalid time "yesterday": expected an ISO 8601 date and time');
    await expect(listAudit(t.ctx, { limit: 0 })).rejects.toThrow('limit 0 is not a whole number of at least 1');
  });
});
