/**
 * Separate processes racing on one store: the code is consumed once, and a CA is
 * registered once, whatever the interleaving (BEGIN IMMEDIATE and the conditional
 * consume).
 */
import { describe, expect, it } from 'vitest';
import { GENKEY, signCsr } from '../helpers/openssl-recipes.js';
import { e2eHome, openssl, type E2eHome } from '../helpers/spawn-peridio.js';

function ecKey(e: E2eHome, out: string): void {
  openssl(e.home, GENKEY.p256(out));
}

function ca(e: E2eHome, prefix: string, subject: string): void {
  ecKey(e, `${prefix}.key`);
  openssl(e.home, ['req', '-x509', '-new', '-key', `${prefix}.key`, '-sha256', '-days', '30', '-out', `${prefix}.pem`, '-subj', subject]);
}

function verification(e: E2eHome, caPrefix: string, code: string, out: string): void {
  ecKey(e, `${out}.key`);
  openssl(e.home, ['req', '-new', '-key', `${out}.key`, '-out', `${out}.csr`, '-subj', `/CN=${code}`]);
  signCsr(e.home, { csr: `${out}.csr`, ca: caPrefix, days: 1, out: `${out}.pem` });
}

describe('concurrent registrations', { timeout: 60_000 }, () => {
  it('one code presented by two processes at once is consumed once', async () => {
    const e = e2eHome();
    expect(e.peridio(['init']).exitCode).toBe(0);
    const code = e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim();
    ca(e, 'a', '/CN=Race Root A');
    ca(e, 'b', '/CN=Race Root B');
    verification(e, 'a', code, 'va');
    verification(e, 'b', code, 'vb');
    const runs = await Promise.all([
      e.peridioAsync(['ca-certificates', 'create', '-c', 'a.pem', '-v', 'va.pem', '-q']),
      e.peridioAsync(['ca-certificates', 'create', '-c', 'b.pem', '-v', 'vb.pem', '-q']),
    ]);
    expect(runs.map((r) => r.exitCode).sort()).toEqual([0, 5]);
    expect(runs.find((r) => r.exitCode === 5)!.stderr).toMatch(/^peridio: error: the verification code was already used/);
    expect(JSON.parse(e.peridio(['ca-certificates', 'list', '--json']).stdout).items).toHaveLength(1);
  });

  it('one CA registered by two processes at once with two codes is stored once', async () => {
    const e = e2eHome();
    expect(e.peridio(['init']).exitCode).toBe(0);
    ca(e, 'ca', '/CN=Race Root');
    verification(e, 'ca', e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim(), 'v1');
    verification(e, 'ca', e.peridio(['ca-certificates', 'verification-codes', 'create', '-q']).stdout.trim(), 'v2');
    const runs = await Promise.all([
      e.peridioAsync(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'v1.pem', '-q']),
      e.peridioAsync(['ca-certificates', 'create', '-c', 'ca.pem', '-v', 'v2.pem', '-q']),
    ]);
    expect(runs.map((r) => r.exitCode).sort()).toEqual([0, 5]);
    const winner = runs.find((r) => r.exitCode === 0)!.stdout.trim();
    expect(runs.find((r) => r.exitCode === 5)!.stderr).toContain(`already registered in this organization as ${winner}`);
    const codes = JSON.parse(e.peridio(['ca-certificates', 'verification-codes', 'list', '--json']).stdout) as { items: Array<{ status: string }> };
    expect(codes.items.map((c) => c.status)).toEqual(['consumed', 'consumed']);
  });
});
