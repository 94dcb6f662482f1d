/**
 * The x509-limbo subset in fixtures/ (see fixtures/README.md): the cases, and which
 * of them have a plain expectation this project must meet.
 */
import { readFixture } from './testdata.js';

export interface LimboCase {
  id: string;
  /** `ca`, `leaf`, `validity`, `intermediate-ca/signature` or `chain`. */
  x_role: string;
  x_our_expected: string;
  validation_time: string | null;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
}

export type PlainExpectation = 'SUCCESS' | 'FAILURE';

/** Every case of the subset. */
export const limboCases: readonly LimboCase[] = (JSON.parse(readFixture('x509-limbo-subset.json')) as { testcases: LimboCase[] }).testcases;

/** "SUCCESS", "SUCCESS (deviation: …)", "FAILURE"; anything else (SKIP, OPTIONAL, POLICY, "… or policy choice") has no fixed expectation. */
export function plainExpectation(text: string): PlainExpectation | undefined {
  const match = /^(SUCCESS|FAILURE)(\s*\(.*\))?$/.exec(text.trim());
  return match ? (match[1] as PlainExpectation) : undefined;
}

/**
 * Expectations of the subset that issue 12's device policy changed. The subset allowed
 * a leaf without authorityKeyIdentifier because `openssl x509 -req` makes version 1
 * certificates, which have none; the policy keeps those (version 1 carries no
 * extensions) but refuses a version 3 leaf without it, as this case's is.
 */
const POLICY_UPDATES: Readonly<Record<string, PlainExpectation>> = { 'rfc5280::aki::leaf-missing-aki': 'FAILURE' };

/** The cases with a plain expectation, with it. */
export function plainLimboCases(): Array<LimboCase & { expected: PlainExpectation }> {
  return limboCases.flatMap((c) => {
    const expected = POLICY_UPDATES[c.id] ?? plainExpectation(c.x_our_expected);
    return expected ? [{ ...c, expected }] : [];
  });
}
