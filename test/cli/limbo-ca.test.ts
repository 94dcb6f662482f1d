/**
 * The x509-limbo subset's `x_role: ca` cases whose expectation is plain, through the
 * CLI as a user meets them: `ca-certificates create --verified` with the trusted
 * certificate, then (when it is registered) `device-certificates verify` with the
 * peer certificate, since a registered root is only useful through that check.
 * rfc5280::duplicate-extensions, for one, puts its defect in the peer.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/x509/parse.js';
import { fixedClock } from '../helpers/clock.js';
import { cliHome, runCli } from '../helpers/run-cli.js';
import { limboCases, plainExpectation } from '../helpers/limbo.js';

const caCases = limboCases.filter((c) => c.x_role === 'ca' && plainExpectation(c.x_our_expected));

/** A second inside every certificate's validity: registration and the device check both happen then. */
function insideValidity(pems: string[]): string {
  const notBefore = Math.max(
    ...pems.map((pem) => {
      try {
        return parseCertificate(Buffer.from(pem), 'limbo certificate').fields.notBefore;
      } catch {
        return 0;
      }
    }),
  );
  return new Date(notBefore + 1000).toISOString();
}

describe('x509-limbo ca cases through ca-certificates create --verified', () => {
  it('covers the plainly decided ca cases', () => {
    expect(caCases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(caCases.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    const { home, env } = cliHome();
    expect(testCase.trusted_certs).toHaveLength(1);
    const rootPath = join(home, 'root.pem');
    const peerPath = join(home, 'peer.pem');
    writeFileSync(rootPath, testCase.trusted_certs[0]!);
    writeFileSync(peerPath, testCase.peer_certificate);
    const at = testCase.validation_time ?? insideValidity([...testCase.trusted_certs, testCase.peer_certificate]);
    const clock = fixedClock(at);
    const registered = await runCli(['ca-certificates', 'create', '-c', rootPath, '--verified', '-q'], { env, clock });
    expect(registered.stderr).not.toMatch(/\n\s+at /);
    let result: 'SUCCESS' | 'FAILURE' = 'FAILURE';
    let reason = registered.stderr;
    if (registered.exitCode === 0) {
      const checked = await runCli(['device-certificates', 'verify', '-c', peerPath, '--at', at], { env, clock });
      expect(checked.stderr).not.toMatch(/\n\s+at /);
      if (checked.exitCode === 0) result = 'SUCCESS';
      reason = checked.stderr;
    } else {
      expect([2, 6]).toContain(registered.exitCode);
      // A refused CA leaves nothing behind.
      expect(JSON.parse((await runCli(['ca-certificates', 'list', '--json'], { env, clock })).stdout)).toEqual({ items: [], next_page: null });
    }
    const expected = plainExpectation(testCase.x_our_expected);
    expect({ result, reason: result === expected ? 'as expected' : reason }).toEqual({ result: expected, reason: 'as expected' });
  });
});
