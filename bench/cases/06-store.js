// Store maintenance on a store with 10,000 audit events (about 5,000 codes, half of
// them consumed): `store backup` against `cp` of the same file and against
// `node -e 0`; `audit verify`, `audit export` and `store info` against `node -e 0`.
import { join } from 'node:path';
import { benchHome, BIN, compare, nodeBaseline, report, ROOT, timeNewFile, timeRun } from '../lib.js';

export const name = 'store maintenance';

const EVENTS = 10_000;

export async function run() {
  const { home, env } = benchHome();
  await fillStore(env.VERICODE_STORE, EVENTS - 1);
  const peridio =
    (...args) =>
    () =>
      timeRun([process.execPath, BIN, ...args], { env });

  const backup = timeNewFile(home, 'backup', [process.execPath, BIN, 'store', 'backup', '--out'], { env });
  const copy = timeNewFile(home, 'copy', ['cp', env.VERICODE_STORE]);
  // Each backup adds one audit event; 40 rounds leave the store at about 10,040.
  report(`store backup (${EVENTS} events)`, compare(backup, copy, { rounds: 9, warmup: 1 }), 'cp');
  report(`store backup (${EVENTS} events)`, compare(backup, nodeBaseline, { rounds: 9, warmup: 1 }), 'node -e 0');
  report(`audit verify (${EVENTS} events)`, compare(peridio('audit', 'verify'), nodeBaseline, { rounds: 9, warmup: 1 }), 'node -e 0');
  report(`audit export (${EVENTS} events)`, compare(peridio('audit', 'export'), nodeBaseline, { rounds: 9, warmup: 1 }), 'node -e 0');
  report('store info', compare(peridio('store', 'info'), nodeBaseline, { rounds: 9, warmup: 1 }), 'node -e 0');
}

/** Adds `events` audit events (codes issued, every other one consumed) in one process. */
async function fillStore(path, events) {
  const core = await import(join(ROOT, 'dist', 'core', 'index.js'));
  const { openSqliteStore } = await import(join(ROOT, 'dist', 'store', 'index.js'));
  const store = await openSqliteStore(path, { mode: 'key-file', key: Buffer.from('ab'.repeat(32), 'hex') });
  const ctx = { store, clock: core.systemClock, random: core.cryptoRandom };
  const organizationId = await core.resolveOrganizationId(ctx, undefined);
  // Bulk settings: each use case commits on its own, without an fsync each.
  await store.withBulkWrites(async () => {
    for (let i = 0; i < events; i += 1) {
      const { code } = await core.issueVerificationCode(ctx, { organizationId });
      i += 1;
      if (i < events) await core.consumeVerificationCode(ctx, organizationId, code, 'bench');
    }
  });
  await store.close();
}
