/**
 * `peridio ca-certificates create` and `verify`: exact output of both flows, and every
 * bad input of issue 3 with its error, its exit code, no stack trace, and nothing
 * changed in the store beyond the consumed code and the audit events.
 */
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../helpers/clock.js';
import { certificate, name, newTestKey, selfSignedCa, v1Certificate, type TestCertificate } from '../helpers/mini-ca.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome, runCli, type CliRun, type RunOptions } from '../helpers/run-cli.js';
import { REPO_ROOT } from '../helpers/testdata.js';

const FIXTURES = join(REPO_ROOT, 'fixtures', 'x509');
const CONSUMED_HINT = 'request a new code with: peridio ca-certificates verification-codes create, and sign a new verification certificate with it';

interface Home {
  dir: string;
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  write(file: string, content: TestCertificate | string | Buffer): string;
  code(extra?: string[]): Promise<string>;
  snapshot(): Promise<Snapshot>;
}

interface Snapshot {
  cas: unknown[];
  codes: Array<{ id: string; status: string }>;
  audit: Array<{ action: string; outcome: string; reason: string | null }>;
}

let seed = 0;

function home(): Home {
  const h = cliHome();
  const run = (args: readonly string[], options: RunOptions = {}): Promise<CliRun> => runCli(args, { env: h.env, random: seededRandom(`create-${(seed += 1)}`), ...options });
  const json = async <T>(args: string[]): Promise<T> => {
    const result = await run([...args, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  return {
    dir: h.home,
    run,
    write(file, content) {
      const path = join(h.home, file);
      writeFileSync(path, typeof content === 'string' || Buffer.isBuffer(content) ? content : content.pem);
      return path;
    },
    async code(extra = []) {
      const issued = await run(['ca-certificates', 'verification-codes', 'create', '-q', ...extra]);
      expect(issued.exitCode, issued.stderr).toBe(0);
      return issued.stdout.trim();
    },
    async snapshot() {
      return {
        cas: (await json<{ items: unknown[] }>(['ca-certificates', 'list'])).items,
        codes: (await json<{ items: Array<{ id: string; status: string }> }>(['ca-certificates', 'verification-codes', 'list'])).items,
        audit: await json<Snapshot['audit']>(['audit', 'list']),
      };
    },
  };
}

/**
 * The store after a failed attempt: CAs unchanged; codes unchanged except `consumed`
 * (now consumed); only failure events appended, besides the consume itself.
 */
function expectOnlyAudited(before: Snapshot, after: Snapshot, consumed: string[] = []): void {
  expect(after.cas).toEqual(before.cas);
  expect(after.codes).toEqual(before.codes.map((c) => (consumed.includes(c.id) ? { ...c, status: 'consumed', consumed_at: expect.any(String) } : c)));
  expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
  const added = after.audit.slice(before.audit.length);
  expect(added.length).toBeLessThanOrEqual(3);
  for (const event of added) {
    if (event.action === 'verification_code.consume' && event.outcome === 'success') continue;
    expect(event.outcome).toBe('failure');
  }
}

function expectCleanError(run: CliRun, exitCode: number, message: string | RegExp): void {
  expect(run.exitCode).toBe(exitCode);
  expect(run.stdout).toBe('');
  const first = run.stderr.split('\n')[0]!;
  if (typeof message === 'string') expect(first).toBe(`peridio: error: ${message}`);
  else expect(first).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const root = selfSignedCa({ subject: 'CLI Root', key: newTestKey('ec-p256') });

describe('peridio ca-certificates create: Peridio / AWS flow', () => {
  it('registers with -v, prints the record, consumes the code', async () => {
    const h = home();
    const code = await h.code();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('verification.pem', v1Certificate(root, { subject: code })), '--name', 'cli-root', '--json']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const registered = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(registered)).toEqual(['prn', 'name', 'subject', 'issuer', 'serial', 'fingerprint_sha256', 'not_before', 'not_after', 'is_verified', 'status', 'etag', 'description', 'jitp', 'created_at', 'updated_at']);
    expect(registered).toMatchObject({ name: 'cli-root', subject: 'CN=CLI Root', is_verified: true, status: 'active', jitp: null, description: null });
    const codes = (await h.snapshot()).codes;
    expect(codes.map((c) => c.status)).toEqual(['consumed']);
  });

  it('accepts the alias register, CRLF line endings and DER, and prints only the PRN with -q', async () => {
    const h = home();
    const code = await h.code();
    const crlf = h.write('ca-crlf.pem', root.pem.replace(/\n/g, '\r\n'));
    const run = await h.run(['ca-certificates', 'register', '-c', crlf, '-v', h.write('v.der', v1Certificate(root, { subject: code }).der), '-q']);
    expect(run).toEqual({ stdout: expect.stringMatching(/^prn:1:[0-9a-f-]{36}:ca_certificate:[0-9a-f-]{36}\n$/), stderr: '', exitCode: 0 });
  });

  it('spends the code when a check fails after it, and says so', async () => {
    const h = home();
    const code = await h.code();
    const impostor = selfSignedCa({ subject: 'CLI Root', key: newTestKey('ec-p256') });
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(impostor, { subject: code }))]);
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: verification certificate is not signed by the CA's key (the verification code was consumed by this attempt)\nperidio: hint: sign the verification certificate with the private key of the CA you are registering; then ${CONSUMED_HINT}\n`,
      exitCode: 3,
    });
    expectOnlyAudited(before, await h.snapshot(), [before.codes[0]!.id]);
  });

  it('refuses the same CA twice (exit 5) naming the existing PRN, and an expired verification certificate (exit 6)', async () => {
    const h = home();
    const ca = h.write('ca.pem', root);
    const first = await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v1.pem', v1Certificate(root, { subject: await h.code() })), '-q']);
    const again = await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v2.pem', v1Certificate(root, { subject: await h.code() }))]);
    expectCleanError(again, 5, `this CA certificate is already registered in this organization as ${first.stdout.trim()} (the verification code was consumed by this attempt)`);
    const other = selfSignedCa({ subject: 'Other' });
    const late = await h.run(['ca-certificates', 'create', '-c', h.write('other.pem', other), '-v', h.write('v3.pem', v1Certificate(other, { subject: await h.code(), notAfter: '2024-12-31T23:59:59Z' }))]);
    expectCleanError(late, 6, /^peridio: error: verification certificate .*2024-12-31T23:59:59Z.* \(the verification code was consumed by this attempt\)$/);
  });

  it('gives errors as JSON with --json', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(root, { subject: 'Z'.repeat(32) })), '--json']);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stderr)).toEqual({ error: { code: 'unknown_code', message: 'the verification certificate\'s CN does not match any verification code of this organization', hint: 'request a code with: peridio ca-certificates verification-codes create' } });
  });
});

describe('peridio ca-certificates create without proof', () => {
  it('Azure flow: unverified, etag, bound code, verify --if-match', async () => {
    const h = home();
    const created = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'azure-root', '--json']);
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toBe('');
    const { etag, prn } = JSON.parse(created.stdout) as { etag: string; prn: string };
    const human = await h.run(['ca-certificates', 'create', '-c', h.write('ca2.pem', selfSignedCa({ subject: 'Second' })), '--name', 'second']);
    expect(human.stderr).toMatch(/^peridio: hint: CA certificate second is registered unverified; to prove possession of its key:\n {2}peridio ca-certificates verification-codes create --certificate second --if-match [0-9a-f]{16}\n/);

    const code = await h.code(['--certificate', 'azure-root', '--if-match', etag]);
    const pop = h.write('pop.pem', v1Certificate(root, { subject: code }));
    const stale = await h.run(['ca-certificates', 'verify', 'azure-root', '-v', pop, '--if-match', 'feedfacefeedface']);
    expectCleanError(stale, 5, 'CA certificate azure-root has changed: its etag is no longer feedfacefeedface');
    const verified = await h.run(['ca-certificates', 'verify', 'azure-root', '-v', pop, '--if-match', `"${etag}"`, '--json']);
    expect(verified.exitCode, verified.stderr).toBe(0);
    const result = JSON.parse(verified.stdout) as { prn: string; is_verified: boolean; etag: string };
    expect(result).toMatchObject({ prn, is_verified: true });
    expect(result.etag).not.toBe(etag);
    const twice = await h.run(['ca-certificates', 'verify', prn, '-v', pop]);
    expectCleanError(twice, 5, 'CA certificate azure-root is already verified');
  });

  it('--verified registers verified with a warning on stderr, even with --json', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'trusted', '--verified', '-q']);
    expect(run).toEqual({
      stdout: expect.stringMatching(/^prn:1:/),
      stderr: 'peridio: warning: CA certificate trusted was registered as verified without proof of possession (--verified)\n',
      exitCode: 0,
    });
    const audit = (await h.snapshot()).audit.filter((e) => e.action === 'ca_certificate.create') as unknown as Array<{ details: { proof: string } }>;
    expect(audit.map((e) => e.details.proof)).toEqual(['verified_on_upload']);
  });

  it('refuses -v with --verified, and --active with --inactive', async () => {
    const h = home();
    const ca = h.write('ca.pem', root);
    expectCleanError(await h.run(['ca-certificates', 'create', '-c', ca, '-v', ca, '--verified']), 2, /^peridio: error: option '--verified' cannot be used with option '-v, --verification-certificate-path <file>'/);
    expectCleanError(await h.run(['ca-certificates', 'create', '-c', ca, '--active', '--inactive']), 2, /^peridio: error: option '--active' cannot be used with option '--inactive'/);
  });
});

describe('bad input it must survive', () => {
  const fixture = (file: string): string => join(FIXTURES, file);
  const BAD_FILES: ReadonlyArray<[string, (h: Home) => string, RegExp]> = [
    ['random bytes', () => fixture('random-bytes.bin'), / is not a valid certificate: /],
    ['an empty file', () => fixture('empty.pem'), / is not a valid certificate: it is empty$/],
    ['a truncated PEM', () => fixture('truncated.pem'), / is not a valid certificate: /],
    ['DER with trailing bytes', () => fixture('der-trailing-bytes.der'), / is not a valid certificate: /],
    ['a PEM bundle', () => fixture('bundle-two-certificates.pem'), / is not a valid certificate: it holds 2 certificates where one is expected$/],
    ['a private key', () => fixture('private-key-not-a-certificate.pem'), / is not a valid certificate: it holds a private key, not a certificate$/],
    ['a CSR', () => fixture('csr-not-a-certificate.pem'), / is not a valid certificate: it holds a certificate signing request \(CSR\), not a certificate$/],
    ['a 10 MB file', (h) => h.write('big.pem', Buffer.alloc(10 << 20, 0x41)), / is larger than 64 KiB$/],
    ['a missing file', (h) => join(h.dir, 'missing.pem'), /^peridio: error: cannot read .* no such file or directory$/],
    ['a directory', (h) => { const d = join(h.dir, 'a-dir'); mkdirSync(d); return d; }, /: it is a directory$/],
  ];

  describe.each(BAD_FILES)('%s', (_what, makePath, message) => {
    it('as the CA certificate: exit 2, code untouched', async () => {
      const h = home();
      const code = await h.code();
      const verification = h.write('v.pem', v1Certificate(root, { subject: code }));
      const before = await h.snapshot();
      const run = await h.run(['ca-certificates', 'create', '-c', makePath(h), '-v', verification]);
      expectCleanError(run, 2, message);
      expect(run.stderr.split('\n')[0]).toMatch(/CA certificate/);
      expectOnlyAudited(before, await h.snapshot());
    });

    it('as the verification certificate: exit 2, code untouched', async () => {
      const h = home();
      await h.code();
      const before = await h.snapshot();
      const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', makePath(h)]);
      expectCleanError(run, 2, message);
      expect(run.stderr.split('\n')[0]).toMatch(/verification certificate/);
      expectOnlyAudited(before, await h.snapshot());
    });
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file: exit 2', async () => {
    const h = home();
    const path = h.write('locked.pem', root);
    chmodSync(path, 0o000);
    expectCleanError(await h.run(['ca-certificates', 'create', '-c', path, '--verified']), 2, /^peridio: error: cannot read CA certificate .*locked\.pem: permission denied/);
  });

  it.each(['crlf.pem', 'text-before-pem.pem'])('%s (CRLF line endings, text before the PEM block) is accepted', async (file) => {
    const h = home();
    const path = join(h.dir, file);
    copyFileSync(fixture(file), path);
    const run = await h.run(['ca-certificates', 'create', '-c', path, '--verified', '--json'], { clock: fixedClock('2030-01-01T00:00:00Z') });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ subject: 'CN=vericode fixture', serial: '1f', is_verified: true });
  });

  it('a CN with a trailing space: exit 2 invalid_format, code untouched', async () => {
    const h = home();
    const code = await h.code();
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(root, { subject: `${code} ` }))]);
    expect(run).toEqual({
      stdout: '',
      stderr: 'peridio: error: the verification certificate\'s CN is not a valid verification code: it has leading or trailing whitespace\nperidio: hint: copy the code exactly as issued: codes are case-sensitive and contain no whitespace\n',
      exitCode: 2,
    });
    expectOnlyAudited(before, await h.snapshot());
  });

  it('a CN in another case: exit 3 unknown_code, code untouched', async () => {
    const h = home();
    const code = await h.code();
    const swapped = code.replace(/[A-Za-z]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(root, { subject: swapped }))]);
    expectCleanError(run, 3, 'the verification certificate\'s CN does not match any verification code of this organization');
    expectOnlyAudited(before, await h.snapshot());
  });

  it('two CN attributes: exit 2, code untouched', async () => {
    const h = home();
    const code = await h.code();
    const twoCns = certificate({ issuer: root, version: 1, subject: name([['2.5.4.3', code], ['2.5.4.3', code]]) });
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', twoCns)]);
    expectCleanError(run, 2, /^peridio: error: verification certificate .*v\.pem must have exactly one CN attribute in its subject, found 2$/);
    expectOnlyAudited(before, await h.snapshot());
  });

  it('a code of another organization: exit 3 unknown_code, both organizations untouched', async () => {
    const h = home();
    const other = (await h.run(['organizations', 'create', '--name', 'other', '-q'])).stdout.trim();
    const foreign = await h.code(['--org', other]);
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(root, { subject: foreign }))]);
    expectCleanError(run, 3, 'the verification certificate\'s CN does not match any verification code of this organization');
    expectOnlyAudited(before, await h.snapshot());
    const theirs = JSON.parse((await h.run(['ca-certificates', 'verification-codes', 'list', '--org', other, '--json'])).stdout) as { items: Array<{ status: string }> };
    expect(theirs.items.map((c) => c.status)).toEqual(['active']);
  });

  it('a stale etag: exit 5, code untouched, CA unchanged', async () => {
    const h = home();
    await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'pending']);
    const code = await h.code(['--certificate', 'pending']);
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'verify', 'pending', '-v', h.write('v.pem', v1Certificate(root, { subject: code })), '--if-match', '0000000000000000']);
    expectCleanError(run, 5, 'CA certificate pending has changed: its etag is no longer 0000000000000000');
    expectOnlyAudited(before, await h.snapshot());
  });

  it.each(['', 'has space', 'x'.repeat(65), 'slash/name', 'ünïcode', 'semi;colon', 'prn:1:x'])('a name that breaks the rule (%j): exit 2, nothing stored', async (bad) => {
    const h = home();
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', bad]);
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: invalid CA certificate name "${bad}": it must be 1 to 64 characters from A-Z, a-z, 0-9, '-', '.' and '_'\nperidio: hint: names follow ^[A-Za-z0-9-._]{1,64}$, as Azure IoT Hub certificate names do\n`,
      exitCode: 2,
    });
    expectOnlyAudited(before, await h.snapshot());
  });

  it('a bad name is reported before a store is created', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', join(h.dir, 'missing.pem'), '--name', 'bad name']);
    expectCleanError(run, 2, /^peridio: error: invalid CA certificate name "bad name"/);
    expect(run.stderr).not.toContain('created a new store');
  });
});

describe('JITP settings, description and status from the command line', () => {
  it('stores them at registration, shows them, and changes them with update', async () => {
    const h = home();
    const created = await h.run([
      'ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'jitp-root', '--verified', '--inactive',
      '--description', 'line 2', '--jitp-description', 'factory provisioning', '--jitp-tags', 'line2,eu', '--jitp-product-name', 'gateway', '--jitp-target', 'arm64', '--json',
    ]);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      status: 'inactive',
      description: 'line 2',
      jitp: { description: 'factory provisioning', tags: ['line2', 'eu'], product_name: 'gateway', target: 'arm64', cohort_prn: null },
    });
    const shown = await h.run(['ca-certificates', 'get', 'jitp-root']);
    expect(shown.stdout).toContain('\njitp\tproduct gateway; tags line2,eu; target arm64 (factory provisioning)\n');
    const updated = await h.run(['ca-certificates', 'update', 'jitp-root', '--active', '--jitp-tags', 'line3', '--description', '', '--json']);
    expect(JSON.parse(updated.stdout)).toMatchObject({ status: 'active', description: null, jitp: { tags: ['line3'], product_name: 'gateway' } });
    const off = await h.run(['ca-certificates', 'update', 'jitp-root', '--disable-jitp', '--json']);
    expect(JSON.parse(off.stdout)).toMatchObject({ jitp: null });
  });

  it('refuses incomplete JITP flags before anything is stored', async () => {
    const h = home();
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--verified', '--jitp-product-name', 'gateway']);
    expect(run).toEqual({
      stdout: '',
      stderr: 'peridio: error: JITP needs --jitp-description, --jitp-tags\nperidio: hint: turn JITP on with --jitp-description D --jitp-tags a,b --jitp-product-name P together\n',
      exitCode: 2,
    });
    expect((await h.snapshot()).cas).toEqual(before.cas);
  });
});

describe('human output', () => {
  function lines(r: Record<string, unknown>, separator: (key: string) => string): string {
    const rows: Array<[string, unknown]> = [
      ['prn', r.prn], ['name', r.name], ['subject', r.subject], ['issuer', r.issuer], ['serial', r.serial],
      ['sha-256 fingerprint', r.fingerprint_sha256], ['not before', r.not_before], ['not after', r.not_after],
      ['verified', r.is_verified ? 'yes' : 'no'], ['status', r.status], ['etag', r.etag], ['description', r.description ?? '-'],
      ['jitp', '-'], ['created at', r.created_at], ['updated at', r.updated_at],
    ];
    return `${rows.map(([k, v]) => `${separator(k)}${String(v)}`).join('\n')}\n`;
  }

  it('create prints key<TAB>value lines when piped', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'piped', '--verified']);
    const record = JSON.parse((await h.run(['ca-certificates', 'get', 'piped', '--json'])).stdout) as Record<string, unknown>;
    expect(run.stdout).toBe(lines(record, (k) => `${k}\t`));
  });

  it('verify prints an aligned block on a TTY', async () => {
    const h = home();
    await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'tty-root']);
    const code = await h.code(['--certificate', 'tty-root']);
    const run = await h.run(['ca-certificates', 'verify', 'tty-root', '-v', h.write('v.pem', v1Certificate(root, { subject: code })), '--no-color'], { tty: true });
    expect(run.stderr).toBe('');
    const record = JSON.parse((await h.run(['ca-certificates', 'get', 'tty-root', '--json'])).stdout) as Record<string, unknown>;
    expect(record.is_verified).toBe(true);
    expect(run.stdout).toBe(lines(record, (k) => `${k}:`.padEnd('sha-256 fingerprint:'.length + 1)));
  });
});
