import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { insertCaCertificate, type CaCertificateRow } from '../../src/store/ca-certificates.js';
import { cliHome, runCli, scriptedPrompter, type CliHome } from '../helpers/run-cli.js';
import { seededRandom } from '../helpers/random.js';
import { TEST_KEY } from '../helpers/store.js';

const ORG_LINE = /^prn:1:([0-9a-f-]{36})$/;

/** A CLI home whose store holds the given CA records (written straight to the store). */
async function homeWithCas(rows: Array<Partial<CaCertificateRow>>): Promise<CliHome & { orgId: string; prns: string[] }> {
  const home = cliHome();
  const org = await runCli(['organizations', 'list', '-q'], { env: home.env });
  const orgId = ORG_LINE.exec(org.stdout.trim())![1]!;
  const store = await Store.open(home.storePath, { mode: 'key-file', key: TEST_KEY });
  const prns = rows.map((overrides, i) => {
    const row: Omit<CaCertificateRow, 'seq'> = {
      id: `00000000-0000-4000-8000-00000000000${i + 1}`,
      organization_id: orgId,
      name: `ca-${i + 1}`,
      der: Buffer.from([0x30, i]),
      fingerprint_sha256: String(i + 1).repeat(64),
      subject_der: Buffer.from([i]),
      subject: `CN=Root ${i + 1}`,
      issuer: `CN=Root ${i + 1}`,
      serial: '0a',
      not_before: '2024-01-01T00:00:00Z',
      not_after: '2034-01-01T00:00:00Z',
      is_verified: 1,
      status: 'active',
      etag: `${i + 1}`.repeat(16),
      description: null,
      jitp: null,
      created_at: Date.parse('2025-01-01T00:00:00Z'),
      updated_at: Date.parse('2025-01-01T00:00:00Z'),
      ...overrides,
    };
    store.write(() => insertCaCertificate(store, row));
    return `prn:1:${orgId}:ca_certificate:${row.id}`;
  });
  store.close();
  return { ...home, orgId, prns };
}

describe('peridio ca-certificates list', () => {
  it('prints one tab-separated line per CA when piped, newest first', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha' }, { name: null, is_verified: 0, status: 'inactive' }]);
    expect(await runCli(['ca-certificates', 'list'], { env })).toEqual({
      stdout: `${prns[1]}\t-\tCN=Root 2\tno\tinactive\t2034-01-01T00:00:00Z\n${prns[0]}\talpha\tCN=Root 1\tyes\tactive\t2034-01-01T00:00:00Z\n`,
      stderr: '',
      exitCode: 0,
    });
  });

  it('prints a table with headers and short ids on a TTY', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha' }]);
    const run = await runCli(['ca-certificates', 'list', '--no-color'], { env, tty: true });
    expect(prns[0]).toMatch(/:ca_certificate:00000000-0000-4000-8000-000000000001$/);
    expect(run).toEqual({
      stdout: 'ID        NAME   SUBJECT    VERIFIED  STATUS  NOT AFTER\n00000000  alpha  CN=Root 1  yes       active  2034-01-01T00:00:00Z\n',
      stderr: '',
      exitCode: 0,
    });
  });

  it('gives {"items": [], "next_page": null} as JSON for an empty store, and pages with a hint', async () => {
    const empty = await homeWithCas([]);
    expect(await runCli(['ca-certificates', 'list', '--json'], { env: empty.env })).toEqual({
      stdout: '{\n  "items": [],\n  "next_page": null\n}\n',
      stderr: '',
      exitCode: 0,
    });
    const { env, prns } = await homeWithCas([{ name: 'alpha' }, { name: 'beta' }]);
    const first = await runCli(['ca-certificates', 'list', '--limit', '1', '-q'], { env });
    expect(first.stdout).toBe(`${prns[1]}\n`);
    expect(first.stderr).toBe('');
    const page = JSON.parse((await runCli(['ca-certificates', 'list', '--limit', '1', '--json'], { env })).stdout) as { next_page: string };
    const piped = await runCli(['ca-certificates', 'list', '--limit', '1'], { env });
    expect(piped.stderr).toBe(`peridio: hint: more CA certificates: add --page ${page.next_page}\n`);
    expect((await runCli(['ca-certificates', 'list', '--page', page.next_page, '-q'], { env })).stdout).toBe(`${prns[0]}\n`);
  });

  it('searches by name, subject, description or fingerprint', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha' }, { name: 'beta', description: 'Factory line 2' }]);
    expect((await runCli(['ca-certificates', 'list', '--search', 'factory', '-q'], { env })).stdout).toBe(`${prns[1]}\n`);
    expect((await runCli(['ca-certificates', 'list', '--search', 'root 1', '-q'], { env })).stdout).toBe(`${prns[0]}\n`);
  });

  it('refuses a bad --limit or --page with exit 2', async () => {
    const { env } = await homeWithCas([]);
    expect(await runCli(['ca-certificates', 'list', '--limit', '0'], { env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --limit "0": it must be a whole number from 1 to 1000\n',
      exitCode: 2,
    });
    expect((await runCli(['ca-certificates', 'list', '--page', 'garbage'], { env })).exitCode).toBe(2);
  });
});

describe('peridio ca-certificates get', () => {
  it('shows every field of the spec as JSON', async () => {
    const { env, prns } = await homeWithCas([
      { name: 'alpha', jitp: JSON.stringify({ description: 'd', tags: ['a'], product_name: 'p', target: null, cohort_prn: null }) },
    ]);
    const run = await runCli(['ca-certificates', 'get', 'alpha', '--json'], { env });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      prn: prns[0],
      name: 'alpha',
      subject: 'CN=Root 1',
      issuer: 'CN=Root 1',
      serial: '0a',
      fingerprint_sha256: '1'.repeat(64),
      not_before: '2024-01-01T00:00:00Z',
      not_after: '2034-01-01T00:00:00Z',
      is_verified: true,
      status: 'active',
      etag: '1'.repeat(16),
      description: null,
      jitp: { description: 'd', tags: ['a'], product_name: 'p', target: null, cohort_prn: null },
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
    });
  });

  it('prints key/value lines when piped and the PRN with -q', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha' }]);
    expect((await runCli(['ca-certificates', 'get', prns[0]!, '-q'], { env })).stdout).toBe(`${prns[0]}\n`);
    expect((await runCli(['ca-certificates', 'get', 'alpha'], { env })).stdout).toBe(
      [
        `prn\t${prns[0]}`,
        'name\talpha',
        'subject\tCN=Root 1',
        'issuer\tCN=Root 1',
        'serial\t0a',
        `sha-256 fingerprint\t${'1'.repeat(64)}`,
        'not before\t2024-01-01T00:00:00Z',
        'not after\t2034-01-01T00:00:00Z',
        'verified\tyes',
        'status\tactive',
        `etag\t${'1'.repeat(16)}`,
        'description\t-',
        'jitp\t-',
        'created at\t2025-01-01T00:00:00Z',
        'updated at\t2025-01-01T00:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('exits 4 for a missing CA and 2 for a malformed reference', async () => {
    const { env } = await homeWithCas([]);
    expect(await runCli(['ca-certificates', 'get', 'missing'], { env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: CA certificate missing not found in this organization\nperidio: hint: see peridio ca-certificates list\n',
      exitCode: 4,
    });
    const bad = await runCli(['ca-certificates', 'get', 'has space', '--json'], { env });
    expect(bad.exitCode).toBe(2);
    expect(JSON.parse(bad.stderr)).toEqual({
      error: {
        code: 'usage',
        message: '"has space" is neither a CA certificate PRN nor a valid CA certificate name',
        hint: 'names follow ^[A-Za-z0-9-._]{1,64}$; see peridio ca-certificates list',
      },
    });
  });
});

describe('peridio ca-certificates update', () => {
  it('changes the status and the etag; a stale --if-match exits 5 and changes nothing', async () => {
    const { env } = await homeWithCas([{ name: 'alpha' }]);
    const stale = await runCli(['ca-certificates', 'update', 'alpha', '--inactive', '--if-match', 'abc'], { env });
    expect(stale).toEqual({
      stdout: '',
      stderr:
        'peridio: error: CA certificate alpha has changed: its etag is no longer abc\nperidio: hint: read the current etag with: peridio ca-certificates get alpha, then retry\n',
      exitCode: 5,
    });
    const before = JSON.parse((await runCli(['ca-certificates', 'get', 'alpha', '--json'], { env })).stdout) as { etag: string; status: string };
    expect(before.status).toBe('active');
    const updated = await runCli(['ca-certificates', 'update', 'alpha', '--inactive', '--if-match', before.etag, '--json'], { env });
    expect(updated.exitCode).toBe(0);
    const after = JSON.parse(updated.stdout) as { etag: string; status: string };
    expect(after.status).toBe('inactive');
    expect(after.etag).not.toBe(before.etag);
  });

  it('refuses --active with --inactive, and an update without changes', async () => {
    const { env } = await homeWithCas([{ name: 'alpha' }]);
    const both = await runCli(['ca-certificates', 'update', 'alpha', '--active', '--inactive'], { env });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/^peridio: error: option '--active' cannot be used with option '--inactive'/);
    expect(await runCli(['ca-certificates', 'update', 'alpha'], { env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: nothing to update\nperidio: hint: pass --description, --active, --inactive, --jitp-… or --disable-jitp\n',
      exitCode: 2,
    });
  });
});

describe('peridio ca-certificates delete', () => {
  it('refuses without -y when nobody can confirm, and deletes with -y', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha' }]);
    expect(await runCli(['ca-certificates', 'delete', 'alpha'], { env })).toEqual({
      stdout: '',
      stderr:
        'peridio: error: delete CA certificate alpha (CN=Root 1)? devices chaining to it will be refused: confirmation required\nperidio: hint: pass -y/--yes to confirm without a prompt\n',
      exitCode: 2,
    });
    expect(await runCli(['ca-certificates', 'delete', 'alpha', '-y'], { env })).toEqual({
      stdout: `deleted\t${prns[0]}\nname\talpha\nsubject\tCN=Root 1\n`,
      stderr: '',
      exitCode: 0,
    });
    expect((await runCli(['ca-certificates', 'get', 'alpha'], { env })).exitCode).toBe(4);
  });

  it('asks on a TTY, and keeps the CA when the answer is no', async () => {
    const { env } = await homeWithCas([{ name: 'alpha' }]);
    const no = scriptedPrompter([false]);
    expect(await runCli(['ca-certificates', 'delete', 'alpha'], { env, tty: true, prompter: no })).toEqual({
      stdout: '',
      stderr: 'peridio: error: cancelled\n',
      exitCode: 2,
    });
    expect(no.asked).toEqual(['delete CA certificate alpha (CN=Root 1)? devices chaining to it will be refused']);
    expect((await runCli(['ca-certificates', 'get', 'alpha', '-q'], { env })).exitCode).toBe(0);
    const yes = scriptedPrompter([true]);
    expect((await runCli(['ca-certificates', 'delete', 'alpha', '-q'], { env, tty: true, prompter: yes })).exitCode).toBe(0);
    expect((await runCli(['ca-certificates', 'get', 'alpha'], { env })).exitCode).toBe(4);
  });

  it('exits 5 for a stale --if-match even with -y', async () => {
    const { env } = await homeWithCas([{ name: 'alpha' }]);
    expect((await runCli(['ca-certificates', 'delete', 'alpha', '-y', '--if-match', 'old'], { env })).exitCode).toBe(5);
    expect((await runCli(['ca-certificates', 'get', 'alpha', '-q'], { env })).exitCode).toBe(0);
  });
});

describe('peridio ca-certificates verification-codes create --certificate', () => {
  it('binds the code to the CA and shows the verify step', async () => {
    const { env, prns } = await homeWithCas([{ name: 'alpha', is_verified: 0 }]);
    const run = await runCli(['ca-certificates', 'verification-codes', 'create', '--certificate', 'alpha', '--if-match', '1'.repeat(16), '--json'], { env });
    expect(run.exitCode).toBe(0);
    const issued = JSON.parse(run.stdout) as { certificate_etag: string };
    expect(issued).toMatchObject({ certificate_prn: prns[0], status: 'active', certificate_etag: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(issued.certificate_etag).not.toBe('1'.repeat(16));
    expect(JSON.parse((await runCli(['ca-certificates', 'get', 'alpha', '--json'], { env })).stdout)).toMatchObject({ etag: issued.certificate_etag });
    const human = await runCli(['ca-certificates', 'verification-codes', 'create', '--certificate', 'alpha', '--etag', issued.certificate_etag], {
      env,
      random: seededRandom(2),
    });
    expect(human.exitCode).toBe(0);
    const etag = JSON.parse((await runCli(['ca-certificates', 'get', 'alpha', '--json'], { env })).stdout).etag as string;
    expect(human.stdout.split('\n').filter((line) => line.startsWith('certificate'))).toEqual([`certificate\t${prns[0]}`, `certificate etag\t${etag}`]);
    expect(human.stderr).toContain('  peridio ca-certificates verify alpha -v verification.pem\n');
    expect(human.stderr).not.toContain('ca-certificates create -c');
  });

  it('refuses --if-match without --certificate, a stale etag and a verified CA', async () => {
    const { env } = await homeWithCas([{ name: 'alpha', is_verified: 0 }, { name: 'beta' }]);
    expect(await runCli(['ca-certificates', 'verification-codes', 'create', '--if-match', 'x'], { env })).toEqual({
      stdout: '',
      stderr: 'peridio: error: --if-match needs --certificate\nperidio: hint: bind the code to a CA with --certificate NAME|PRN\n',
      exitCode: 2,
    });
    expect((await runCli(['ca-certificates', 'verification-codes', 'create', '--certificate', 'alpha', '--if-match', 'x'], { env })).exitCode).toBe(5);
    expect((await runCli(['ca-certificates', 'verification-codes', 'create', '--certificate', 'beta'], { env })).exitCode).toBe(5);
    expect((await runCli(['ca-certificates', 'verification-codes', 'create', '--certificate', 'gamma'], { env })).exitCode).toBe(4);
    expect(JSON.parse((await runCli(['ca-certificates', 'verification-codes', 'list', '--json'], { env })).stdout)).toEqual({ items: [], next_page: null });
  });
});
