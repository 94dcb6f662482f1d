/**
 * A sample of the x509-limbo corpus through the CLI, as users meet it: the trusted
 * roots registered with `ca-certificates create --verified` at a time inside their
 * validity, CRLs written to files, then `device-certificates verify` with the case's
 * options as flags. The sample takes every case that uses an option (CRLs, depth, an
 * IP address, a purpose) and every sixth of the rest; test/unit/x509/limbo-corpus.test.ts
 * runs them all through the core.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rfc3339 } from '../../src/core/time.js';
import { fixedClock } from '../helpers/clock.js';
import { DELIBERATE_EXCEPTIONS, limboCorpus, limboFlags, limboOptions, type LimboCorpusCase } from '../helpers/limbo-corpus.js';
import { cliHome, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp.js';

const usesOption = (c: LimboCorpusCase): boolean =>
  c.crls.length > 0 || c.max_chain_depth !== null || c.expected_peer_name?.kind === 'IP' || c.extended_key_usage.length > 0;
// --max-depth takes 0 to 8 (the search never builds longer paths); a case asking for more is left to the core test.
const sample = limboCorpus.filter((c, i) => (usesOption(c) || i % 6 === 0) && (c.max_chain_depth ?? 0) <= 8);

/** Read by OpenSSL, since the nc-dos roots are over the 64 KiB cap parseCertificate enforces. */
const notBefore = (pem: string): number => Date.parse(new X509Certificate(pem).validFrom);

describe(`x509-limbo corpus through device-certificates verify (${sample.length} of ${limboCorpus.length} cases)`, () => {
  it.each(sample.map((c) => [c.id, c] as const))('%s', async (id, testCase) => {
    const { env } = cliHome();
    const dir = tempDir();
    const registered: number[] = [];
    for (const [i, pem] of testCase.trusted_certs.entries()) {
      writeFileSync(join(dir, `root-${i}.pem`), pem);
      const run = await runCli(['ca-certificates', 'create', '-c', join(dir, `root-${i}.pem`), '--verified', '-q'], {
        env,
        clock: fixedClock(rfc3339(notBefore(pem) + 1000)),
      });
      registered.push(run.exitCode);
    }
    const wanted = DELIBERATE_EXCEPTIONS.has(id) ? (testCase.expected_result === 'SUCCESS' ? 'FAILURE' : 'SUCCESS') : testCase.expected_result;
    if (wanted === 'SUCCESS') expect(registered).toEqual(testCase.trusted_certs.map(() => 0));
    writeFileSync(join(dir, 'peer.pem'), testCase.peer_certificate);
    writeFileSync(join(dir, 'chain.pem'), testCase.untrusted_intermediates.join(''));
    const crlFlags = testCase.crls.flatMap((pem, i) => {
      writeFileSync(join(dir, `${i}.crl`), pem);
      return ['--crl-path', join(dir, `${i}.crl`)];
    });
    const all = [testCase.peer_certificate, ...testCase.untrusted_intermediates, ...testCase.trusted_certs];
    const at = testCase.validation_time ?? rfc3339(Math.max(...all.map(notBefore)) + 1000);
    const args = [
      'device-certificates',
      'verify',
      '-c',
      join(dir, 'peer.pem'),
      '--chain-path',
      join(dir, 'chain.pem'),
      '--at',
      at,
      ...limboFlags(limboOptions(testCase)),
      ...crlFlags,
    ];
    const run = await runCli(args, { env });
    expect({ exitCode: run.exitCode, stderr: wanted === 'SUCCESS' ? run.stderr : '' }).toEqual({ exitCode: wanted === 'SUCCESS' ? 0 : 3, stderr: '' });
  });
});
