/**
 * Every bad input of issue 3 through `ca-certificates create` and `verify`: a clear
 * error, the right exit code, no stack trace, and nothing changed in the store beyond
 * the consumed code and the audit events.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectCleanError, expectOnlyAudited, FIXTURES, home, type Home } from '../helpers/ca-cli-home.js';
import { fixedClock } from '../helpers/clock.js';
import { certificate, name, newTestKey, selfSignedCa, v1Certificate } from '../helpers/mini-ca.js';

const root = selfSignedCa({ subject: 'Bad Input Root', key: newTestKey('ec-p256') });

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
    [
      'a directory',
      (h) => {
        const d = join(h.dir, 'a-dir');
        mkdirSync(d);
        return d;
      },
      /: it is a directory$/,
    ],
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
      stderr:
        "peridio: error: the verification certificate's CN is not a valid verification code: it has leading or trailing whitespace\nperidio: hint: copy the code exactly as issued: codes are case-sensitive and contain no whitespace\n",
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
    expectCleanError(run, 3, "the verification certificate's CN does not match any verification code of this organization");
    expectOnlyAudited(before, await h.snapshot());
  });

  it('two CN attributes: exit 2, code untouched', async () => {
    const h = home();
    const code = await h.code();
    const twoCns = certificate({
      issuer: root,
      version: 1,
      subject: name([
        ['2.5.4.3', code],
        ['2.5.4.3', code],
      ]),
    });
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
    expectCleanError(run, 3, "the verification certificate's CN does not match any verification code of this organization");
    expectOnlyAudited(before, await h.snapshot());
    const theirs = JSON.parse((await h.run(['ca-certificates', 'verification-codes', 'list', '--org', other, '--json'])).stdout) as {
      items: Array<{ status: string }>;
    };
    expect(theirs.items.map((c) => c.status)).toEqual(['active']);
  });

  it('a stale etag: exit 5, code untouched, CA unchanged', async () => {
    const h = home();
    await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', 'pending']);
    const code = await h.code(['--certificate', 'pending']);
    const before = await h.snapshot();
    const run = await h.run([
      'ca-certificates',
      'verify',
      'pending',
      '-v',
      h.write('v.pem', v1Certificate(root, { subject: code })),
      '--if-match',
      '0000000000000000',
    ]);
    expectCleanError(run, 5, 'CA certificate pending has changed: its etag is no longer 0000000000000000');
    expectOnlyAudited(before, await h.snapshot());
  });

  it.each(['', 'has space', 'x'.repeat(65), 'slash/name', 'ünïcode', 'semi;colon', 'prn:1:x'])(
    'a name that breaks the rule (%j): exit 2, nothing stored',
    async (bad) => {
      const h = home();
      const before = await h.snapshot();
      const run = await h.run(['ca-certificates', 'create', '-c', h.write('ca.pem', root), '--name', bad]);
      expect(run).toEqual({
        stdout: '',
        stderr: `peridio: error: invalid CA certificate name "${bad}": it must be 1 to 64 characters from A-Z, a-z, 0-9, '-', '.' and '_'\nperidio: hint: names follow ^[A-Za-z0-9-._]{1,64}$, as Azure IoT Hub certificate names do\n`,
        exitCode: 2,
      });
      expectOnlyAudited(before, await h.snapshot());
    },
  );

  it('a bad name is reported before a store is created', async () => {
    const h = home();
    const run = await h.run(['ca-certificates', 'create', '-c', join(h.dir, 'missing.pem'), '--name', 'bad name']);
    expectCleanError(run, 2, /^peridio: error: invalid CA certificate name "bad name"/);
    expect(run.stderr).not.toContain('created a new store');
  });
});
