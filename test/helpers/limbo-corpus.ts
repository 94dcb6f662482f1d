/**
 * The whole x509-limbo corpus in fixtures/x509-limbo.json.gz (see fixtures/README.md):
 * its cases, and how a case's harness settings map to `device-certificates verify`'s
 * options.
 */
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fixturePath } from './testdata.js';

export interface LimboCorpusCase {
  id: string;
  description: string;
  features: string[];
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  extended_key_usage: string[];
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  max_chain_depth: number | null;
  crls: string[];
}

/** Every case of the corpus, in its order. */
export const limboCorpus: readonly LimboCorpusCase[] = (
  JSON.parse(gunzipSync(readFileSync(fixturePath('x509-limbo.json.gz'))).toString('utf8')) as { testcases: LimboCorpusCase[] }
).testcases;

/** The verify options a case's harness settings stand for: `--dns-name`, `--ip-address`, `--email`, `--purpose`, `--max-depth`. */
export interface LimboOptions {
  dnsName?: string;
  ipAddress?: string;
  email?: string;
  purpose: 'client-auth' | 'server-auth' | 'any';
  maxDepth?: number;
}

const PURPOSES: Record<string, LimboOptions['purpose']> = { serverAuth: 'server-auth', clientAuth: 'client-auth' };

/** The options for `testCase` (its CRLs are passed separately, as files or parsed). */
export function limboOptions(testCase: LimboCorpusCase): LimboOptions {
  const [eku, ...more] = testCase.extended_key_usage;
  if (more.length > 0 || (eku !== undefined && !PURPOSES[eku]))
    throw new Error(`${testCase.id}: unmapped extended_key_usage ${testCase.extended_key_usage.join(',')}`);
  const options: LimboOptions = { purpose: eku === undefined ? 'any' : PURPOSES[eku]! };
  const peer = testCase.expected_peer_name;
  if (peer?.kind === 'DNS') options.dnsName = peer.value;
  else if (peer?.kind === 'IP') options.ipAddress = peer.value;
  else if (peer?.kind === 'RFC822') options.email = peer.value;
  if (testCase.max_chain_depth !== null) options.maxDepth = testCase.max_chain_depth;
  return options;
}

/** `options` as `device-certificates verify` flags. */
export function limboFlags(options: LimboOptions): string[] {
  return [
    ...(options.dnsName === undefined ? [] : ['--dns-name', options.dnsName]),
    ...(options.ipAddress === undefined ? [] : ['--ip-address', options.ipAddress]),
    ...(options.email === undefined ? [] : ['--email', options.email]),
    ...(options.purpose === 'any' ? [] : ['--purpose', options.purpose]),
    ...(options.maxDepth === undefined ? [] : ['--max-depth', String(options.maxDepth)]),
  ];
}

/**
 * The cases whose expected result this product deliberately does not give, each with
 * why. The corpus test asserts that each of them still comes out the other way, so
 * this list can only shrink when the policy changes.
 */
export const DELIBERATE_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  // An end-entity with cA=TRUE is refused (issue 12's device policy); limbo's own
  // webpki::ca-as-leaf and webpki::ee-basicconstraints-ca expect that refusal.
  ['rfc5280::ca-as-leaf', 'conflicts with webpki::ca-as-leaf: an end-entity certificate asserting cA=TRUE is refused'],
  [
    'pathlen::validation-ignores-pathlen-in-leaf',
    'its leaf asserts cA=TRUE (with a pathLenConstraint): an end-entity certificate asserting cA=TRUE is refused',
  ],
  // Name constraints are enforced whether or not the extension is critical.
  [
    'rfc5280::nc::permitted-dns-match-noncritical',
    'conflicts with webpki::nc::permitted-dns-match-noncritical: non-critical name constraints are enforced, not refused',
  ],
  // A registered CA is trusted as registered: a cross-signed root without AKI stays usable.
  [
    'rfc5280::aki::cross-signed-root-missing-aki',
    'pedantic-rfc5280, conflicts with cve::cve-2024-0567 (whose trusted cross-signed root also lacks an authorityKeyIdentifier): registered CAs are not held to the AKI presence rule',
  ],
  // CA/Browser Forum server-certificate profile rules that RFC 5280 does not make and
  // that device certificates (v1 from `openssl x509 -req`, no EKU) do not follow.
  [
    'webpki::eku::ee-without-eku',
    'pedantic-webpki-eku: a device certificate without extendedKeyUsage (every v1 certificate `openssl x509 -req` makes) is not limited (RFC 5280 4.2.1.12)',
  ],
  [
    'webpki::eku::ee-anyeku',
    'pedantic-webpki-eku: the leaf lists serverAuth, which --purpose server-auth asks for; CABF alone forbids listing anyExtendedKeyUsage too',
  ],
  ['webpki::eku::ee-critical-eku', 'pedantic-webpki-eku: RFC 5280 4.2.1.12 allows extendedKeyUsage to be critical; CABF alone forbids it'],
  ['webpki::eku::root-has-eku', "pedantic-webpki-eku: the root's extendedKeyUsage includes serverAuth; CABF alone forbids a root to carry one"],
  [
    'webpki::v1-cert',
    'a version 1 end-entity certificate is what `openssl x509 -req` makes without -extfile, as the AWS and Peridio guides sign device certificates',
  ],
  ['webpki::san::no-san', 'the CN is the identity of a certificate without subjectAltName (RFC 6125 6.4.4), as version 1 device certificates have none'],
  ['webpki::san::san-critical-with-nonempty-subject', 'RFC 5280 4.2.1.6 allows a critical subjectAltName next to a non-empty subject; CABF alone forbids it'],
  // No public suffix list is shipped: an offline tool for device identities. `*.com`
  // (one label under the wildcard) is refused without one.
  [
    'webpki::san::public-suffix-multi-label-wildcard-san',
    'pedantic-public-suffix-wildcard: telling that co.uk is a public suffix needs the public suffix list, which is not shipped',
  ],
  [
    'webpki::san::public-suffix-private-namespace-wildcard-san',
    'pedantic-public-suffix-wildcard: telling that s3.amazonaws.com is a public suffix needs the public suffix list, which is not shipped',
  ],
  // CABF BR 7.1.4.3 (CN a copy of a SAN entry) for host-name CNs: the corpus also
  // expects success for leaves whose CN is not among their SAN entries
  // (rfc5280::nc::permitted-dns-match-more, webpki::san::exact-localhost-ip-san), so no
  // rule gives both; the CN is ignored when a SAN exists (RFC 6125 6.4.4). IP-address
  // CNs are held to the rule (see peer-identity.ts).
  ['webpki::cn::not-in-san', 'CABF CN consistency, contradicted by rfc5280::nc::permitted-dns-match-more: a CN is ignored when subjectAltName exists'],
  ['webpki::cn::case-mismatch', 'CABF CN consistency, contradicted by rfc5280::nc::permitted-dns-match-more: a CN is ignored when subjectAltName exists'],
  ['webpki::cn::punycode-not-in-san', 'CABF CN consistency, contradicted by rfc5280::nc::permitted-dns-match-more: a CN is ignored when subjectAltName exists'],
  [
    'webpki::cn::utf8-vs-punycode-mismatch',
    'CABF CN consistency, contradicted by rfc5280::nc::permitted-dns-match-more: a CN is ignored when subjectAltName exists',
  ],
]);
