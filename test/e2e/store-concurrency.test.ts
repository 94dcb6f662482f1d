/**
 * Store maintenance while other processes work: backups taken under concurrent writes
 * open and verify; purges running while codes are redeemed never remove a live code and
 * never show anyone a busy error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDefaultOrganization, resolveOrganizationId } from '../../src/core/organizations.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { Store } from '../../src/store/store.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';
import { killHard, peridio, requireBuild, sleep, waitForLine, worker, type Child } from './support/processes.js';
import { expectConsistentStore } from './support/store-checks.js';

const KEY = { mode: 'key-file' as const, key: TEST_KEY };

async function homeWithStore(): Promise<ReturnType<typeof cliHome>> {
  const home = cliHome();
  const store = await openSqliteStore(home.storePath, KEY, { create: true });
  await ensureDefaultOrganization({ store, clock: fixedClock(), random: seededRandom(1) });
  await store.close();
  return home;
}

/** Waits until a steady writer has committed ten more pairs than it had reported when called. */
function waitForMorePairs(writer: Child): Promise<void> {
  const reported = [...writer.stdout().matchAll(/^pairs (\d+)$/gm)].map((m) => Number(m[1]));
  return waitForLine(writer, `pairs ${(reported.at(-1) ?? 0) + 10}`);
}

describe('store maintenance under concurrent use', () => {
  it('backups taken while two processes write open with the same key and verify', async () => {
    requireBuild();
    const home = await homeWithStore();
    const env = { ...process.env, ...home.env };
    // Steady writers, not tight loops: a loop that re-takes the write lock within
    // microseconds starves the backup's own audit write past the 5 s busy timeout (the
    // cause of this test's failures under load), which is not what it is here to test.
    const writers: Child[] = [0, 1].map(() => worker('codes.mjs', [home.storePath, TEST_KEY.toString('hex'), 'steady']));
    const backups: Array<{ path: string; events: number }> = [];
    try {
      await Promise.all(writers.map((w) => waitForLine(w, 'ready')));
      for (let i = 0; i < 5; i += 1) {
        const out = join(home.home, `backup-${i}.db`);
        const run = await peridio(['store', 'backup', '--out', out, '--json'], env);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        backups.push({ path: out, events: (JSON.parse(run.stdout) as { audit: { events: number } }).audit.events });
        // Ten more commits from each writer after this backup: the next one is a later snapshot.
        await Promise.all(writers.map(waitForMorePairs));
      }
    } finally {
      for (const w of writers) await killHard(w);
    }
    for (const w of writers) expect(w.stderr()).toBe('');

    for (const backup of backups) {
      const facts = await expectConsistentStore(backup.path, KEY);
      expect(facts.events).toBe(backup.events);
      const verify = await peridio(['audit', 'verify', '--json'], { ...env, VERICODE_STORE: backup.path });
      expect(verify.exitCode, verify.stderr).toBe(0);
    }
    // The writers committed between backups, so each copy is a later snapshot.
    const counts = backups.map((b) => b.events);
    for (let i = 1; i < counts.length; i += 1) expect(counts[i]).toBeGreaterThan(counts[i - 1]!);
    await expectConsistentStore(home.storePath, KEY);
  }, 120_000);

  it('backups copied while a writer checkpoints after every commit are intact', async () => {
    requireBuild();
    const home = await homeWithStore();
    // A store of a few MB, so that copying it overlaps many checkpoints.
    const store = await openSqliteStore(home.storePath, KEY);
    try {
      const ctx = { store, clock: fixedClock(), random: seededRandom(2) };
      const organizationId = await resolveOrganizationId(ctx, undefined);
      await ctx.store.withBulkWrites(async () => {
        for (let i = 0; i < 6000; i += 1) await issueVerificationCode(ctx, { organizationId });
      });
    } finally {
      await store.close();
    }
    const env = { ...process.env, ...home.env };
    const writer = worker('codes.mjs', [home.storePath, TEST_KEY.toString('hex'), 'checkpointing']);
    const outs: string[] = [];
    try {
      await waitForLine(writer, 'ready');
      for (let i = 0; i < 4; i += 1) {
        const out = join(home.home, `backup-${i}.db`);
        const run = await peridio(['store', 'backup', '--out', out], env);
        expect(run.exitCode, run.stderr).toBe(0);
        outs.push(out);
      }
    } finally {
      await killHard(writer);
    }
    expect(writer.stderr()).toBe('');
    for (const out of outs) await expectConsistentStore(out, KEY);
  }, 120_000);

  it('purges running while processes redeem codes remove no live code and report no busy error', async () => {
    requireBuild();
    const home = await homeWithStore();
    const env = { ...process.env, ...home.env };
    const stop = join(home.home, 'stop-redeeming');
    const redeemers: Child[] = [0, 1].map(() => worker('codes.mjs', [home.storePath, TEST_KEY.toString('hex'), 'pool', stop]));
    const PURGES = 4;
    let purged = 0;
    try {
      await Promise.all(redeemers.map((w) => waitForLine(w, 'ready')));
      // Each purge starts only once both redeemers have consumed ten more codes, and the
      // redeemers keep going until the last purge is done: the purges overlap the redeems
      // by construction, however slow a loaded machine makes either side. The pause makes
      // those codes older than --older-than, so purge i has removed at least 20 * i.
      for (let i = 1; i <= PURGES; i += 1) {
        await Promise.all(redeemers.map((w) => waitForLine(w, `consumed ${10 * i}`)));
        await sleep(1_100);
        const run = await peridio(['store', 'purge', '--older-than', '1s', '--json'], env);
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        purged += (JSON.parse(run.stdout) as { total: number }).total;
      }
    } finally {
      // Asks the redeemers to finish (they exit 0 after their current consume); one that
      // has not ended in 30 s is killed, and fails the exit-code check below.
      writeFileSync(stop, '');
      for (const w of redeemers) await Promise.race([w.exited, sleep(30_000)]);
      for (const w of redeemers) await killHard(w);
    }
    // Every consume of a code from the pool succeeded: had a purge removed a live
    // code, its worker would have failed with unknown_code.
    for (const w of redeemers) {
      expect(await w.exited, w.stderr()).toBe(0);
      expect(w.stderr()).toBe('');
    }
    const store = await Store.open(home.storePath, KEY);
    try {
      const live = store.db.prepare('SELECT count(*) FROM verification_codes WHERE consumed_at IS NULL').pluck().get();
      expect(live).toBe(40);
      const purgeEvents = store.db.prepare("SELECT details FROM audit_events WHERE action = 'store.purge'").pluck().all() as string[];
      const removed = purgeEvents.reduce((sum, d) => sum + (JSON.parse(d) as { removed: { verification_codes: number } }).removed.verification_codes, 0);
      expect(removed).toBe(purged);
      expect(purged).toBeGreaterThanOrEqual(20 * PURGES);
    } finally {
      store.close();
    }
    console.log(`purge-while-redeeming: ${PURGES} purges removed ${purged} consumed codes`);
  }, 180_000);
});
