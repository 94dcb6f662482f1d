/**
 * `audit verify` with a helper (`StorePort.helpVerify`): the chain is shared out in
 * segments and the helper cross-checks, yet the result, or the error, is exactly the
 * one verifying alone gives, whoever checked what and whatever the helper does wrong.
 * The helper here runs the job on a second connection in this thread; the worker
 * thread itself is tested in test/e2e/verify-helper.test.ts.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit.js';
import { eventJson, hashEventText, type StoredAuditEvent } from '../../src/core/audit/chain.js';
import { runVerifyJob, type VerifyCounters, type VerifyJob, type VerifyJobResult } from '../../src/core/audit/verify-job.js';
import type { CoreContext } from '../../src/core/context.js';
import type { StorePort, StoreReader } from '../../src/core/store-port.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { TEST_KEY, testStore, type TestStore } from '../helpers/store.js';

type Helper = (job: VerifyJob, counters: VerifyCounters) => Promise<VerifyJobResult>;

/** Segments of 7 events: a log of 51 events is 8 of them. */
const SHARED = { helperFromEvents: 1, segmentEvents: 7 };

/** 40 codes, every fourth consumed: 51 events. */
async function busyStore(): Promise<TestStore> {
  const t = await testStore();
  for (let i = 0; i < 40; i += 1) {
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    if (i % 4 === 0) await consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'cn');
    t.clock.advance(1000);
  }
  return t;
}

/** A second connection to the store, as the worker opens one. */
async function secondReader(t: TestStore): Promise<StorePort> {
  const second = await openSqliteStore(t.path, { mode: 'key-file', key: TEST_KEY });
  onTestFinished(() => second.close());
  return second;
}

/** `target` with its member `name` replaced by what `replacement` returns (asked on each use); its methods bound to it. */
function overriding<T extends object>(target: T, name: PropertyKey, replacement: () => unknown): T {
  return new Proxy(target, {
    get: (object, key) => {
      if (key === name) return replacement();
      const value = Reflect.get(object, key, object) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** The test store's context with `helper` as its store's helper. */
function helped(t: TestStore, helper: Helper, store: StorePort = t.ctx.store): CoreContext {
  return { ...t.ctx, store: overriding(store, 'helpVerify', () => helper) };
}

/** A helper doing its job on a second connection; what it did is kept in `done`. */
async function honestHelper(t: TestStore): Promise<{ helper: Helper; done: VerifyJobResult[] }> {
  const second = await secondReader(t);
  const done: VerifyJobResult[] = [];
  const helper: Helper = async (job, counters) => {
    const result = await second.read((tx) => runVerifyJob(tx, job, counters, { crossCheckFirst: true }));
    done.push(result);
    return result;
  };
  return { helper, done };
}

/** `tx` whose chain reads fail from the `after`+1st on. */
function failingAfter(tx: StoreReader, after: number): StoreReader {
  let reads = 0;
  const read = tx.auditChainBatch.bind(tx);
  return overriding(tx, 'auditChainBatch', () => (++reads > after ? () => Promise.reject(new Error('disk gone')) : read));
}

/** What verifying alone fails with, having checked that verifying with an honest helper fails the same. */
async function sameFailureShared(t: TestStore): Promise<{ code?: string; message: string }> {
  const alone = await failureOf(verifyAuditChain(t.ctx));
  expect(alone.code).toBe('audit_broken');
  const { helper } = await honestHelper(t);
  expect(await failureOf(verifyAuditChain(helped(t, helper), SHARED))).toEqual(alone);
  return alone;
}

async function failureOf(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as { code?: string; message: string },
  );
  expect(error).toBeDefined();
  return { code: error!.code, message: error!.message };
}

describe('audit verify with a helper', () => {
  it('gives what verifying alone gives, the helper cross-checking and taking segments', async () => {
    const t = await busyStore();
    const alone = await verifyAuditChain(t.ctx);
    const { helper, done } = await honestHelper(t);
    expect(await verifyAuditChain(helped(t, helper), SHARED)).toEqual(alone);
    expect(alone.events).toBe(51);
    expect(done[0]!.stateProblem).toBeNull();
    expect(done[0]!.segments.length).toBeGreaterThan(0);
    expect(done[0]!.segments.length).toBeLessThan(8);
  });

  it('leaves a short log to this thread (the helper is for long ones)', async () => {
    const t = await busyStore();
    const { helper, done } = await honestHelper(t);
    await verifyAuditChain(helped(t, helper), { segmentEvents: 7 });
    expect(done).toEqual([]);
  });

  it.each([
    ['an edited first event', "UPDATE audit_events SET outcome = 'failure' WHERE seq = 1"],
    ["an edited segment's last event", "UPDATE audit_events SET reason = 'x' WHERE seq = 14"],
    ["an edited segment's first event", "UPDATE audit_events SET reason = 'x' WHERE seq = 15"],
    ['an edited head', "UPDATE audit_events SET reason = 'x' WHERE seq = 51"],
    ["a removed segment's last event", 'DELETE FROM audit_events WHERE seq = 21'],
    ["a removed segment's first event", 'DELETE FROM audit_events WHERE seq = 22'],
    ['two edited events in two segments', "UPDATE audit_events SET reason = 'x' WHERE seq IN (30, 50)"],
    ['a state the log disagrees with', 'UPDATE verification_codes SET consumed_at = NULL WHERE consumed_at IS NOT NULL'],
  ])('names what verifying alone names after %s', async (_what, sql) => {
    const t = await busyStore();
    t.connection.db.exec(sql);
    await sameFailureShared(t);
  });

  it('names a removed event whose successors a key holder linked and hashed again', async () => {
    const t = await busyStore();
    const db = t.connection.db;
    db.exec('DELETE FROM audit_events WHERE seq = 20');
    let prevHash = db.prepare('SELECT hash FROM audit_events WHERE seq = 19').pluck().get() as string;
    for (const event of db.prepare('SELECT * FROM audit_events WHERE seq > 19 ORDER BY seq').all() as StoredAuditEvent[]) {
      const hash = hashEventText(prevHash, eventJson(event));
      db.prepare('UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?').run(prevHash, hash, event.seq);
      prevHash = hash;
    }
    expect((await sameFailureShared(t)).message).toBe('audit log is broken at event 21: expected event 20 here: an event is missing or out of order');
  });

  it('does the work itself when the helper fails, at once or after taking segments', async () => {
    const t = await busyStore();
    t.connection.db.exec("UPDATE audit_events SET reason = 'x' WHERE seq = 40");
    const alone = await failureOf(verifyAuditChain(t.ctx));
    const second = await secondReader(t);
    const failsAtOnce: Helper = () => Promise.reject(new Error('no thread'));
    const failsLater: Helper = (job, counters) => second.read((tx) => runVerifyJob(failingAfter(tx, 3), job, counters, { crossCheckFirst: true }));
    for (const helper of [failsAtOnce, failsLater]) {
      expect(await failureOf(verifyAuditChain(helped(t, helper), SHARED))).toEqual(alone);
    }
    t.connection.db.exec('UPDATE audit_events SET reason = NULL WHERE seq = 40');
    const good = await verifyAuditChain(t.ctx);
    for (const helper of [failsAtOnce, failsLater]) expect(await verifyAuditChain(helped(t, helper), SHARED)).toEqual(good);
  });

  it('leaves the cross-check to this thread when the helper starts late', async () => {
    const t = await busyStore();
    t.connection.db.exec('UPDATE verification_codes SET consumed_at = NULL WHERE consumed_at IS NOT NULL');
    const alone = await failureOf(verifyAuditChain(t.ctx));
    const { helper, done } = await honestHelper(t);
    let started = false;
    const late: Helper = async (job, counters) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      started = true;
      return helper(job, counters);
    };
    expect(await failureOf(verifyAuditChain(helped(t, late), SHARED))).toEqual(alone);
    expect(started).toBe(true);
    expect(done).toEqual([{ segments: [] }]);
  });

  it('stops the helper when this thread fails, and reports its own failure', async () => {
    const t = await busyStore();
    const { helper, done } = await honestHelper(t);
    const store = t.ctx.store;
    const failing = overriding(
      store,
      'read',
      () =>
        <T>(work: (tx: StoreReader) => Promise<T>) =>
          store.read((tx) => work(failingAfter(tx, 1))),
    );
    await expect(verifyAuditChain(helped(t, helper, failing), SHARED)).rejects.toThrow('disk gone');
    expect(done).toHaveLength(1);
    expect(done[0]!.segments.length).toBeLessThan(7);
  });

  it('refuses segments that do not join: an event changed while two readers read it', async () => {
    const t = await busyStore();
    const { helper } = await honestHelper(t);
    const forging: Helper = async (job, counters) => {
      const result = await helper(job, counters);
      return { ...result, segments: result.segments.map((segment) => (segment.from > 1 ? { ...segment, before: 'f'.repeat(64) } : segment)) };
    };
    const failure = await failureOf(verifyAuditChain(helped(t, forging), SHARED));
    expect(failure.code).toBe('audit_broken');
    expect(failure.message).toMatch(/^audit log is broken at event (\d+): it changed while the chain was being verified$/);
  });
});
