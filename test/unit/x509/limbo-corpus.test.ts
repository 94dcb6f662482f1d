/**
 * Every case of the x509-limbo corpus (fixtures/x509-limbo.json.gz) through the core,
 * with the case's peer name, extended key usage, CRLs and maximum depth mapped to the
 * options of `device-certificates verify`. Each case must give its expected result,
 * except the deliberate exceptions listed in test/helpers/limbo-corpus.ts, which must
 * still give the other one.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCertificateFields } from '../../../src/core/x509/certificate-fields.js';
import { readPemBlocks } from '../../../src/core/x509/pem.js';
import { VericodeError } from '../../../src/core/errors.js';
import { parseCrls } from '../../../src/core/x509/crl.js';
import { parseCertificate, type ParsedCertificate } from '../../../src/core/x509/parse.js';
import { validatePath } from '../../../src/core/x509/path-validation.js';
import { parsePeerIdentity } from '../../../src/core/x509/peer-identity.js';
import { DELIBERATE_EXCEPTIONS, limboCorpus, limboOptions, type LimboCorpusCase } from '../../helpers/limbo-corpus.js';

const parse = (pem: string, label: string): ParsedCertificate => parseCertificate(Buffer.from(pem), label);

/** The certificate without parseCertificate's 64 KiB cap on input files. */
function parseUncapped(pem: string): ParsedCertificate {
  const der = readPemBlocks(pem)[0]!.der;
  return { der, fields: decodeCertificateFields(der), x509: new X509Certificate(der) };
}

/** The result and, for a failure, the error's code and message; with how long validation took. */
function run(testCase: LimboCorpusCase, read = parse): { result: 'SUCCESS' | 'FAILURE'; reason?: string; ms: number } {
  const started = performance.now();
  try {
    const anchors = testCase.trusted_certs.map((pem, i) => read(pem, `trusted ${i}`));
    const intermediates = testCase.untrusted_intermediates.map((pem, i) => read(pem, `intermediate ${i}`));
    const leaf = read(testCase.peer_certificate, 'peer');
    const at = testCase.validation_time
      ? new Date(testCase.validation_time)
      : new Date(Math.max(...[leaf, ...intermediates, ...anchors].map((c) => c.fields.notBefore)) + 1000);
    const options = limboOptions(testCase);
    const crls = testCase.crls.flatMap((pem, i) => parseCrls(Buffer.from(pem), `crl ${i}`));
    validatePath(leaf, intermediates, anchors, at, {
      purpose: options.purpose,
      identity: parsePeerIdentity(options),
      crls,
      maxIntermediates: options.maxDepth,
    });
    return { result: 'SUCCESS', ms: performance.now() - started };
  } catch (error) {
    if (error instanceof VericodeError) return { result: 'FAILURE', reason: `${error.code}: ${error.message}`, ms: performance.now() - started };
    throw error;
  }
}

const timings: Array<{ id: string; ms: number }> = [];

describe(`x509-limbo corpus: ${limboCorpus.length} cases, ${DELIBERATE_EXCEPTIONS.size} deliberate exceptions`, () => {
  afterAll(() => {
    const slowest = [...timings].sort((a, b) => b.ms - a.ms)[0];
    console.log(
      `x509-limbo: ${limboCorpus.length} cases run, ${limboCorpus.length - DELIBERATE_EXCEPTIONS.size} agree, ${DELIBERATE_EXCEPTIONS.size} deliberate exceptions; slowest ${slowest?.id} in ${slowest?.ms.toFixed(0)} ms`,
    );
  });

  it('lists only exceptions that are corpus cases', () => {
    const ids = new Set(limboCorpus.map((c) => c.id));
    expect([...DELIBERATE_EXCEPTIONS.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });

  it.each(limboCorpus.map((c) => [c.id, c] as const))('%s', (id, testCase) => {
    const outcome = run(testCase);
    timings.push({ id, ms: outcome.ms });
    const exception = DELIBERATE_EXCEPTIONS.get(id);
    const wanted = exception ? (testCase.expected_result === 'SUCCESS' ? 'FAILURE' : 'SUCCESS') : testCase.expected_result;
    expect({ result: outcome.result, reason: outcome.result === wanted ? 'as wanted' : outcome.reason }).toEqual({ result: wanted, reason: 'as wanted' });
  });

  it('fails every FAILURE case on the certificates, never on its own options', () => {
    const usage = limboCorpus
      .filter((c) => c.expected_result === 'FAILURE')
      .map((c) => ({ id: c.id, reason: run(c).reason ?? '' }))
      .filter((r) => /^usage/.test(r.reason));
    expect(usage).toEqual([]);
  });

  // The nc-dos roots are over the 64 KiB input cap, so they are refused as input; read
  // past the cap, the name-constraint work bound refuses them instead, quickly.
  it.each(limboCorpus.filter((c) => c.id.startsWith('pathological::nc-dos')).map((c) => [c.id, c] as const))(
    '%s is refused by the comparison bound when read past the size cap',
    (id, testCase) => {
      const outcome = run(testCase, parseUncapped);
      timings.push({ id: `${id} (uncapped)`, ms: outcome.ms });
      expect(outcome.reason).toMatch(
        /^verification_failed: device certificate does not validate: the name constraints on the path would take \d+ comparisons \(at most 1048576 are made\)/,
      );
    },
  );
});
