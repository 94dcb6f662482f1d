/**
 * The Peridio CLI's and az's spellings of the ca-certificates verbs: `--prn`,
 * `--order`, `--etag`, and `get --pem|--der`, with exact output and exit codes.
 */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectCleanError, home, type Home } from '../helpers/ca-cli-home.js';
import { selfSignedCa, v1Certificate } from '../helpers/mini-ca.js';

const first = selfSignedCa({ subject: 'First Root' });
const second = selfSignedCa({ subject: 'Second Root' });

/** A home with two unverified CAs, `first` then `second`; returns their PRNs. */
async function twoCas(): Promise<{ h: Home; prns: [string, string] }> {
  const h = home();
  const prns: string[] = [];
  for (const [name, ca] of [
    ['first', first],
    ['second', second],
  ] as const) {
    const run = await h.run(['ca-certificates', 'create', '-c', h.write(`${name}.pem`, ca), '--name', name, '-q']);
    expect(run.exitCode, run.stderr).toBe(0);
    prns.push(run.stdout.trim());
  }
  return { h, prns: prns as [string, string] };
}

describe('ca-certificates get|update|delete --prn', () => {
  it('names the CA with --prn as with the positional PRN', async () => {
    const { h, prns } = await twoCas();
    expect(await h.run(['ca-certificates', 'get', '--prn', prns[0], '-q'])).toEqual({ stdout: `${prns[0]}\n`, stderr: '', exitCode: 0 });
    expect(await h.run(['ca-certificates', 'get', prns[0], '--prn', prns[0], '-q'])).toEqual({ stdout: `${prns[0]}\n`, stderr: '', exitCode: 0 });
    const updated = await h.run(['ca-certificates', 'update', '--prn', prns[1], '--description', 'line 3', '--json']);
    expect(JSON.parse(updated.stdout)).toMatchObject({ prn: prns[1], description: 'line 3' });
    expect(await h.run(['ca-certificates', 'delete', '--prn', prns[1], '-y', '-q'])).toEqual({ stdout: `${prns[1]}\n`, stderr: '', exitCode: 0 });
    expect((await h.run(['ca-certificates', 'get', 'second'])).exitCode).toBe(4);
  });

  it('refuses no CA, two different CAs, and a --prn that is not a PRN (exit 2)', async () => {
    const { h, prns } = await twoCas();
    expect(await h.run(['ca-certificates', 'get'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: missing the CA: pass its NAME or PRN, or --prn PRN\n',
      exitCode: 2,
    });
    expect(await h.run(['ca-certificates', 'update', 'first', '--prn', prns[1], '--inactive'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: give the CA once: as the NAME|PRN argument or with --prn, not both\n',
      exitCode: 2,
    });
    expect(await h.run(['ca-certificates', 'delete', '--prn', 'first', '-y'])).toEqual({
      stdout: '',
      stderr:
        'peridio: error: invalid --prn "first": expected a CA certificate PRN\nperidio: hint: pass a name as the argument instead: peridio ca-certificates get NAME\n',
      exitCode: 2,
    });
    expect((await h.run(['ca-certificates', 'get', '--prn', prns[0].replace(/.$/, (c) => (c === '0' ? '1' : '0'))])).exitCode).toBe(4);
    expect((await h.run(['ca-certificates', 'list', '-q'])).stdout).toBe(`${prns[1]}\n${prns[0]}\n`);
  });
});

describe('ca-certificates list --order', () => {
  it('lists oldest first with asc, newest first with desc (the default), and pages in that order', async () => {
    const { h, prns } = await twoCas();
    expect((await h.run(['ca-certificates', 'list', '--order', 'asc', '-q'])).stdout).toBe(`${prns[0]}\n${prns[1]}\n`);
    expect((await h.run(['ca-certificates', 'list', '--order', 'desc', '-q'])).stdout).toBe(`${prns[1]}\n${prns[0]}\n`);
    const page = await h.run(['ca-certificates', 'list', '--order', 'asc', '--limit', '1', '--json']);
    const { items, next_page: next } = JSON.parse(page.stdout) as { items: Array<{ prn: string }>; next_page: string };
    expect(items.map((i) => i.prn)).toEqual([prns[0]]);
    expect((await h.run(['ca-certificates', 'list', '--order', 'asc', '--limit', '1'])).stderr).toBe(
      `peridio: hint: more CA certificates: add --order asc --page ${next}\n`,
    );
    expect(await h.run(['ca-certificates', 'list', '--order', 'asc', '--page', next, '-q'])).toEqual({ stdout: `${prns[1]}\n`, stderr: '', exitCode: 0 });
  });

  it('refuses another order with exit 2', async () => {
    const h = home();
    expect(await h.run(['ca-certificates', 'list', '--order', 'newest'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: invalid --order "newest": expected asc or desc\n',
      exitCode: 2,
    });
  });
});

describe('ca-certificates get --pem|--der', () => {
  it('prints the registered certificate, byte for byte', async () => {
    const { h } = await twoCas();
    const pem = await h.run(['ca-certificates', 'get', 'first', '--pem']);
    expect(pem).toEqual({ stdout: first.pem.replace(/\r\n/g, '\n'), stderr: '', exitCode: 0 });
    expect(new X509Certificate(pem.stdout).raw.equals(first.der)).toBe(true);
    // The DER bytes themselves are compared in the e2e test, where stdout is binary-safe.
    const der = await h.run(['ca-certificates', 'get', 'first', '--der']);
    expect([der.stdout.length > 0, der.stderr, der.exitCode]).toEqual([true, '', 0]);
  });

  it('refuses --pem with --der, and exits 4 for a missing CA', async () => {
    const { h } = await twoCas();
    expectCleanError(
      await h.run(['ca-certificates', 'get', 'first', '--pem', '--der']),
      2,
      /^peridio: error: option '--der' cannot be used with option '--pem'/,
    );
    expectCleanError(await h.run(['ca-certificates', 'get', 'third', '--pem']), 4, 'CA certificate third not found in this organization');
  });
});

describe("--etag, az's spelling of --if-match", () => {
  it('is accepted by update, delete, verify and verification-codes create, and checked the same way', async () => {
    const { h } = await twoCas();
    const etagOf = async (name: string): Promise<string> =>
      (JSON.parse((await h.run(['ca-certificates', 'get', name, '--json'])).stdout) as { etag: string }).etag;
    expectCleanError(
      await h.run(['ca-certificates', 'update', 'first', '--inactive', '--etag', 'feedfacefeedface']),
      5,
      'CA certificate first has changed: its etag is no longer feedfacefeedface',
    );
    expect((await h.run(['ca-certificates', 'update', 'first', '--inactive', '--etag', await etagOf('first'), '-q'])).exitCode).toBe(0);
    const bound = JSON.parse((await h.run(['verification-codes', 'create', '--certificate', 'first', '--etag', await etagOf('first'), '--json'])).stdout) as {
      code: string;
      certificate_etag: string;
    };
    expect(bound.certificate_etag).toBe(await etagOf('first'));
    const pop = h.write('pop.pem', v1Certificate(first, { subject: bound.code }));
    const verified = await h.run(['ca-certificates', 'verify', 'first', '-v', pop, '--etag', bound.certificate_etag, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ is_verified: true });
    expectCleanError(
      await h.run(['ca-certificates', 'delete', 'second', '-y', '--etag', 'old']),
      5,
      'CA certificate second has changed: its etag is no longer old',
    );
    expect((await h.run(['ca-certificates', 'delete', 'second', '-y', '-q', '--etag', await etagOf('second')])).exitCode).toBe(0);
  });

  it('refuses --etag with --if-match, and --etag without --certificate', async () => {
    const { h } = await twoCas();
    expectCleanError(
      await h.run(['ca-certificates', 'update', 'first', '--inactive', '--etag', 'a', '--if-match', 'a']),
      2,
      /^peridio: error: option '--etag <etag>' cannot be used with option '--if-match <etag>'/,
    );
    expect(await h.run(['verification-codes', 'create', '--etag', 'x'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: --etag needs --certificate\nperidio: hint: bind the code to a CA with --certificate NAME|PRN\n',
      exitCode: 2,
    });
  });
});

describe("the Azure flow's code: one live code per CA", () => {
  it('supersedes the earlier bound code; presenting it says why and keeps the newer one live', async () => {
    const { h } = await twoCas();
    const old = await h.code(['--certificate', 'first']);
    const current = await h.code(['--certificate', 'first']);
    const run = await h.run(['ca-certificates', 'verify', 'first', '-v', h.write('old.pem', v1Certificate(first, { subject: old }))]);
    expect(run).toEqual({
      stdout: '',
      stderr:
        'peridio: error: the verification code was superseded at 2025-01-01T00:00:00Z by a newer code for the same CA certificate: a CA has one live code\n' +
        'peridio: hint: use the newest code, or request a new code with: peridio ca-certificates verification-codes create --certificate first\n',
      exitCode: 6,
    });
    const audit = (await h.snapshot()).audit as unknown as Array<{ action: string; reason: string | null }>;
    expect(audit.filter((e) => e.action === 'verification_code.supersede').map((e) => e.reason)).toEqual(['superseded']);
    expect((await h.run(['ca-certificates', 'verify', 'first', '-v', h.write('new.pem', v1Certificate(first, { subject: current })), '-q'])).exitCode).toBe(0);
  });

  it('a used bound code never suggests an unbound code', async () => {
    const { h } = await twoCas();
    const code = await h.code(['--certificate', 'second']);
    const pop = h.write('pop.pem', v1Certificate(second, { subject: code }));
    expect((await h.run(['ca-certificates', 'verify', 'second', '-v', pop, '-q'])).exitCode).toBe(0);
    const again = await h.run(['ca-certificates', 'create', '-c', h.write('s.pem', second), '-v', pop]);
    expect(again).toEqual({
      stdout: '',
      stderr:
        'peridio: error: the verification code was already used: each code is single-use, even when the registration failed\n' +
        'peridio: hint: CA certificate second is already verified: see peridio ca-certificates get second\n',
      exitCode: 5,
    });
    expect((await h.run(['ca-certificates', 'delete', 'second', '-y', '-q'])).exitCode).toBe(0);
    const deleted = await h.run(['ca-certificates', 'create', '-c', h.write('s2.pem', second), '-v', pop]);
    expect(deleted.stderr).toBe(
      'peridio: error: the verification code was already used: each code is single-use, even when the registration failed\n' +
        'peridio: hint: the CA certificate this code was bound to was deleted: register it again (peridio ca-certificates create -c ca.pem --name NAME), then: peridio ca-certificates verification-codes create --certificate NAME\n',
    );
  });
});
