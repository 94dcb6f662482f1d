/**
 * Real processes of the built command racing on one PostgreSQL store, as
 * codes-concurrency.test.ts races them on a file: 12 redeem one code at once (one
 * winner: the consume is one conditional UPDATE), and 12 redeem wrong codes at once
 * (the failure count is exact and the lock starts at exactly 10, per the lock rules:
 * the 10th consecutive failure locks the pair, later attempts answer `locked`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, type BinRun } from '../helpers/bin.js';
import { freshDatabase } from '../helpers/postgres.js';
import { cliHome } from '../helpers/run-cli.js';
import { BIN, killHard, requireBuild, start, type Child } from './support/processes.js';

const PROCESSES = 12;
const PURPOSE = 'add_credential';

interface Server {
  home: string;
  env: Record<string, string>;
  peridio(args: readonly string[]): BinRun;
}

async function server(): Promise<Server> {
  requireBuild();
  const url = await freshDatabase();
  const { home, env: homeEnv } = cliHome();
  const env = { ...homeEnv, PATH: process.env.PATH ?? '/usr/bin:/bin', CI: 'true', VERICODE_STORE: url };
  const peridio = (args: readonly string[]): BinRun => runBin(args, { env, cwd: home });
  expect(peridio(['init', '-q']).exitCode).toBe(0);
  return { home, env, peridio };
}

/**
 * Starts one `codes redeem` per code at once (each reads its code from a file on
 * stdin: `exec` makes the shell become the command, so killing it kills the command),
 * and counts the outcomes by error code. Every process is gone when this returns.
 */
async function race(s: Server, userId: string, codes: readonly string[]): Promise<Record<string, number>> {
  const files = codes.map((code, i) => {
    const file = join(s.home, `code-${userId}-${i}.txt`);
    writeFileSync(file, `${code}\n`);
    return file;
  });
  const children: Child[] = [];
  try {
    for (const file of files) {
      children.push(
        start('/bin/sh', ['-c', `exec "${process.execPath}" "${BIN}" codes redeem --user ${userId} --purpose ${PURPOSE} --json < "${file}"`], { env: s.env }),
      );
    }
    const exits = await Promise.all(children.map((c) => c.exited));
    return children.reduce<Record<string, number>>((counts, child, i) => {
      const outcome = exits[i] === 0 ? 'ok' : outcomeOf(child, exits[i]!);
      return { ...counts, [outcome]: (counts[outcome] ?? 0) + 1 };
    }, {});
  } finally {
    await Promise.all(children.map(killHard));
  }
}

function outcomeOf(child: Child, exitCode: number | null): string {
  try {
    return `${(JSON.parse(child.stderr()) as { error: { code: string } }).error.code} (exit ${exitCode})`;
  } catch {
    return `crash (exit ${exitCode}): ${child.stderr()}`;
  }
}

function redeemEvents(s: Server, userId: string): Array<{ action: string; outcome: string; reason: string | null; details: Record<string, unknown> }> {
  const run = s.peridio(['audit', 'list', '--action', 'code', '--limit', '1000', '--json']);
  expect(run.exitCode, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { items: ReturnType<typeof redeemEvents> }).items.filter((e) => e.details.user_id === userId);
}

describe('processes racing on a PostgreSQL store', { timeout: 300_000 }, () => {
  it('12 redeeming one code: exactly one wins, the 11 others are refused', async () => {
    const s = await server();
    for (const type of ['long', 'short'] as const) {
      const userId = `racer-${type}`;
      const issued = s.peridio(['codes', type, '--user', userId, '--purpose', PURPOSE, '--authorize', '-q']);
      expect(issued.exitCode, issued.stderr).toBe(0);
      const outcomes = await race(
        s,
        userId,
        Array.from({ length: PROCESSES }, () => issued.stdout.trim()),
      );
      // Every loser comes after the winner (the code is consumed): the 10th failure
      // locks the pair, so the last one is told it is locked.
      expect({ type, outcomes }).toEqual({ type, outcomes: { ok: 1, 'invalid_code (exit 3)': 10, 'locked (exit 5)': 1 } });
      const redeems = redeemEvents(s, userId).filter((e) => e.action === 'code.redeem');
      expect(redeems.filter((e) => e.outcome === 'success')).toHaveLength(1);
      expect(redeems.filter((e) => e.reason === 'consumed')).toHaveLength(10);
    }
    expect(s.peridio(['audit', 'verify', '-q']).exitCode).toBe(0);
  });

  it('12 submitting wrong codes at once: exactly 10 failures are counted, then the pair is locked', async () => {
    const s = await server();
    const userId = 'guesser';
    expect(s.peridio(['codes', 'long', '--user', userId, '--purpose', PURPOSE, '--authorize', '-q']).exitCode).toBe(0);
    const wrong = Array.from({ length: PROCESSES }, (_, i) => `${'x'.repeat(30)}${String(i).padStart(2, '0')}`);
    expect(await race(s, userId, wrong)).toEqual({ 'invalid_code (exit 3)': 10, 'locked (exit 5)': 2 });
    const events = redeemEvents(s, userId);
    expect(
      events
        .filter((e) => e.action === 'code.redeem')
        .map((e) => e.reason)
        .sort(),
    ).toEqual(['locked', 'locked', ...Array<string>(10).fill('no_match')]);
    expect(events.filter((e) => e.action === 'code.lock').map((e) => e.details.failures)).toEqual([10]);
    const locked = s.peridio(['codes', 'list', '--user', userId, '--status', 'locked', '--json']);
    expect((JSON.parse(locked.stdout) as { items: unknown[] }).items).toHaveLength(1);
    expect(s.peridio(['audit', 'verify', '-q']).exitCode).toBe(0);
  });
});
