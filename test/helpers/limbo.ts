/** The x509-limbo subset of ../shared/testdata, and what this project expects of each case. */
import { readSharedTestdata } from './testdata.js';

export interface LimboCase {
  id: string;
  x_role: string;
  x_our_expected: string;
  validation_time: string | null;
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
}

/** Every case of the subset. */
export const limboCases: readonly LimboCase[] = (JSON.parse(readSharedTestdata('x509-limbo-subset.json')) as { testcases: LimboCase[] }).testcases;

/** "SUCCESS", "SUCCESS (deviation: …)", "FAILURE"; anything else (SKIP, OPTIONAL, POLICY, "… or policy choice") has no fixed expectation. */
export function plainExpectation(text: string): 'SUCCESS' | 'FAILURE' | undefined {
  const match = /^(SUCCESS|FAILURE)(\s*\(.*\))?$/.exec(text.trim());
  return match ? (match[1] as 'SUCCESS' | 'FAILURE') : undefined;
}
