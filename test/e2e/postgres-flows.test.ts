/**
 * The CLI's flows run by the built command against PostgreSQL (`VERICODE_STORE` set to
 * a `postgres://` URL of a fresh database per test), as the SQLite versions in
 * ca-certificates-openssl, device-verify-openssl, peridio-azure-scripts and codes-cli
 * run them against a file: the AWS and Azure flows with openssl-made certificates,
 * one-time codes, device checks, store maintenance, and `store migrate` from a file to
 * PostgreSQL and back, each store's audit log verified.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, type BinRun } from '../helpers/bin.js';
import { freshDatabase } from '../helpers/postgres.js';
import { cliHome } from '../helpers/run-cli.js';
import { GENKEY, guideCa, guideVerificationCertificate, keyAndCsr, NEWKEY, selfSignedRoot, signCsr } from '../helpers/openssl-recipes.js';
import { requireBuild } from './support/processes.js';

interface PgHome {
  home: string;
  url: string;
  peridio(args: readonly string[], options?: { stdin?: string; env?: Record<string, string> }): BinRun;
}

/** A private HOME whose store is a new PostgreSQL database, created with `init`. */
async function pgHome(): Promise<PgHome> {
  requireBuild();
  const url = await freshDatabase();
  const { home, env } = cliHome();
  const peridio: PgHome['peridio'] = (args, options = {}) =>
    runBin(args, { env: { ...env, CI: 'true', VERICODE_STORE: url, ...options.env }, cwd: home, input: options.stdin });
  expect(peridio(['init', '-q'])).toMatchObject({ exitCode: 0 });
  return { home, url, peridio };
}

function json<T = Record<string, unknown>>(run: BinRun): T {
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

function errorCode(run: BinRun): string {
  return (JSON.parse(run.stderr) as { error: { code: string } }).error.code;
}

function codeStatuses(p: PgHome): string[] {
  return json<{ items: Array<{ status: string }> }>(p.peridio(['ca-certificates', 'verification-codes', 'list', '--json'])).items.map((c) => c.status);
}

/** What `audit verify --json` says of a chain: its length and head. */
function chainOf(run: BinRun): { events: number; head_hash: string } {
  const { events, head_hash } = json<{ events: number; head_hash: string }>(run);
  return { events, head_hash };
}

function auditVerify(p: PgHome, env: Record<string, string> = {}): { events: number; head_hash: string } {
  return chainOf(p.peridio(['audit', 'verify', '--json'], { env }));
}

// Key generation and a few dozen runs of the built command on a busy machine.
describe('the CLI flows against PostgreSQL', { timeout: 300_000 }, () => {
  it.each([
    ['RSA 2048', GENKEY.rsa2048],
    ['P-256', GENKEY.p256],
  ] as const)('Peridio / AWS flow with openssl (%s): code, verification certificate, register', async (_name, genkey) => {
    const p = await pgHome();
    guideCa(p.home, genkey);
    const code = p.peridio(['ca-certificates', 'verification-codes', 'create', '-q']);
    expect(code.exitCode, code.stderr).toBe(0);
    guideVerificationCertificate(p.home, genkey, code.stdout.trim());
    const registered = json(p.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--json']));
    expect(registered).toMatchObject({ is_verified: true, status: 'active', subject: expect.stringContaining('Example Root CA') });
    expect(codeStatuses(p)).toEqual(['consumed']);
    const again = p.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem']);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toMatch(/^peridio: error: the verification code was already used/);
    expect(json(p.peridio(['ca-certificates', 'get', registered.prn as string, '--json']))).toEqual(registered);
    expect(auditVerify(p).events).toBeGreaterThan(2);
  });

  it('Azure flow: register unverified, bound code (a new etag), verify with --if-match; a stale etag is refused', async () => {
    const p = await pgHome();
    guideCa(p.home, GENKEY.p256);
    const created = json(p.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '--name', 'factory-ca', '--json']));
    expect(created).toMatchObject({ name: 'factory-ca', is_verified: false });
    const bound = json<{ code: string; certificate_etag: string }>(
      p.peridio(['ca-certificates', 'verification-codes', 'create', '--certificate', 'factory-ca', '--if-match', created.etag as string, '--json']),
    );
    expect(bound.certificate_etag).not.toBe(created.etag);
    guideVerificationCertificate(p.home, GENKEY.p256, bound.code);
    const stale = p.peridio(['ca-certificates', 'verify', 'factory-ca', '-v', 'verification.pem', '--if-match', created.etag as string, '--json']);
    expect({ exitCode: stale.exitCode, code: errorCode(stale) }).toEqual({ exitCode: 5, code: 'etag_mismatch' });
    const verified = json(p.peridio(['ca-certificates', 'verify', 'factory-ca', '-v', 'verification.pem', '--if-match', bound.certificate_etag, '--json']));
    expect(verified).toMatchObject({ prn: created.prn, is_verified: true });
    expect(json(p.peridio(['ca-certificates', 'get', 'factory-ca', '--json']))).toEqual(verified);
    expect(json<{ items: Array<{ name: string }> }>(p.peridio(['ca-certificates', 'list', '--search', 'FACTORY', '--json'])).items.map((c) => c.name)).toEqual([
      'factory-ca',
    ]);
    auditVerify(p);
  });

  it('one-time codes: issue, authorize, redeem once, invalidate, and the lock after 10 failures', async () => {
    const p = await pgHome();
    const pair = ['--user', 'dave@example.com', '--purpose', 'account_recovery'];
    const phrase = p.peridio(['codes', 'phrase', ...pair, '-q']).stdout.trim();
    expect(phrase.split(' ')).toHaveLength(12);
    const unauthorized = p.peridio(['codes', 'redeem', ...pair, '--json'], { stdin: phrase });
    expect({ exitCode: unauthorized.exitCode, code: errorCode(unauthorized) }).toEqual({ exitCode: 3, code: 'not_authorized' });
    expect(p.peridio(['codes', 'authorize', ...pair, '-q'], { stdin: phrase.toUpperCase() })).toEqual({ stdout: 'active\n', stderr: '', exitCode: 0 });
    expect(p.peridio(['codes', 'redeem', ...pair, '-q'], { stdin: `  ${phrase}\n` })).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
    expect(p.peridio(['codes', 'redeem', ...pair], { stdin: phrase })).toMatchObject({
      exitCode: 3,
      stderr: expect.stringContaining('peridio: error: the code is not valid for this user and purpose\n'),
    });

    p.peridio(['codes', 'long', ...pair, '--authorize', '-q']);
    expect(p.peridio(['codes', 'invalidate', ...pair, '--type', 'long', '-q'])).toEqual({ stdout: '1\n', stderr: '', exitCode: 0 });
    expect(
      json<{ items: Array<{ type: string; status: string }> }>(p.peridio(['codes', 'list', '--user', 'dave@example.com', '--json'])).items.map(
        (c) => `${c.type} ${c.status}`,
      ),
    ).toEqual(['long invalidated', 'phrase consumed']);

    // Another pair, whose count starts at zero: 10 failures lock it, even for the right code.
    const guessed = ['--user', 'erin', '--purpose', 'temporary_authentication'];
    const short = p.peridio(['codes', 'short', ...guessed, '--authorize', '-q']).stdout.trim();
    const wrong = short === '000000' ? '000001' : '000000';
    for (let i = 0; i < 10; i += 1) expect({ i, exitCode: p.peridio(['codes', 'redeem', ...guessed], { stdin: wrong }).exitCode }).toEqual({ i, exitCode: 3 });
    const locked = p.peridio(['codes', 'redeem', ...guessed, '--json'], { stdin: short });
    expect({ exitCode: locked.exitCode, code: errorCode(locked) }).toEqual({ exitCode: 5, code: 'locked' });
    expect(json<{ items: Array<{ user_id: string }> }>(p.peridio(['codes', 'list', '--status', 'locked', '--json'])).items.map((c) => c.user_id)).toEqual([
      'erin',
    ]);
    auditVerify(p);
  });

  it('device-certificates verify: openssl-made v1 and v3 device certificates against a registered root', async () => {
    const p = await pgHome();
    writeFileSync(
      join(p.home, 'device.cnf'),
      '[device]\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth\nsubjectAltName = DNS:device-42.fleet.example.com\n',
    );
    selfSignedRoot(p.home, 'root', NEWKEY.rsa2048, '/CN=Fleet Root/O=Example');
    keyAndCsr(p.home, 'device', NEWKEY.p256, '/CN=device-42');
    signCsr(p.home, { csr: 'device.csr', ca: 'root', days: 500, out: 'v1.pem' });
    signCsr(p.home, { csr: 'device.csr', ca: 'root', days: 500, extfile: 'device.cnf', extensions: 'device', out: 'v3.pem' });
    const unknown = p.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '--json']);
    expect(unknown.exitCode).toBe(3);
    expect(p.peridio(['ca-certificates', 'create', '-c', 'root.pem', '--verified', '-q']).exitCode).toBe(0);
    expect(p.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '-q']).exitCode).toBe(0);
    expect(
      p.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--purpose', 'client-auth', '--dns-name', 'device-42.fleet.example.com', '-q']).exitCode,
    ).toBe(0);
    expect(p.peridio(['device-certificates', 'verify', '-c', 'v3.pem', '--purpose', 'server-auth', '-q']).exitCode).toBe(3);
    // An inactive root no longer vouches for its devices.
    const prn = p.peridio(['ca-certificates', 'list', '-q']).stdout.trim();
    expect(p.peridio(['ca-certificates', 'update', prn, '--inactive', '-q']).exitCode).toBe(0);
    expect(p.peridio(['device-certificates', 'verify', '-c', 'v1.pem', '-q']).exitCode).toBe(3);
    auditVerify(p);
  });

  it('store info, backup to a file that opens and verifies, purge, audit verify, rekey', async () => {
    const p = await pgHome();
    p.peridio(['ca-certificates', 'verification-codes', 'create', '--ttl', '5m', '-q']);
    p.peridio(['codes', 'long', '--user', 'erin', '--purpose', 'add_credential', '-q']);
    const info = json<{ format: string; key_mode: string; audit: { events: number; head_hash: string } }>(p.peridio(['store', 'info', '--json']));
    expect(info).toMatchObject({ format: 'postgres-aes-256-gcm', key_mode: 'key-file' });
    expect(JSON.stringify(info)).not.toMatch(/:[^@/]*@/);

    const backup = json<{ path: string; audit: { events: number; head_hash: string } }>(p.peridio(['store', 'backup', '--out', 'backup.db', '--json']));
    expect(backup.audit).toEqual(info.audit);
    const fromFile = auditVerify(p, { VERICODE_STORE: join(p.home, 'backup.db') });
    expect(fromFile).toMatchObject(backup.audit);
    expect(json<{ format: string }>(p.peridio(['store', 'info', '--json'], { env: { VERICODE_STORE: join(p.home, 'backup.db') } })).format).toBe('sqlcipher-4');

    const purged = json<{ removed: Record<string, number> }>(p.peridio(['store', 'purge', '--older-than', '1s', '--json']));
    expect(purged.removed).toEqual({ verification_codes: 0, one_time_codes: 0 });
    const verified = auditVerify(p);
    expect(verified.events).toBe(backup.audit.events + 2);

    const newKey = join(p.home, 'new.key');
    expect(p.peridio(['store', 'rekey', '--new-key-file', newKey, '-q']).exitCode).toBe(0);
    expect(existsSync(newKey)).toBe(true);
    const old = p.peridio(['store', 'info', '--json']);
    expect({ exitCode: old.exitCode, code: errorCode(old) }).toEqual({ exitCode: 7, code: 'store_locked' });
    const rekeyed = auditVerify(p, { VERICODE_KEY_FILE: newKey });
    expect(rekeyed.events).toBe(verified.events + 1);
    expect(json<{ items: unknown[] }>(p.peridio(['codes', 'list', '--user', 'erin', '--json'], { env: { VERICODE_KEY_FILE: newKey } })).items).toHaveLength(1);
  });
});

describe('store migrate between a file and PostgreSQL', { timeout: 300_000 }, () => {
  it('copies a used store file to PostgreSQL and back: every record, the same chain, and both sides verify', async () => {
    requireBuild();
    const { home, env } = cliHome();
    const file = (args: readonly string[], input?: string): BinRun => runBin(args, { env: { ...env, CI: 'true' }, cwd: home, input });
    guideCa(home, GENKEY.p256);
    const code = file(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim();
    guideVerificationCertificate(home, GENKEY.p256, code);
    expect(file(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--name', 'line-1', '--description', 'station 1', '-q']).exitCode).toBe(
      0,
    );
    const long = file(['codes', 'long', '--user', 'frank', '--purpose', 'add_credential', '--authorize', '-q']).stdout.trim();
    file(['codes', 'redeem', '--user', 'frank', '--purpose', 'add_credential'], 'A'.repeat(32));
    const fileHead = chainOf(file(['audit', 'verify', '--json']));

    const url = await freshDatabase();
    const up = json<{ tables: Record<string, number>; audit: { events: number; head_hash: string }; target: { kind: string; audit: { events: number } } }>(
      file(['store', 'migrate', '--to', url, '--json']),
    );
    expect(up.audit).toEqual(fileHead);
    expect(up.target).toMatchObject({ kind: 'postgres', audit: { events: fileHead.events + 1 } });
    expect(up.tables).toMatchObject({
      organizations: 1,
      ca_certificates: 1,
      verification_codes: 1,
      one_time_codes: 1,
      one_time_code_attempts: 1,
      audit_events: fileHead.events,
    });
    // The source is as it was.
    expect(chainOf(file(['audit', 'verify', '--json']))).toEqual(fileHead);

    const pg = (args: readonly string[], input?: string): BinRun => runBin(args, { env: { ...env, CI: 'true', VERICODE_STORE: url }, cwd: home, input });
    const pgHead = chainOf(pg(['audit', 'verify', '--json']));
    expect(pgHead.events).toBe(fileHead.events + 1);
    expect(json<{ name: string; description: string; is_verified: boolean }>(pg(['ca-certificates', 'get', 'line-1', '--json']))).toMatchObject({
      name: 'line-1',
      description: 'station 1',
      is_verified: true,
    });
    // The HMAC secret moved with the codes: the code issued on the workstation redeems on the server.
    expect(pg(['codes', 'redeem', '--user', 'frank', '--purpose', 'add_credential', '-q'], long)).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });

    const back = json<{ audit: { events: number; head_hash: string }; target: { kind: string; location: string } }>(
      pg(['store', 'migrate', '--to', 'back.db', '--json']),
    );
    expect(back.target).toMatchObject({ kind: 'sqlite', location: join(home, 'back.db') });
    expect(chainOf(file(['audit', 'verify', '--json']))).toEqual(fileHead);
    const copy = (args: readonly string[]): BinRun => runBin(args, { env: { ...env, CI: 'true', VERICODE_STORE: join(home, 'back.db') }, cwd: home });
    const copyHead = chainOf(copy(['audit', 'verify', '--json']));
    expect(copyHead.events).toBe(back.audit.events + 1);
    expect(json<{ items: Array<{ status: string }> }>(copy(['codes', 'list', '--json'])).items.map((c) => c.status)).toEqual(['consumed']);
    expect(json<{ items: Array<{ action: string }> }>(copy(['audit', 'list', '--limit', '3', '--json'])).items.map((e) => e.action)).toEqual([
      'store.migrate',
      'code.redeem',
      'store.migrate',
    ]);
  });

  it('refuses a database that holds a store, one it cannot reach, and a wrong key for the target', async () => {
    const p = await pgHome();
    const { home, env } = cliHome();
    const file = (args: readonly string[]): BinRun => runBin(args, { env: { ...env, CI: 'true' }, cwd: home });
    expect(file(['init', '-q']).exitCode).toBe(0);

    const occupied = file(['store', 'migrate', '--to', p.url, '--json']);
    expect({ exitCode: occupied.exitCode, code: errorCode(occupied) }).toEqual({ exitCode: 5, code: 'already_registered' });

    expect(file(['store', 'migrate', '--to', 'postgres://nobody@127.0.0.1:1/vericode'])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: cannot connect to postgres://nobody@127.0.0.1:1/vericode: connection refused\nperidio: hint: check that the PostgreSQL server is running and listens on that host and port\n',
      exitCode: 7,
    });
    const missing = `${p.url.slice(0, p.url.lastIndexOf('/'))}/no_such_database`;
    const shown = missing.replace(/:[^:@/]*@/, '@');
    expect(file(['store', 'migrate', '--to', missing])).toEqual({
      stdout: '',
      stderr: `peridio: error: cannot open ${shown}: database "no_such_database" does not exist\nperidio: hint: create the empty database first (createdb), then run the migration again\n`,
      exitCode: 7,
    });

    const otherKey = join(home, 'other.key');
    writeFileSync(otherKey, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const wrongKey = file(['store', 'migrate', '--to', p.url, '--to-key-file', otherKey]);
    expect(wrongKey).toEqual({
      stdout: '',
      stderr: `peridio: error: wrong passphrase or key for ${p.url.replace(/:[^:@/]*@/, '@')} (tried the key file ${otherKey})\nperidio: hint: the target is a store under another key: pass its key with --to-key-file or --to-passphrase-file (the default is the key of the store being copied), or migrate into a new file or an empty database\n`,
      exitCode: 7,
    });
    // The same database, named with another user and scheme, is the store being copied.
    const sameDatabase = p.url.replace(/^postgres:\/\/[^@]*@/, 'postgresql://someone@');
    expect(p.peridio(['store', 'migrate', '--to', sameDatabase])).toEqual({
      stdout: '',
      stderr: `peridio: error: --to ${sameDatabase} is the store being copied\nperidio: hint: name a new file or another database; the store in use is chosen with --store or VERICODE_STORE (see peridio store info)\n`,
      exitCode: 2,
    });
    // The server's store is as it was.
    expect(json<{ events: number }>(p.peridio(['audit', 'verify', '--json'])).events).toBe(1);
  });
});

describe('init and store info against PostgreSQL', { timeout: 120_000 }, () => {
  it('names the store without its password, refuses a second init (exit 5), and shows no SQLite-only advice', async () => {
    requireBuild();
    const url = await freshDatabase();
    const password = new URL(url).password;
    expect(password).not.toBe('');
    const { home, env } = cliHome();
    const peridio = (args: readonly string[]): BinRun => runBin(args, { env: { ...env, CI: 'true', VERICODE_STORE: url }, cwd: home });
    const first = json<{ store: string }>(peridio(['init', '--json']));
    const shown = new URL(url);
    shown.password = '';
    expect(first.store).toBe(shown.toString());
    const again = peridio(['init']);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toContain(`a store already exists at ${shown.toString()}`);
    expect(`${again.stdout}${again.stderr}`).not.toContain(password);
    const info = peridio(['store', 'info']);
    expect(info.exitCode, info.stderr).toBe(0);
    expect(info.stdout).not.toContain('purge --compact');
    expect(info.stdout).not.toContain(password);
  });
});
