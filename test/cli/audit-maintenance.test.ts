import { describe, expect, it } from 'vitest';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { Store } from '../../src/store/store.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome, runCli, type CliHome } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';

/** A CLI home whose store holds `codes` issued codes (and so codes + 1 audit events). */
async function homeWithEvents(codes: number): Promise<CliHome> {
  const home = cliHome();
  const store = await openSqliteStore(home.storePath, { mode: 'key-file', key: TEST_KEY }, { create: true });
  try {
    const ctx = { store, clock: fixedClock(), random: seededRandom(3) };
    const organizationId = (await ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
    // Without an fsync per code, as the one transaction that filled it before.
    await store.withBulkWrites(async () => {
      for (let i = 0; i < codes; i += 1) await issueVerificationCode(ctx, { organizationId });
    });
  } finally {
    await store.close();
  }
  return home;
}

async function tamper(home: CliHome, sql: string): Promise<void> {
  const store = await Store.open(home.storePath, { mode: 'key-file', key: TEST_KEY });
  try {
    store.db.exec(sql);
  } finally {
    store.close();
  }
}

describe('peridio audit verify', () => {
  it('shows progress on a terminal for a long chain, then erases it', async () => {
    const home = await homeWithEvents(2499);
    const run = await runCli(['audit', 'verify'], { env: home.env, tty: true });
    expect(run.exitCode).toBe(0);
    const erase = '\r\x1b[2K';
    expect(run.stderr).toBe(
      `${erase}peridio: verifying the audit chain: 1000 of 2500 events (40%)${erase}peridio: verifying the audit chain: 2000 of 2500 events (80%)${erase}`,
    );
    // eslint-disable-next-line no-control-regex
    expect(run.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/^status: +ok\nevents: +2500\nhead hash: [0-9a-f]{64}\n$/);
  });

  it('shows no progress when piped', async () => {
    const home = await homeWithEvents(1500);
    const run = await runCli(['audit', 'verify'], { env: home.env });
    expect(run).toEqual({ stdout: expect.stringMatching(/^status\tok\nevents\t1501\nhead hash\t[0-9a-f]{64}\n$/), stderr: '', exitCode: 0 });
  });

  it.each([
    ["UPDATE audit_events SET reason = 'edited' WHERE seq = 3", 3, 'its contents do not match its hash'],
    ['DELETE FROM audit_events WHERE seq = 2', 3, 'expected event 2 here: an event is missing or out of order'],
    ['UPDATE audit_events SET details = \'{"length":33}\' WHERE seq = 5', 5, 'its contents do not match its hash'],
  ])('names the event changed by %j (exit 3)', async (sql, seq, problem) => {
    const home = await homeWithEvents(5);
    await tamper(home, sql);
    expect(await runCli(['audit', 'verify'], { env: home.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: audit log is broken at event ${seq}: ${problem}\nperidio: hint: the store was changed outside vericode; compare with a backup or an exported copy (peridio audit export)\n`,
      exitCode: 3,
    });
  });
});

describe('peridio audit export', () => {
  it('writes one JSON object per line with both hashes, whatever --json says', async () => {
    const home = await homeWithEvents(3);
    const plain = await runCli(['audit', 'export'], { env: home.env });
    expect(plain.exitCode).toBe(0);
    expect(plain.stderr).toBe('');
    const lines = plain.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(lines[0]!)).toEqual(['seq', 'at', 'action', 'organization_id', 'subject', 'outcome', 'reason', 'details', 'prev_hash', 'hash']);
    expect(lines[1]!.prev_hash).toBe(lines[0]!.hash);
    expect((await runCli(['audit', 'export', '--json'], { env: home.env })).stdout).toBe(plain.stdout);
  });

  it('says so on stderr when nothing matches --since, and refuses a bad --since (exit 2)', async () => {
    const home = await homeWithEvents(1);
    expect(await runCli(['audit', 'export', '--since', '2030-01-01T00:00:00Z'], { env: home.env })).toEqual({
      stdout: '',
      stderr: 'peridio: no audit events to export\n',
      exitCode: 0,
    });
    expect(await runCli(['audit', 'export', '--since', 'last week'], { env: home.env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --since "last week": expected an ISO 8601 date and time\nperidio: hint: for example --since 2024-03-01T00:00:00Z\n',
      exitCode: 2,
    });
  });
});
