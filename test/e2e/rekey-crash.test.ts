/**
 * `store rekey` interrupted with SIGKILL at random moments must leave a store that
 * opens with the old key or the new one, never neither, with nothing lost; and a
 * process that waited on the rekey's lock must not write to the replaced file.
 */
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import type { StoreKey } from '../../src/core/records.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { replaceStoreKey } from '../../src/store/rekey.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { Store } from '../../src/store/store.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';
import { BIN, killHard, peridio, requireBuild, sleep, start, waitForLine, worker } from './support/processes.js';
import { expectConsistentStore } from './support/store-checks.js';

const KEYS = [TEST_KEY, Buffer.alloc(32, 0x5a)];
const keyFor = (index: number): StoreKey => ({ mode: 'key-file', key: KEYS[index]! });
const ROUNDS = 40;

/** A store big enough (about 1 MB) that copying and re-encrypting it takes a while. */
async function storeWithCodes(codes: number): Promise<string> {
  const path = join(tempDir(), 'store.db');
  const store = await openSqliteStore(path, keyFor(0), { create: true });
  const ctx = { store, clock: fixedClock(), random: seededRandom(4) };
  const organizationId = (await ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
  // Without an fsync per code, as the one transaction that filled it before.
  await store.withBulkWrites(async () => {
    for (let i = 0; i < codes; i += 1) await issueVerificationCode(ctx, { organizationId });
  });
  await store.close();
  return path;
}

/** Which of the two keys opens the store; fails when neither or both do. */
async function openingKey(path: string): Promise<number> {
  const opens: boolean[] = [];
  for (let index = 0; index < KEYS.length; index += 1) {
    try {
      (await Store.open(path, keyFor(index))).close();
      opens.push(true);
    } catch {
      opens.push(false);
    }
  }
  expect(opens.filter(Boolean).length, `keys that open ${path}: ${JSON.stringify(opens)}`).toBe(1);
  return opens.indexOf(true);
}

describe('store rekey interrupted by kill -9', () => {
  it(`opens with the old key or the new one after ${ROUNDS} kills at random points, with nothing lost`, async () => {
    requireBuild();
    const path = await storeWithCodes(2000);
    const initial = await expectConsistentStore(path, keyFor(0));
    const rekey = (from: number) => worker('rekey.mjs', [path, KEYS[from]!.toString('hex'), KEYS[1 - from]!.toString('hex')]);

    // One uninterrupted run measures how long a rekey takes on this machine.
    const calibration = rekey(0);
    await waitForLine(calibration, 'ready');
    const started = performance.now();
    expect(await calibration.exited, calibration.stderr()).toBe(0);
    const duration = performance.now() - started;
    let current = await openingKey(path);
    expect(current).toBe(1);
    let events = initial.events + 1;

    const random = seededRandom(process.env.VERICODE_CRASH_SEED ?? 'rekey-crash');
    const outcomes = { old: 0, new: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      const child = rekey(current);
      await waitForLine(child, 'ready');
      await sleep(random.int(Math.ceil(duration * 1.2) + 1));
      await killHard(child);
      expect(child.stderr()).toBe('');
      const now = await openingKey(path);
      if (now === current) {
        outcomes.old += 1;
      } else {
        outcomes.new += 1;
        events += 1;
      }
      current = now;
      const facts = await expectConsistentStore(path, keyFor(current));
      // The rekey's audit event exists exactly when the new key is in force.
      expect(facts).toEqual({ ...initial, events });
    }
    console.log(
      `rekey-crash: a rekey takes ${duration.toFixed(0)} ms; after ${ROUNDS} kills the store opened ${outcomes.old} times with the old key, ${outcomes.new} with the new one`,
    );
    const leftovers = readdirSync(join(path, '..')).filter((f) => f.includes('.rekey'));
    // Only an interrupted copy can remain, and the next rekey removes it.
    expect(leftovers.every((f) => f.startsWith('store.db.rekey'))).toBe(true);
  }, 300_000);

  it('waits for a process that is using the store to finish, then re-keys', async () => {
    requireBuild();
    const home = cliHome();
    expect((await peridio(['init'], home.env)).exitCode).toBe(0);
    // Holds the store open (in WAL mode) for 1.5 s: rekey waits up to 3 s for it.
    const busy = worker('codes.mjs', [home.storePath, TEST_KEY.toString('hex'), 'hold', '1500']);
    await waitForLine(busy, 'ready');
    const newKeyFile = join(home.home, 'new.key');
    const rekeyRun = await peridio(['store', 'rekey', '--new-key-file', newKeyFile], { ...process.env, ...home.env });
    expect(await busy.exited, busy.stderr()).toBe(0);
    expect(rekeyRun.exitCode, rekeyRun.stderr).toBe(0);
    const facts = await expectConsistentStore(home.storePath, { mode: 'key-file', key: Buffer.from(readFileSync(newKeyFile, 'utf8').trim(), 'hex') });
    expect(facts).toMatchObject({ codes: 1, consumed: 0 });
  }, 60_000);

  it('a process that waited on the rekey lock reopens the new file and never writes to the replaced one', async () => {
    requireBuild();
    const home = cliHome();
    expect((await peridio(['init'], home.env)).exitCode).toBe(0);
    const newKeyFile = join(home.home, 'new.key');
    writeFileSync(newKeyFile, `${KEYS[1]!.toString('hex')}\n`, { mode: 0o600 });
    const store = await Store.open(home.storePath, keyFor(0));
    let withNewKey: ReturnType<typeof start> | undefined;
    let withOldKey: ReturnType<typeof start> | undefined;
    await replaceStoreKey(store, keyFor(1), {
      beforeReplace: async () => {},
      onStep: (step) => {
        if (step !== 'copying') return;
        // The store is now locked: start two processes and let them block on the lock.
        withNewKey = start(process.execPath, [BIN, 'verification-codes', 'create', '-q'], {
          env: { ...process.env, ...home.env, VERICODE_KEY_FILE: newKeyFile },
        });
        withOldKey = start(process.execPath, [BIN, 'verification-codes', 'create', '-q'], { env: { ...process.env, ...home.env } });
        waitUntilOpen([withNewKey.process.pid!, withOldKey.process.pid!], home.storePath);
      },
    });
    expect(await withNewKey!.exited, withNewKey!.stderr()).toBe(0);
    expect(withNewKey!.stdout()).toMatch(/^[A-Za-z0-9]{32}\n$/);
    expect(await withOldKey!.exited).toBe(7);
    expect(withOldKey!.stderr()).toContain(`wrong passphrase or key for ${home.storePath}`);
    const facts = await expectConsistentStore(home.storePath, keyFor(1));
    expect(facts.codes).toBe(1);
  }, 60_000);
});

/** Blocks until every process has the store file open (Linux /proc), then a little longer. */
function waitUntilOpen(pids: number[], path: string): void {
  const hasOpen = (pid: number): boolean => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
  const pause = (ms: number): void => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  };
  const deadline = Date.now() + 20_000;
  while (!pids.every(hasOpen)) {
    if (Date.now() > deadline) throw new Error('the processes never opened the store');
    pause(10);
  }
  // They now read page 1, which waits for the lock the rekey holds.
  pause(300);
}
