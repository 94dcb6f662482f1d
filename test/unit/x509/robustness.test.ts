/**
 * Mangled certificates never escape as anything but the project's errors: any byte
 * flipped, dropped or inserted in a valid certificate either still parses (and then
 * the checks answer with VericodeErrors) or is an invalid_certificate usage error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError, VericodeError } from '../../../src/core/errors.js';
import { checkCaCertificate } from '../../../src/core/x509/check-ca.js';
import { checkVerificationCertificate } from '../../../src/core/x509/check-verification.js';
import { parseCertificate, parseCertificateChain } from '../../../src/core/x509/parse.js';
import { validatePath } from '../../../src/core/x509/path-validation.js';
import { leafCertificate, selfSignedCa, testKey } from '../../helpers/mini-ca.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const ca = selfSignedCa({ key: testKey('rsa-2048') });
const leaf = leafCertificate(ca);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
);

type Mutation = { kind: 'flip' | 'drop' | 'insert'; at: number; bits?: number; count?: number; bytes?: Uint8Array };

function mutate(der: Buffer, m: Mutation): Buffer {
  const at = m.at % der.length;
  if (m.kind === 'flip') {
    const copy = Buffer.from(der);
    copy[at] = copy[at]! ^ m.bits!;
    return copy;
  }
  if (m.kind === 'drop') return Buffer.concat([der.subarray(0, at), der.subarray(at + m.count!)]);
  return Buffer.concat([der.subarray(0, at), Buffer.from(m.bytes!), der.subarray(at)]);
}

function onlyOurErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VericodeError);
  }
}

describe('mangled certificates', () => {
  it('as a CA or verification certificate: a parse error or a check error, nothing else', () => {
    fc.assert(
      fc.property(mutation, fc.boolean(), (m, asPem) => {
        const der = mutate(leaf.der, m);
        const bytes = asPem ? Buffer.from(`-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`) : der;
        let parsed;
        try {
          parsed = parseCertificate(bytes, 'mangled');
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as UsageError).code).toBe('invalid_certificate');
          return;
        }
        onlyOurErrors(() => checkCaCertificate(parsed, NOW));
        onlyOurErrors(() => checkVerificationCertificate(parsed, ca.parsed, NOW));
        onlyOurErrors(() => validatePath(parsed, [], [ca.parsed], NOW));
      }),
      { numRuns: 400 },
    );
  });

  it('as a chain file', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        onlyOurErrors(() => parseCertificateChain(mutate(Buffer.concat([ca.der, leaf.der]), m), 'chain'));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        onlyOurErrors(() => parseCertificate(bytes, 'random'));
        onlyOurErrors(() => parseCertificateChain(bytes, 'random'));
      }),
      { numRuns: 400 },
    );
  });
});
