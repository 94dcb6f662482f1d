/**
 * The x509-limbo subset (fixtures/x509-limbo-subset.json): every case whose x_our_expected is
 * plainly SUCCESS or FAILURE must come out that way. `ca` cases go through the CA
 * registration check and then, as a registered CA would be used, through path
 * validation of the peer certificate (rfc5280::duplicate-extensions puts its defect
 * in the EE); the others through path validation alone.
 */
import { describe, expect, it } from 'vitest';
import { checkCaCertificate } from '../../../src/core/x509/check-ca.js';
import { parseCertificate, type ParsedCertificate } from '../../../src/core/x509/parse.js';
import { validatePath } from '../../../src/core/x509/path-validation.js';
import { VericodeError } from '../../../src/core/errors.js';
import { plainLimboCases, type LimboCase } from '../../helpers/limbo.js';

const parse = (pem: string, label: string): ParsedCertificate => parseCertificate(Buffer.from(pem), label);

/** A time inside every certificate's validity, for cases without a validation_time. */
function insideValidity(certs: ParsedCertificate[]): Date {
  return new Date(Math.max(...certs.map((c) => c.fields.notBefore)) + 1000);
}

function outcome(testCase: LimboCase): { result: 'SUCCESS' | 'FAILURE'; reason?: string; stage?: 'ca-check' | 'path' } {
  let stage: 'ca-check' | 'path' = 'ca-check';
  try {
    const anchors = testCase.trusted_certs.map((pem, i) => parse(pem, `trusted ${i}`));
    const intermediates = testCase.untrusted_intermediates.map((pem, i) => parse(pem, `intermediate ${i}`));
    const leaf = parse(testCase.peer_certificate, 'peer');
    const at = testCase.validation_time ? new Date(testCase.validation_time) : insideValidity([leaf, ...intermediates, ...anchors]);
    if (testCase.x_role === 'ca') for (const anchor of anchors) checkCaCertificate(anchor, new Date(anchor.fields.notBefore + 1000));
    stage = 'path';
    validatePath(leaf, intermediates, anchors, at);
    return { result: 'SUCCESS' };
  } catch (error) {
    if (error instanceof VericodeError) return { result: 'FAILURE', reason: `${error.code}: ${error.message}`, stage };
    throw error;
  }
}

const plain = plainLimboCases();

describe('x509-limbo subset', () => {
  it('has the plainly decided cases this suite relies on', () => {
    expect(plain.length).toBeGreaterThanOrEqual(35);
  });

  it.each(plain.map((c) => [c.id, c] as const))('%s', (_id, testCase) => {
    const { result, reason } = outcome(testCase);
    expect({ result, reason: result === testCase.expected ? 'as expected' : reason }).toEqual({ result: testCase.expected, reason: 'as expected' });
  });

  it.each(plain.filter((c) => c.x_role === 'ca' && c.expected === 'FAILURE' && c.id !== 'rfc5280::duplicate-extensions').map((c) => [c.id, c] as const))(
    '%s is refused by the CA registration check itself',
    (_id, testCase) => {
      expect(outcome(testCase).stage).toBe('ca-check');
    },
  );
});
