/**
 * The helper thread of `audit verify` as built: the worker scripts of the library
 * (dist/store/) and of the command (dist/cli/) do their share of a job on a store of
 * their own opening, the built library verifies through them, and the command
 * verifies a log long enough to start one (test/unit/audit-verify-helper.test.ts
 * holds the sharing to what verifying alone gives).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit.js';
import { segmentsOf, verifyCounters, type VerifyJob, type VerifyJobResult } from '../../src/core/audit/verify-job.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import type { StoreKey } from '../../src/core/records.js';
import type { VerifyWorkerMessage } from '../../src/store/verify-helper.js';
import { BIN, REPO_ROOT } from '../helpers/bin.js';
import { TEST_KEY, testStore, type TestStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const KEY = { mode: 'key-file' as const, key: TEST_KEY };

/** 30 codes, every third consumed: 41 events. */
async function busyStore(): Promise<TestStore> {
  const t = await testStore();
  for (let i = 0; i < 30; i += 1) {
    const issued = await issueVerificationCode(t.ctx, { organizationId: t.organizationId });
    if (i % 3 === 0) await consumeVerificationCode(t.ctx, t.organizationId, issued.code, 'cn');
  }
  return t;
}

/** Starts the worker as the helper does: the job in its workerData, the key as its first message. */
function runWorker(script: string, workerData: unknown, key: StoreKey = KEY): Promise<VerifyWorkerMessage> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData });
    worker.postMessage(key);
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

describe('the verify helper, built', () => {
  it.each(['store', 'cli'])('dist/%s/audit-worker.js does a whole job on its own connection', async (dir) => {
    const t = await busyStore();
    const job: VerifyJob = { crossCheck: true, legacyBefore: 1, segments: segmentsOf(1, 41, 10) };
    const counters = verifyCounters();
    const message = await runWorker(join(REPO_ROOT, 'dist', dir, 'audit-worker.js'), { path: t.path, job, counters });
    const { head_hash: head } = await verifyAuditChain(t.ctx);
    const { segments, stateProblem } = (message as { result: VerifyJobResult }).result;
    expect(stateProblem).toBeNull();
    expect(segments.map((segment) => [segment.from, segment.to, segment.broken])).toEqual([
      [1, 10, undefined],
      [11, 20, undefined],
      [21, 30, undefined],
      [31, 40, undefined],
      [41, 41, undefined],
    ]);
    expect(segments.at(-1)!.last).toBe(head);
    expect(counters[1]).toBe(41);
  });

  it('says why when it cannot open the store', async () => {
    const t = await busyStore();
    const job: VerifyJob = { crossCheck: true, legacyBefore: 1, segments: segmentsOf(1, 41, 10) };
    const message = await runWorker(
      join(REPO_ROOT, 'dist', 'store', 'audit-worker.js'),
      { path: t.path, job, counters: verifyCounters() },
      { mode: 'key-file', key: Buffer.alloc(32, 9) },
    );
    expect(message).toEqual({ failed: `wrong passphrase or key for ${t.path} (tried a raw key)` });
  });

  it('the built library verifies through it as verifying alone does', async () => {
    const core = (await import(join(REPO_ROOT, 'dist', 'core', 'index.js'))) as typeof import('../../src/core/index.js');
    const { openSqliteStore } = (await import(join(REPO_ROOT, 'dist', 'store', 'index.js'))) as typeof import('../../src/store/index.js');
    const t = await busyStore();
    const built = await openSqliteStore(t.path, KEY);
    try {
      const ctx = { ...t.ctx, store: built };
      // The library's own helper, not a fallback: it resolves only with the worker's result.
      const job: VerifyJob = { crossCheck: true, legacyBefore: 1, segments: segmentsOf(1, 41, 10) };
      expect((await built.helpVerify(job, verifyCounters())).segments).toHaveLength(5);
      const shared = { helperFromEvents: 1, segmentEvents: 6 };
      expect(await core.verifyAuditChain(ctx, shared)).toEqual(await verifyAuditChain(t.ctx));
      t.connection.db.exec("UPDATE audit_events SET reason = 'x' WHERE seq = 33");
      await expect(core.verifyAuditChain(ctx, shared)).rejects.toThrow('audit log is broken at event 33: its contents do not match its hash');
    } finally {
      await built.close();
    }
  });

  it('the command verifies a log of over 100,000 events with it, and names a tampered event', async () => {
    const dir = tempDir();
    const keyFile = join(dir, 'key');
    writeFileSync(keyFile, `${TEST_KEY.toString('hex')}\n`, { mode: 0o600 });
    const store = join(dir, 'long.db');
    const made = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bench', 'make-store.mjs'), '--store', store, '--key-file', keyFile, '--verification-codes', '70000', '--cas', '0'],
      { encoding: 'utf8' },
    );
    expect(made.status).toBe(0);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, VERICODE_STORE: store, VERICODE_KEY_FILE: keyFile };
    const verify = (more: Record<string, string> = {}) =>
      spawnSync(process.execPath, [BIN, 'audit', 'verify', '--json'], { encoding: 'utf8', env: { ...env, ...more } });
    // Node says when it starts a worker thread; what it prints of one never holds the key.
    const traced = verify({ NODE_DEBUG: 'worker' });
    expect(traced.status).toBe(0);
    expect(traced.stderr).toContain('created Worker with ID 1');
    // The key in any of the forms Node prints it: hex, a Buffer's bytes, a Uint8Array's.
    expect(traced.stderr).not.toContain(TEST_KEY.toString('hex'));
    expect(traced.stderr).not.toMatch(/07 07 07 07|7, 7, 7, 7/);
    const good = verify();
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const withoutTime = (stdout: string) => ({ ...(JSON.parse(stdout) as object), verified_at: null });
    expect(withoutTime(good.stdout)).toEqual(withoutTime(traced.stdout));
    const events = (JSON.parse(good.stdout) as { events: number }).events;
    expect(events).toBeGreaterThan(100_000);

    const t = await (await import('../../src/store/store.js')).Store.open(store, KEY);
    try {
      t.db.prepare("UPDATE audit_events SET reason = 'x' WHERE seq = ?").run(events - 5);
    } finally {
      t.close();
    }
    const bad = verify();
    expect(bad.status).toBe(3);
    expect(JSON.parse(bad.stderr)).toMatchObject({
      error: { code: 'audit_broken', message: `audit log is broken at event ${events - 5}: its contents do not match its hash` },
    });
  }, 120_000);
});
