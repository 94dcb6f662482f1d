/**
 * bench/make-store.mjs (issue 13) builds the big stores the scale figures come from.
 * It writes verification codes through the store functions rather than one core call
 * each, and drops indexes and triggers while loading: the store it leaves must be one
 * the core could have written, with the schema, counts and events the core keeps.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/core/audit.js';
import type { CoreContext } from '../../src/core/context.js';
import { consumeVerificationCode, issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite-port.js';
import { REPO_ROOT } from '../helpers/bin.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY, testStore } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const SCHEMA = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_autoindex_%' ORDER BY type, name";

/** Runs the store maker on a new store and opens it. */
async function madeStore(args: string[]): Promise<SqliteStore> {
  const dir = tempDir();
  const keyFile = join(dir, 'key');
  writeFileSync(keyFile, `${TEST_KEY.toString('hex')}\n`, { mode: 0o600 });
  const path = join(dir, 'made.db');
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'make-store.mjs'), '--store', path, '--key-file', keyFile, ...args], {
    encoding: 'utf8',
  });
  expect(result.stderr).toMatch(/make-store: .*made\.db: \d+ verification codes/);
  expect(result.status).toBe(0);
  return openSqliteStore(path, { mode: 'key-file', key: TEST_KEY });
}

/** A detail's JSON type, so shapes compare without their values. */
const shape = (details: string): Record<string, string> =>
  Object.fromEntries(Object.entries(JSON.parse(details) as Record<string, unknown>).map(([key, value]) => [key, value === null ? 'null' : typeof value]));

describe('bench/make-store.mjs', () => {
  it('leaves the schema, counts and a verifying log the core would', async () => {
    const port = await madeStore(['--verification-codes', '300', '--one-time-codes', '40', '--cas', '2', '--seed', 'test']);
    const store = port.connection;
    try {
      const fresh = (await testStore()).connection;
      expect(store.db.prepare(SCHEMA).all()).toEqual(fresh.db.prepare(SCHEMA).all());
      const counts = store.db.prepare('SELECT kind, state, n FROM record_counts ORDER BY kind, state').all() as Array<{ kind: string; n: number }>;
      const scanned = store.db
        .prepare(`SELECT 'audit_events' AS kind, 'all' AS state, count(*) AS n FROM audit_events
        UNION ALL SELECT 'one_time_codes', 'consumed', count(*) FROM one_time_codes WHERE consumed_at IS NOT NULL
        UNION ALL SELECT 'one_time_codes', 'invalidated', count(*) FROM one_time_codes WHERE consumed_at IS NULL AND invalidated_at IS NOT NULL
        UNION ALL SELECT 'one_time_codes', 'unspent', count(*) FROM one_time_codes WHERE consumed_at IS NULL AND invalidated_at IS NULL
        UNION ALL SELECT 'verification_codes', 'consumed', count(*) FROM verification_codes WHERE consumed_at IS NOT NULL
        UNION ALL SELECT 'verification_codes', 'unconsumed', count(*) FROM verification_codes WHERE consumed_at IS NULL`)
        .all();
      expect(counts).toEqual(scanned);
      const spent = store.db.prepare('SELECT count(*) FROM verification_codes WHERE consumed_at IS NOT NULL').pluck().get() as number;
      expect(spent).toBeGreaterThan(100);
      expect(spent).toBeLessThan(200);
      const ctx: CoreContext = { store: port, clock: fixedClock(), random: seededRandom(2) };
      expect((await verifyAuditChain(ctx)).events).toBe(counts.find((row) => row.kind === 'audit_events')!.n);
    } finally {
      await port.close();
    }
  });

  it('writes each verification code and its events as issuing and consuming through the core does', async () => {
    const port = await madeStore(['--verification-codes', '20', '--spent-fraction', '1', '--seed', 'shape']);
    const store = port.connection;
    try {
      const event = (action: string) =>
        store.db
          .prepare('SELECT organization_id, subject, outcome, reason, details FROM audit_events WHERE action = ? ORDER BY seq DESC LIMIT 1')
          .get(action) as Record<string, string>;
      const made = { create: event('verification_code.create'), consume: event('verification_code.consume') };
      const row = (seq: 'min' | 'max') =>
        store.db
          .prepare(
            `SELECT id, organization_id, certificate_id, expires_at - created_at AS life, consumed_at IS NOT NULL AS spent FROM verification_codes WHERE seq = (SELECT ${seq}(seq) FROM verification_codes)`,
          )
          .get() as Record<string, unknown>;
      const madeRow = row('max');

      const ctx: CoreContext = { store: port, clock: fixedClock(), random: seededRandom(3) };
      const organizationId = madeRow.organization_id as string;
      const issued = await issueVerificationCode(ctx, { organizationId });
      await consumeVerificationCode(ctx, organizationId, issued.code, 'test');
      const core = { create: event('verification_code.create'), consume: event('verification_code.consume') };
      const coreRow = row('max');

      expect({ ...madeRow, id: 'id' }).toEqual({ ...coreRow, id: 'id' });
      for (const action of ['create', 'consume'] as const) {
        // Every code is spent at once (--spent-fraction 1): the last events are the last code's.
        expect(made[action].subject).toBe(`prn:1:${organizationId}:ca_verification_code:${String(madeRow.id)}`);
        expect({ ...made[action], subject: undefined, details: shape(made[action].details!) }).toEqual({
          ...core[action],
          subject: undefined,
          details: shape(core[action].details!),
        });
      }
      expect((await verifyAuditChain(ctx)).events).toBeGreaterThan(40);
    } finally {
      await port.close();
    }
  });
});
