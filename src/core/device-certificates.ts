/**
 * Checking a device certificate against the organization's registered CAs: RFC 5280
 * basic path validation ending at a CA that is verified and active (SPEC section 2,
 * flow 4). Read-only: nothing is stored or audited.
 */
import type { CoreContext } from './context.js';
import { resourcePrn } from './prn.js';
import { rfc3339 } from './time.js';
import { summarizeCertificate, type CertificateSummary } from './x509/describe.js';
import { parseCrls } from './x509/crl.js';
import { parseCertificate, parseCertificateChain, type ParsedCertificate } from './x509/parse.js';
import { validatePath, type PathOptions } from './x509/path-validation.js';
import { parsePeerIdentity } from './x509/peer-identity.js';
import { parsePurpose, PURPOSES, purposeNamed } from './x509/purpose.js';

export { PURPOSES, purposeNamed };
export { identityInputProblem, type PeerIdentityProblem } from './x509/peer-identity.js';
import { UsageError } from './errors.js';

/** A registered CA to validate against, with the id that names it. */
export interface TrustAnchor {
  id: string;
  certificate: ParsedCertificate;
}

/** The result of a successful check: the path found, device first, registered CA last. */
export interface DeviceCertificateCheck {
  valid: true;
  validated_at: string;
  ca_certificate_prn: string;
  chain: CertificateSummary[];
}

/**
 * The pure check: validates `leaf` through `intermediates` to one of `anchors` at `at`,
 * with `options` (purpose, identity, CRLs, depth).
 * @returns the anchor's id and the path (leaf first).
 * @throws VerificationError('verification_failed' or 'revoked') with the reason (see validatePath).
 */
export function checkDeviceCertificate(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: TrustAnchor[],
  at: Date,
  options: PathOptions = {},
): { anchorId: string; path: ParsedCertificate[] } {
  const path = validatePath(
    leaf,
    intermediates,
    anchors.map((a) => a.certificate),
    at,
    options,
  );
  const anchor = anchors.find((a) => a.certificate === path[path.length - 1])!;
  return { anchorId: anchor.id, path };
}

/**
 * The registered CAs a path from `chain` may end at: the organization's verified,
 * active CAs whose subject is the issuer of one of `chain`'s certificates (path
 * validation matches anchors by that name alone), looked up by index rather than
 * reading every CA.
 */
async function candidateIssuers(ctx: CoreContext, organizationId: string, chain: ParsedCertificate[]): Promise<TrustAnchor[]> {
  const issuerNames = chain.map((cert) => Buffer.from(cert.fields.issuer.der));
  return (await ctx.store.read((tx) => tx.findTrustedCaCertificates(organizationId, issuerNames))).map((row) => ({
    id: row.id,
    certificate: parseCertificate(row.der, `registered CA ${resourcePrn(organizationId, 'ca_certificate', row.id)}`),
  }));
}

/** What to check, and in which organization. */
export interface VerifyDeviceCertificateInput {
  organizationId: string;
  /** The device certificate's bytes (PEM or DER) and its name for errors. */
  certificate: { bytes: Uint8Array; label: string };
  /** Intermediate certificates, PEM bundle or concatenated DER. */
  chain?: { bytes: Uint8Array; label: string };
  /** Validation time in epoch ms (`--at`); default the clock's now. */
  at?: number;
  /** `--purpose` as given: client-auth, server-auth or any (the default). */
  purpose?: string;
  /** `--dns-name`, `--ip-address`, `--email` as given (at most one). */
  identity?: { dnsName?: string; ipAddress?: string; email?: string };
  /** `--crl-path` files, each with one or more CRLs (PEM or DER). */
  crls?: Array<{ bytes: Uint8Array; label: string }>;
  /** `--max-depth`: at most this many intermediates (self-issued ones not counted). */
  maxDepth?: number;
}

/** The deepest path (intermediate CA certificates) accepted: the path search never builds longer paths. */
export const MAX_DEPTH_LIMIT = 8;

/** The path options from the input, every value checked before the store is opened. */
function pathOptions(input: VerifyDeviceCertificateInput): PathOptions {
  if (input.maxDepth !== undefined && (!Number.isInteger(input.maxDepth) || input.maxDepth < 0 || input.maxDepth > MAX_DEPTH_LIMIT)) {
    throw new UsageError(
      `the path depth must be a whole number from 0 to ${MAX_DEPTH_LIMIT}`,
      'it counts the intermediate CA certificates between the device certificate and the registered CA',
    );
  }
  return {
    purpose: input.purpose === undefined ? undefined : parsePurpose(input.purpose),
    identity: input.identity && parsePeerIdentity(input.identity),
    crls: input.crls?.flatMap((file) => parseCrls(file.bytes, file.label)),
    maxIntermediates: input.maxDepth,
  };
}

/**
 * Checks a device certificate against the organization's registered, verified and
 * active CAs.
 * @throws UsageError('invalid_certificate') for a malformed certificate or chain
 * file, UsageError('invalid_format') for a malformed CRL file, UsageError('usage')
 * for a bad identity or depth; VerificationError('revoked') when a CRL lists a
 * certificate of the path; VerificationError('verification_failed') when no valid
 * path reaches such a CA at the validation time, with the reason.
 */
export async function verifyDeviceCertificate(ctx: CoreContext, input: VerifyDeviceCertificateInput): Promise<DeviceCertificateCheck> {
  const leaf = parseCertificate(input.certificate.bytes, input.certificate.label);
  const intermediates = input.chain ? parseCertificateChain(input.chain.bytes, input.chain.label) : [];
  const options = pathOptions(input);
  const at = new Date(input.at ?? ctx.clock.now().getTime());
  const { anchorId, path } = checkDeviceCertificate(
    leaf,
    intermediates,
    await candidateIssuers(ctx, input.organizationId, [leaf, ...intermediates]),
    at,
    options,
  );
  return {
    valid: true,
    validated_at: rfc3339(Math.floor(at.getTime() / 1000) * 1000),
    ca_certificate_prn: resourcePrn(input.organizationId, 'ca_certificate', anchorId),
    chain: path.map(summarizeCertificate),
  };
}
