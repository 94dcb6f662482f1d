import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDefaultOrganization } from '../../src/core/organizations.js';
import { issueVerificationCode } from '../../src/core/verification-codes.js';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { Store } from '../../src/store/store.js';
import { fixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome, runCli, type CliHome } from '../helpers/run-cli.js';
import { TEST_KEY } from '../helpers/store.js';

/** A CLI home whose store holds `codes` issued codes (codes + 1 events); `sql` runs on it afterwards. */
async function home(codes: number, sql?: string): Promise<CliHome> {
  const h = cliHome();
  const store = await openSqliteStore(h.storePath, { mode: 'key-file', key: TEST_KEY }, { create: true });
  try {
    const ctx = { store, clock: fixedClock(), random: seededRandom(3) };
    const organizationId = (await ensureDefaultOrganization(ctx)).organization.prn.slice('prn:1:'.length);
    for (let i = 0; i < codes; i += 1) await issueVerificationCode(ctx, { organizationId });
    if (sql) store.connection.db.exec(sql);
  } finally {
    await store.close();
  }
  return h;
}

const ANCHOR = /^\{"seq":4,"hash":"[0-9a-f]{64}","at":"2025-01-01T00:00:00Z"\}\n$/;

describe('peridio audit anchor', () => {
  it('prints the head as JSON, or writes it to a new 0600 file and never overwrites one', async () => {
    const h = await home(3);
    const printed = await runCli(['audit', 'anchor'], { env: h.env });
    expect(printed).toEqual({ stdout: expect.stringMatching(ANCHOR), stderr: '', exitCode: 0 });
    const out = join(h.home, 'anchor.json');
    const written = await runCli(['audit', 'anchor', '--out', out, '-q'], { env: h.env });
    expect(written).toEqual({ stdout: `${out}\n`, stderr: '', exitCode: 0 });
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await runCli(['audit', 'anchor', '--out', out], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: anchor file ${out} already exists: refusing to overwrite it\nperidio: hint: choose another path, or remove the file first\n`,
      exitCode: 2,
    });
  });
});

describe('peridio audit verify --anchor and --since', () => {
  it('passes with the anchor as a file or a hash, and with --since', async () => {
    const h = await home(3);
    const anchor = JSON.parse((await runCli(['audit', 'anchor'], { env: h.env })).stdout) as { seq: number; hash: string };
    const file = join(h.home, 'anchor.json');
    writeFileSync(file, JSON.stringify(anchor));
    expect(await runCli(['audit', 'verify', '--anchor', file], { env: h.env })).toEqual({
      stdout: `status\tok\nevents\t4\nhead hash\t${anchor.hash}\nanchor\tevent 4 ${anchor.hash}\n`,
      stderr: '',
      exitCode: 0,
    });
    const json = await runCli(['audit', 'verify', '--anchor', anchor.hash, '--since', '4', '--json'], { env: h.env });
    expect(JSON.parse(json.stdout)).toEqual({
      events: 1,
      head_hash: anchor.hash,
      verified_at: expect.any(String),
      since: 4,
      anchor: { seq: 4, hash: anchor.hash },
    });
  });

  it('fails with exit 3 when the log no longer holds the anchored event (truncated)', async () => {
    const h = await home(3);
    const anchor = JSON.parse((await runCli(['audit', 'anchor'], { env: h.env })).stdout) as { seq: number; hash: string };
    const file = join(h.home, 'anchor.json');
    writeFileSync(file, JSON.stringify(anchor));
    const store = await Store.open(h.storePath, { mode: 'key-file', key: TEST_KEY });
    store.db.exec('DELETE FROM audit_events WHERE seq = 4; DELETE FROM verification_codes WHERE seq = 3');
    store.close();
    expect(await runCli(['audit', 'verify', '--anchor', file], { env: h.env })).toEqual({
      stdout: '',
      stderr:
        'peridio: error: audit log does not match the anchor: the log has no event 4 (it was truncated or rolled back)\nperidio: hint: restore the store from a backup taken after the anchor, and find out who changed it\n',
      exitCode: 3,
    });
  });

  it.each([
    [['--since', '0'], 'peridio: error: invalid --since "0": it must be an event number (seq), 1 or more\n'],
    [['--since', 'x'], 'peridio: error: invalid --since "x": it must be an event number (seq), 1 or more\n'],
    [['--since', '9'], 'peridio: error: invalid --since 9: it must be the number of an event, from 1 to 2\n'],
    [['--anchor', 'nope.json'], 'peridio: error: cannot read anchor file nope.json: no such file or directory\n'],
  ])('rejects %j (exit 2)', async (args, stderr) => {
    const h = await home(1);
    const run = await runCli(['audit', 'verify', ...args], { env: h.env });
    expect(run).toEqual({ stdout: '', stderr, exitCode: 2 });
  });

  it('rejects an anchor file that is not one (exit 2)', async () => {
    const h = await home(1);
    const file = join(h.home, 'bad.json');
    writeFileSync(file, '{"seq":1}');
    expect(await runCli(['audit', 'verify', '--anchor', file], { env: h.env })).toEqual({
      stdout: '',
      stderr: `peridio: error: anchor file ${file} is not an audit anchor: expected JSON {"seq", "hash", "at"} as peridio audit anchor writes it, or a 64-character hex hash\n`,
      exitCode: 2,
    });
  });
});

describe('a row whose details are not JSON', () => {
  const BROKEN = 'UPDATE audit_events SET details = \'{"length":\' WHERE seq = 3';
  const error =
    'peridio: error: audit log is broken at event 3: its details are not valid JSON\nperidio: hint: the store was changed outside vericode; compare with a backup or an exported copy (peridio audit export)\n';

  it.each([[['audit', 'verify']], [['audit', 'list']]])('makes %j exit 3 naming the event', async (args) => {
    const h = await home(3, BROKEN);
    expect(await runCli(args, { env: h.env })).toEqual({ stdout: '', stderr: error, exitCode: 3 });
  });

  it('makes audit export stop there with exit 3, after the events before it', async () => {
    const h = await home(3, BROKEN);
    const run = await runCli(['audit', 'export'], { env: h.env });
    expect(run).toEqual({ stdout: expect.any(String), stderr: error, exitCode: 3 });
    expect(
      run.stdout
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { seq: number }).seq),
    ).toEqual([1, 2]);
  });
});
