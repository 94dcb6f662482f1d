/**
 * Crash safety with real processes: workers issue and consume codes through the built
 * library and are killed with SIGKILL at random moments, 200 times and more, some
 * while opening the store, most in the middle of their work, while a second worker
 * writes concurrently. Afterwards the store must be intact and its audit log must
 * match its codes exactly.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';
import { killHard, requireBuild, sleep, waitForLine, worker, type Child } from './support/processes.js';
import { expectConsistentStore } from './support/store-checks.js';

const KILLS = 200;
const KEY = { mode: 'key-file' as const, key: TEST_KEY };

async function newStore(): Promise<string> {
  const path = join(tempDir(), 'store.db');
  const store = await openSqliteStore(path, KEY, { create: true });
  await ensureDefaultOrganization({ store, clock: fixedClock(), random: seededRandom(1) });
  await store.close();
  return path;
}

describe('kill -9 while issuing and consuming codes', () => {
  it(`leaves an intact store whose audit log matches its codes, after ${KILLS} kills`, async () => {
    requireBuild();
    const path = await newStore();
    const seed = process.env.VERICODE_CRASH_SEED ?? 'crash-kill';
    const random = seededRandom(seed);
    const args = [path, TEST_KEY.toString('hex'), 'loop'];
    let background: Child = worker('codes.mjs', args);
    let kills = 0;
    let killedWhileWorking = 0;
    const expectKilled = async (child: Child): Promise<void> => {
      await killHard(child);
      // A worker that died on its own hit an error (such as a busy store): that is a failure.
      expect(child.process.signalCode, child.stderr()).toBe('SIGKILL');
      kills += 1;
    };

    // Two victims per round, started together and killed independently, halve the wall time.
    const killAtRandom = async (victim: Child, whileStarting: boolean): Promise<void> => {
      if (whileStarting) {
        // Anywhere from process start: often while opening or configuring the store.
        await sleep(random.int(150));
      } else {
        await waitForLine(victim, 'ready');
        await sleep(random.int(30));
        killedWhileWorking += 1;
      }
      await expectKilled(victim);
    };
    for (let round = 0; round < KILLS / 2; round += 1) {
      const victims = [worker('codes.mjs', args), worker('codes.mjs', args)];
      await Promise.all(victims.map((victim, i) => killAtRandom(victim, (round * 2 + i) % 4 === 0)));
      if (round % 10 === 9) {
        await expectKilled(background);
        background = worker('codes.mjs', args);
      }
    }
    await expectKilled(background);

    const facts = await expectConsistentStore(path, KEY);
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // The kills landed in real work: many codes were issued and consumed in between.
    expect(facts.consumed).toBeGreaterThan(killedWhileWorking);
    console.log(
      `crash-kill (seed ${seed}): ${kills} kills, ${killedWhileWorking} mid-work; store has ${facts.codes} codes, ${facts.consumed} consumed, ${facts.events} audit events`,
    );
  }, 300_000);
});
