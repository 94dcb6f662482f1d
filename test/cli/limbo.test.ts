/**
 * The x509-limbo subset's device-check cases (every role but `ca`, which
 * limbo-ca.test.ts covers) through the CLI, as users meet them: the trusted root
 * registered with `ca-certificates create --verified` at a time inside its own
 * validity, then the peer certificate checked with `device-certificates verify
 * --chain-path … --at …`. Every plainly decided case must come out as x_our_expected
 * says.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/core/x509/parse.js';
import { rfc3339 } from '../../src/core/time.js';
import { fixedClock } from '../helpers/clock.js';
import { cliHome, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';
import { plainLimboCases } from '../helpers/limbo.js';

const plain = plainLimboCases().filter((c) => c.x_role !== 'ca');

const notBefore = (pem: string): number => parseCertificate(Buffer.from(pem), 'limbo').fields.notBefore;

describe('x509-limbo device-check cases through device-certificates verify', () => {
  it.each(plain.map((c) => [c.id, c] as const))('%s', async (_id, testCase) => {
    const { env } = cliHome();
    const dir = tempDir();
    const registered: number[] = [];
    for (const [i, pem] of testCase.trusted_certs.entries()) {
      const path = join(dir, `root-${i}.pem`);
      writeFileSync(path, pem);
      const run = await runCli(['ca-certificates', 'create', '-c', path, '--verified', '-q'], { env, clock: fixedClock(rfc3339(notBefore(pem) + 1000)) });
      registered.push(run.exitCode);
    }
    if (testCase.expected === 'SUCCESS') expect(registered).toEqual(testCase.trusted_certs.map(() => 0));
    writeFileSync(join(dir, 'peer.pem'), testCase.peer_certificate);
    writeFileSync(join(dir, 'chain.pem'), testCase.untrusted_intermediates.join(''));
    const all = [testCase.peer_certificate, ...testCase.untrusted_intermediates, ...testCase.trusted_certs];
    const at = testCase.validation_time ?? rfc3339(Math.max(...all.map(notBefore)) + 1000);
    const run = await runCli(['device-certificates', 'verify', '-c', join(dir, 'peer.pem'), '--chain-path', join(dir, 'chain.pem'), '--at', at], { env });
    expect({ exitCode: run.exitCode, stderr: testCase.expected === 'SUCCESS' ? run.stderr : '' }).toEqual({
      exitCode: testCase.expected === 'SUCCESS' ? 0 : 3,
      stderr: '',
    });
  });
});
