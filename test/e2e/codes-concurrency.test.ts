/**
 * Real concurrent processes against one store (the built library in dist/, so run
 * `npm run build` first, as `npm test` does): 12 processes redeem one code at once,
 * and 12 submit wrong codes at once. Each waits at a barrier until all are ready.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listAudit, verifyAuditChain } from '../../src/core/audit.js';
import type { CoreContext } from '../../src/core/context.js';
import { issueOneTimeCode } from '../../src/core/one-time-codes/index.js';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { cryptoRandom, systemClock } from '../../src/core/ports.js';
import { readAttempts } from '../../src/store/one-time-code-attempts.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import type { Store } from '../../src/store/store.js';
import { REPO_ROOT } from '../helpers/bin.js';
import { TEST_KEY } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const CHILD = join(REPO_ROOT, 'test', 'e2e', 'codes-redeem-child.mjs');
const PROCESSES = 12;
const PURPOSE = 'add_credential';

interface Child {
  ready: Promise<void>;
  done: Promise<string>;
  go(): void;
}

function startChild(storePath: string, organizationId: string, userId: string, code: string): Child {
  const child = spawn(process.execPath, [CHILD, storePath, TEST_KEY.toString('hex'), organizationId, userId, PURPOSE], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (status !== 0 || !line) reject(new Error(`child failed (${status}): ${stderr}`));
      else resolve((JSON.parse(line) as { outcome: string }).outcome);
    });
  });
  child.stdin.write(`${code}\n`);
  return { ready, done, go: () => child.stdin.end('go\n') };
}

/** Starts one process per code, releases them together, and counts their outcomes. */
async function race(storePath: string, organizationId: string, userId: string, codes: readonly string[]): Promise<Record<string, number>> {
  const children = codes.map((code) => startChild(storePath, organizationId, userId, code));
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  const outcomes = await Promise.all(children.map((c) => c.done));
  return outcomes.reduce<Record<string, number>>((counts, o) => ({ ...counts, [o]: (counts[o] ?? 0) + 1 }), {});
}

async function openStore(): Promise<{ ctx: CoreContext; connection: Store; path: string; organizationId: string }> {
  const path = join(tempDir(), 'store.db');
  const store = await openSqliteStore(path, { mode: 'key-file', key: TEST_KEY }, { create: true });
  const ctx: CoreContext = { store, clock: systemClock, random: cryptoRandom };
  const organizationId = (await ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
  return { ctx, connection: store.connection, path, organizationId };
}

function failures(connection: Store, organizationId: string, userId: string): number {
  return connection.read(() => readAttempts(connection, { organizationId, userId, purpose: PURPOSE })).failures;
}

beforeAll(() => {
  if (!existsSync(join(REPO_ROOT, 'dist', 'core', 'index.js'))) throw new Error('dist/ is missing: run npm run build first');
});

describe('concurrent processes', () => {
  it('12 redeeming one code: exactly one succeeds, every round', async () => {
    const { ctx, connection, path, organizationId } = await openStore();
    const rounds = ['short', 'long', 'phrase', 'short'] as const;
    for (const [round, type] of rounds.entries()) {
      const userId = `user-${round}`;
      const { code } = await issueOneTimeCode(ctx, { organizationId, type, userId, purpose: PURPOSE, authorize: true });
      const outcomes = await race(
        path,
        organizationId,
        userId,
        Array.from({ length: PROCESSES }, () => code),
      );
      // The winner resets the count; the 11 losers then fail in turn (the code is
      // consumed): the 10th failure locks the pair, so the last answers locked.
      expect({ round, type, outcomes }).toEqual({ round, type, outcomes: { ok: 1, invalid_code: 10, locked: 1 } });
      expect(failures(connection, organizationId, userId)).toBe(10);
      const redeems = (await listAudit(ctx, { action: 'code.redeem' })).filter((e) => e.details.user_id === userId);
      expect(redeems.filter((e) => e.outcome === 'success')).toHaveLength(1);
      expect(redeems.filter((e) => e.reason === 'consumed')).toHaveLength(10);
    }
    expect((await verifyAuditChain(ctx)).events).toBeGreaterThan(0);
    await ctx.store.close();
  }, 120_000);

  it('12 submitting wrong codes at once: the count is exact and the lock starts at exactly 10', async () => {
    const { ctx, connection, path, organizationId } = await openStore();
    for (const round of [0, 1]) {
      const userId = `guesser-${round}`;
      await issueOneTimeCode(ctx, { organizationId, type: round === 0 ? 'long' : 'short', userId, purpose: PURPOSE, authorize: true });
      const wrong = Array.from({ length: PROCESSES }, (_, i) =>
        round === 0 ? `${'x'.repeat(30)}${String(i).padStart(2, '0')}` : `9${String(i).padStart(5, '0')}`,
      );
      const outcomes = await race(path, organizationId, userId, wrong);
      expect(outcomes).toEqual({ invalid_code: 10, locked: 2 });
      expect(failures(connection, organizationId, userId)).toBe(10);
      const events = (await listAudit(ctx, { action: 'code' })).filter((e) => e.details.user_id === userId);
      expect(
        events
          .filter((e) => e.action === 'code.redeem')
          .map((e) => e.reason)
          .sort(),
      ).toEqual(['locked', 'locked', ...Array<string>(10).fill('no_match')]);
      expect(events.filter((e) => e.action === 'code.lock').map((e) => e.details.failures)).toEqual([10]);
    }
    expect((await verifyAuditChain(ctx)).events).toBeGreaterThan(0);
    await ctx.store.close();
  }, 120_000);
});
