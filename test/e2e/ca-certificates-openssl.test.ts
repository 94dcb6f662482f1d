/**
 * The AWS, Azure and Peridio guides' `openssl` recipes, run for real against the built
 * CLI: a CA from `openssl req -x509`, a verification certificate from a CSR with the
 * code as its CN, signed with `openssl x509 -req` (a v1 certificate).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENKEY, guideCa, guideVerificationCertificate, type GenKey } from '../helpers/openssl-recipes.js';
import { e2eHome, openssl, type E2eHome } from '../helpers/spawn-peridio.js';

/** Each guide's key type. */
const KEY_TYPES: ReadonlyArray<{ name: string; genkey: GenKey }> = [
  { name: 'RSA 2048', genkey: GENKEY.rsa2048 },
  { name: 'RSA 4096', genkey: GENKEY.rsa4096 },
  { name: 'P-256', genkey: GENKEY.p256 },
  { name: 'P-384', genkey: GENKEY.p384 },
  { name: 'Ed25519', genkey: GENKEY.ed25519 },
];

function opensslFingerprint(e: E2eHome, file: string): string {
  return openssl(e.home, ['x509', '-in', file, '-noout', '-fingerprint', '-sha256']).trim().replace(/^.*=/, '');
}

function sameFingerprint(ours: string, theirs: string): boolean {
  const normalize = (text: string): string => text.replace(/:/g, '').toLowerCase();
  return normalize(ours) === normalize(theirs);
}

function json<T = Record<string, unknown>>(run: { stdout: string; stderr: string; exitCode: number }): T {
  expect(run.exitCode, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as T;
}

// RSA 4096 key generation alone takes seconds on a busy machine.
describe('openssl recipes end to end', { timeout: 120_000 }, () => {
  describe.each(KEY_TYPES)('$name', ({ genkey }) => {
    it('Peridio / AWS flow: code, verification certificate, register', () => {
      const e = e2eHome();
      guideCa(e.home, genkey);
      const code = e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']);
      expect(code.exitCode, code.stderr).toBe(0);
      guideVerificationCertificate(e.home, genkey, code.stdout.trim());
      expect(openssl(e.home, ['x509', '-in', 'verification.pem', '-noout', '-text'])).toMatch(/Version: 1 \(0x0\)/);

      const registered = json(e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--json']));
      expect(registered).toMatchObject({ is_verified: true, status: 'active', name: null, subject: expect.stringContaining('Example Root CA') });
      expect(sameFingerprint(registered.fingerprint_sha256 as string, opensslFingerprint(e, 'ca.pem'))).toBe(true);
      expect(
        json<{ items: Array<{ status: string }> }>(e.peridio(['ca-certificates', 'verification-codes', 'list', '--json'])).items.map((c) => c.status),
      ).toEqual(['consumed']);

      // The same files again: the code is spent.
      const again = e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem']);
      expect(again.exitCode).toBe(5);
      expect(again.stderr).toMatch(/^peridio: error: the verification code was already used/);
    });

    it('Azure flow: register unverified, bound code (a new etag), verify with --if-match', () => {
      const e = e2eHome();
      guideCa(e.home, genkey);
      const created = json(e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '--name', 'factory-ca', '--json']));
      expect(created).toMatchObject({ name: 'factory-ca', is_verified: false });
      const bound = json<{ code: string; certificate_etag: string }>(
        e.peridio(['ca-certificates', 'verification-codes', 'create', '--certificate', 'factory-ca', '--if-match', created.etag as string, '--json']),
      );
      const etag = bound.certificate_etag;
      expect(etag).not.toBe(created.etag);
      guideVerificationCertificate(e.home, genkey, bound.code);
      const verified = json(e.peridio(['ca-certificates', 'verify', 'factory-ca', '-v', 'verification.pem', '--if-match', etag, '--json']));
      expect(verified).toMatchObject({ prn: created.prn, is_verified: true });
      expect(verified.etag).not.toBe(etag);
      expect(json(e.peridio(['ca-certificates', 'get', 'factory-ca', '--json']))).toEqual(verified);
    });
  });

  it('accepts the plain AWS recipe: openssl req -x509 with the default configuration, CRLF line endings', () => {
    const e = e2eHome();
    openssl(e.home, ['genrsa', '-out', 'ca.key', '2048']);
    openssl(e.home, ['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-sha256', '-days', '1024', '-out', 'ca.pem', '-subj', '/CN=AWS Recipe CA']);
    writeFileSync(join(e.home, 'ca.pem'), readFileSync(join(e.home, 'ca.pem'), 'utf8').replace(/\n/g, '\r\n'));
    const code = e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim();
    guideVerificationCertificate(e.home, GENKEY.rsa2048, code);
    expect(json(e.peridio(['ca-certificates', 'register', '-c', 'ca.pem', '-v', 'verification.pem', '--json']))).toMatchObject({ is_verified: true });
  });

  it('refuses a verification certificate whose CN is the code with a trailing space, or in another case', () => {
    const e = e2eHome();
    guideCa(e.home, GENKEY.rsa2048);
    const code = e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim();
    guideVerificationCertificate(e.home, GENKEY.rsa2048, `${code} `, 'trailing.pem');
    const trailing = e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'trailing.pem']);
    expect(trailing).toMatchObject({ exitCode: 2, stdout: '' });
    expect(trailing.stderr).toContain(
      "peridio: error: the verification certificate's CN is not a valid verification code: it has leading or trailing whitespace",
    );

    const swapped =
      code.replace(/[a-z]/, (c) => c.toUpperCase()) === code ? code.replace(/[A-Z]/, (c) => c.toLowerCase()) : code.replace(/[a-z]/, (c) => c.toUpperCase());
    guideVerificationCertificate(e.home, GENKEY.rsa2048, swapped, 'case.pem');
    const otherCase = e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'case.pem']);
    expect(otherCase).toMatchObject({ exitCode: 3, stdout: '' });
    expect(otherCase.stderr).toContain("peridio: error: the verification certificate's CN does not match any verification code of this organization");
    // Neither attempt used the real code.
    expect(
      json<{ items: Array<{ status: string }> }>(e.peridio(['ca-certificates', 'verification-codes', 'list', '--json'])).items.map((c) => c.status),
    ).toEqual(['active']);
    expect(json<{ items: unknown[] }>(e.peridio(['ca-certificates', 'list', '--json'])).items).toEqual([]);
  });

  it('survives bad files through the built binary: clear errors, exit 2, no stack trace, code untouched', () => {
    const e = e2eHome();
    guideCa(e.home, GENKEY.rsa2048);
    const code = e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim();
    guideVerificationCertificate(e.home, GENKEY.rsa2048, code);
    writeFileSync(join(e.home, 'random.bin'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)));
    writeFileSync(join(e.home, 'bundle.pem'), readFileSync(join(e.home, 'ca.pem'), 'utf8') + readFileSync(join(e.home, 'verification.pem'), 'utf8'));
    writeFileSync(join(e.home, 'big.pem'), Buffer.alloc(10 << 20, 0x2d));
    const cases: Array<[string[], RegExp]> = [
      [['-c', 'random.bin', '-v', 'verification.pem'], /^peridio: error: CA certificate random\.bin is not a valid certificate: /],
      [
        ['-c', 'ca.pem', '-v', 'bundle.pem'],
        /^peridio: error: verification certificate bundle\.pem is not a valid certificate: it holds 2 certificates where one is expected\n/,
      ],
      [
        ['-c', 'ca.key', '-v', 'verification.pem'],
        /^peridio: error: CA certificate ca\.key is not a valid certificate: it holds a private key, not a certificate\n/,
      ],
      [
        ['-c', 'ca.pem', '-v', 'verification.csr'],
        /^peridio: error: verification certificate verification\.csr is not a valid certificate: it holds a certificate signing request \(CSR\), not a certificate\n/,
      ],
      [['-c', 'big.pem', '-v', 'verification.pem'], /^peridio: error: CA certificate big\.pem is larger than 64 KiB\n/],
      [['-c', 'missing.pem', '-v', 'verification.pem'], /^peridio: error: cannot read CA certificate missing\.pem: no such file or directory\n/],
    ];
    for (const [args, message] of cases) {
      const run = e.peridio(['ca-certificates', 'create', ...args]);
      expect({ args, exitCode: run.exitCode, stdout: run.stdout }).toEqual({ args, exitCode: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(
      json<{ items: Array<{ status: string }> }>(e.peridio(['ca-certificates', 'verification-codes', 'list', '--json'])).items.map((c) => c.status),
    ).toEqual(['active']);
    expect(json(e.peridio(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'verification.pem', '--json']))).toMatchObject({ is_verified: true });
  });
});
