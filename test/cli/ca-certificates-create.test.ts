/**
 * `peridio ca-certificates create` and `verify`: exact output of both flows, JITP and
 * status flags, and which failures leave the code live and which spend it.
 */
import { describe, expect, it } from 'vitest';
import { CONSUMED_HINT, expectCleanError, expectOnlyAudited, home } from '../helpers/ca-cli-home.js';
import { newTestKey, selfSignedCa, v1Certificate } from '../helpers/mini-ca.js';

const root = selfSignedCa({ subject: 'CLI Root', key: newTestKey('ec-p256') });

describe('peridio ca-certificates create: Peridio / AWS flow', () => {
  it('registers with -v, prints the record, consumes the code', async () => {
    const h = home();
    const code = await h.code();
    const run = await h.run([
      'ca-certificates',
      'create',
      '-c',
      h.write('ca.pem', root),
      '-v',
      h.write('verification.pem', v1Certificate(root, { subject: code })),
      '--name',
      'cli-root',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const registered = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(registered)).toEqual([
      'prn',
      'name',
      'subject',
      'issuer',
      'serial',
      'fingerprint_sha256',
      'not_before',
      'not_after',
      'is_verified',
      'status',
      'etag',
      'description',
      'jitp',
      'created_at',
      'updated_at',
    ]);
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

  it('leaves the code live when the verification certificate is signed by another key: the retry registers', async () => {
    const h = home();
    const code = await h.code();
    const impostor = selfSignedCa({ subject: 'CLI Root', key: newTestKey('ec-p256') });
    const ca = h.write('ca.pem', root);
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v.pem', v1Certificate(impostor, { subject: code }))]);
    expect(run).toEqual({
      stdout: '',
      stderr:
        "peridio: error: verification certificate is not signed by the CA's key\nperidio: hint: sign the verification certificate with the private key of the CA you are registering\n",
      exitCode: 3,
    });
    expectOnlyAudited(before, await h.snapshot());
    expect((await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v2.pem', v1Certificate(root, { subject: code })), '-q'])).exitCode).toBe(0);
  });

  it('leaves the code live when the CA fails the CA checks or the verification certificate comes from another CA', async () => {
    const h = home();
    const code = await h.code();
    const other = selfSignedCa({ subject: 'Someone Else' });
    const before = await h.snapshot();
    const foreign = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(other, { subject: code }))]);
    expectCleanError(foreign, 3, 'verification certificate was not issued by this CA: its issuer "CN=Someone Else" is not the CA\'s subject "CN=CLI Root"');
    const expired = await h.run([
      'ca-certificates',
      'create',
      '-c',
      h.write('old.pem', selfSignedCa({ subject: 'Old', notAfter: '2024-12-31T23:59:59Z' })),
      '-v',
      h.write('v2.pem', v1Certificate(other, { subject: code })),
    ]);
    expectCleanError(expired, 6, /^peridio: error: CA certificate .*2024-12-31T23:59:59Z/);
    expect(expired.stderr).not.toContain('consumed');
    expectOnlyAudited(before, await h.snapshot());
    expect((await h.snapshot()).codes.map((c) => c.status)).toEqual(['active']);
  });

  it('spends the code when what fails needs the store (a bound code of another CA), and says so', async () => {
    const h = home();
    expect(
      (await h.run(['ca-certificates', 'create', '-c', h.write('pending.pem', selfSignedCa({ subject: 'Pending' })), '--name', 'pending', '-q'])).exitCode,
    ).toBe(0);
    const code = await h.code(['--certificate', 'pending']);
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '-v', h.write('v.pem', v1Certificate(root, { subject: code }))]);
    expect(run).toEqual({
      stdout: '',
      stderr: `peridio: error: the verification certificate's CN is a code bound to CA certificate pending, not to a new one (the verification code was consumed by this attempt)\nperidio: hint: a bound code proves possession only for its CA, with: peridio ca-certificates verify pending -v verification.pem; then ${CONSUMED_HINT}\n`,
      exitCode: 3,
    });
    expectOnlyAudited(before, await h.snapshot(), [before.codes[0]!.id]);
  });

  it('refuses the same CA twice (exit 5) naming the existing PRN, and an expired verification certificate (exit 6)', async () => {
    const h = home();
    const ca = h.write('ca.pem', root);
    const first = await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v1.pem', v1Certificate(root, { subject: await h.code() })), '-q']);
    const again = await h.run(['ca-certificates', 'create', '-c', ca, '-v', h.write('v2.pem', v1Certificate(root, { subject: await h.code() }))]);
    expectCleanError(
      again,
      5,
      `this CA certificate is already registered in this organization as ${first.stdout.trim()} (the verification code was consumed by this attempt)`,
    );
    const other = selfSignedCa({ subject: 'Other' });
    const late = await h.run([
      'ca-certificates',
      'create',
      '-c',
      h.write('other.pem', other),
      '-v',
      h.write('v3.pem', v1Certificate(other, { subject: await h.code(), notAfter: '2024-12-31T23:59:59Z' })),
    ]);
    expectCleanError(late, 6, /^peridio: error: verification certificate .*2024-12-31T23:59:59Z/);
    expect(late.stderr).not.toContain('consumed');
  });

  it('gives errors as JSON with --json', async () => {
    const h = home();
    const run = await h.run([
      'ca-certificates',
      'create',
      '-c',
      h.write('ca.pem', root),
      '-v',
      h.write('v.pem', v1Certificate(root, { subject: 'Z'.repeat(32) })),
      '--json',
    ]);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stderr)).toEqual({
      error: {
        code: 'unknown_code',
        message: "the verification certificate's CN does not match any verification code of this organization",
        hint: 'request a code with: peridio ca-certificates verification-codes create',
      },
    });
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
    expect(human.stderr).toMatch(
      /^peridio: hint: CA certificate second is registered unverified; to prove possession of its key:\n {2}peridio ca-certificates verification-codes create --certificate second --if-match [0-9a-f]{16}\n/,
    );

    const bound = await h.run(['ca-certificates', 'verification-codes', 'create', '--certificate', 'azure-root', '--if-match', etag, '--json']);
    const { code, certificate_etag: boundEtag } = JSON.parse(bound.stdout) as { code: string; certificate_etag: string };
    expect(boundEtag).not.toBe(etag);
    const pop = h.write('pop.pem', v1Certificate(root, { subject: code }));
    const stale = await h.run(['ca-certificates', 'verify', 'azure-root', '-v', pop, '--if-match', etag]);
    expectCleanError(stale, 5, `CA certificate azure-root has changed: its etag is no longer ${etag}`);
    const verified = await h.run(['ca-certificates', 'verify', 'azure-root', '-v', pop, '--if-match', `"${boundEtag}"`, '--json']);
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
    expectCleanError(
      await h.run(['ca-certificates', 'create', '-c', ca, '-v', ca, '--verified']),
      2,
      /^peridio: error: option '--verified' cannot be used with option '-v, --verification-certificate-path <file>'/,
    );
    expectCleanError(
      await h.run(['ca-certificates', 'create', '-c', ca, '--active', '--inactive']),
      2,
      /^peridio: error: option '--active' cannot be used with option '--inactive'/,
    );
  });
});

describe('JITP settings, description and status from the command line', () => {
  it('stores them at registration, shows them, and changes them with update', async () => {
    const h = home();
    const created = await h.run([
      'ca-certificates',
      'create',
      '-c',
      h.write('ca.pem', root),
      '--name',
      'jitp-root',
      '--verified',
      '--inactive',
      '--description',
      'line 2',
      '--jitp-description',
      'factory provisioning',
      '--jitp-tags',
      'line2,eu',
      '--jitp-product-name',
      'gateway',
      '--jitp-target',
      'arm64',
      '--json',
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
      stderr:
        'peridio: error: JITP needs --jitp-description, --jitp-tags\nperidio: hint: turn JITP on with --jitp-description D --jitp-tags a,b --jitp-product-name P together\n',
      exitCode: 2,
    });
    expect((await h.snapshot()).cas).toEqual(before.cas);
  });

  const TAGS_HINT = 'peridio: hint: tags are comma-separated; each tag is 1 to 64 characters from A-Z, a-z, 0-9 and . _ : / = + @ -\n';
  it.each([
    [['--jitp-tags', 'a,,b'], 'peridio: error: invalid --jitp-tags: an empty tag is not allowed\n' + TAGS_HINT],
    [['--jitp-tags', 'ok,no spaces'], 'peridio: error: invalid --jitp-tags: tag "no spaces" is not allowed\n' + TAGS_HINT],
    [['--jitp-tags', Array.from({ length: 51 }, (_, i) => `t${i}`).join(',')], 'peridio: error: invalid --jitp-tags: at most 50 tags\n'],
    [['--jitp-description', ' '], 'peridio: error: invalid --jitp-description: it must be 1 to 1024 printable characters\n'],
    [['--jitp-product-name', 'p'.repeat(129)], 'peridio: error: invalid --jitp-product-name: it must be 1 to 128 printable characters\n'],
    [['--jitp-target', 'arm\u0007'], 'peridio: error: invalid --jitp-target: it must be 1 to 128 printable characters\n'],
    [['--jitp-cohort-prn', 'cohort-1'], 'peridio: error: invalid --jitp-cohort-prn "cohort-1": expected prn:1:<org-uuid>:cohort:<uuid>\n'],
  ])('refuses %j with a clear error, exit 2, nothing stored', async (flags, stderr) => {
    const h = home();
    const before = await h.snapshot();
    const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--verified', ...flags]);
    expect(run).toEqual({ stdout: '', stderr, exitCode: 2 });
    expect(await h.snapshot()).toEqual(before);
  });

  it('refuses a cohort PRN of another organization, and an update that leaves JITP incomplete, in flag words', async () => {
    const h = home();
    await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'jitp-later', '--verified']);
    const before = await h.snapshot();
    const foreign = 'prn:1:00000000-0000-4000-8000-000000000000:cohort:11111111-2222-4333-8444-555555555555';
    const flags = ['--jitp-description', 'd', '--jitp-tags', 'a', '--jitp-product-name', 'p'];
    expect(await h.run(['ca-certificates', 'update', 'jitp-later', ...flags, '--jitp-cohort-prn', foreign])).toEqual({
      stdout: '',
      stderr: `peridio: error: invalid --jitp-cohort-prn "${foreign}": it belongs to another organization\n`,
      exitCode: 2,
    });
    // What is missing depends on the stored settings: this CA has none yet.
    expect(await h.run(['ca-certificates', 'update', 'jitp-later', '--jitp-tags', 'a'])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: JITP needs --jitp-description, --jitp-product-name\nperidio: hint: turn JITP on with --jitp-description D --jitp-tags a,b --jitp-product-name P together\n',
      exitCode: 2,
    });
    // Both refusals are audited as failures; the CA is unchanged.
    expect((await h.snapshot()).cas).toEqual(before.cas);
  });
});

describe('human output', () => {
  function lines(r: Record<string, unknown>, separator: (key: string) => string): string {
    const rows: Array<[string, unknown]> = [
      ['prn', r.prn],
      ['name', r.name],
      ['subject', r.subject],
      ['issuer', r.issuer],
      ['serial', r.serial],
      ['sha-256 fingerprint', r.fingerprint_sha256],
      ['not before', r.not_before],
      ['not after', r.not_after],
      ['verified', r.is_verified ? 'yes' : 'no'],
      ['status', r.status],
      ['etag', r.etag],
      ['description', r.description ?? '-'],
      ['jitp', '-'],
      ['created at', r.created_at],
      ['updated at', r.updated_at],
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
    const run = await h.run(['ca-certificates', 'verify', 'tty-root', '-v', h.write('v.pem', v1Certificate(root, { subject: code })), '--no-color'], {
      tty: true,
    });
    expect(run.stderr).toBe('');
    const record = JSON.parse((await h.run(['ca-certificates', 'get', 'tty-root', '--json'])).stdout) as Record<string, unknown>;
    expect(record.is_verified).toBe(true);
    expect(run.stdout).toBe(lines(record, (k) => `${k}:`.padEnd('sha-256 fingerprint:'.length + 1)));
  });
});
