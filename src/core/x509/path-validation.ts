/**
 * RFC 5280 section 6 basic path validation, for device certificates checked against
 * the registered CAs. Paths are built by name chaining and signature (with the
 * registered CAs preferred as issuers), then each candidate path is validated; the
 * first valid one is returned.
 */
import { VerificationError } from '../errors.js';
import { basicConstraintsOf, caConstraintsProblem, profileProblem, signatureAlgorithmsProblem, signedBy, validityProblem } from './certificate-checks.js';
import { revocationProblem } from './crl-check.js';
import type { ParsedCrl } from './crl.js';
import { deviceProfileProblem, type PathPosition } from './device-profile.js';
import { nameConstraintsProblem } from './name-constraint-path.js';
import { formatName } from './names.js';
import type { ParsedCertificate } from './parse.js';
import { peerIdentityProblem, type PeerIdentity } from './peer-identity.js';
import { purposeProblem, type Purpose } from './purpose.js';

/** What a device path is checked for beyond RFC 5280 basic validation (the `verify` options). */
export interface PathOptions {
  /** extendedKeyUsage of the leaf and of every CA that has one (`--purpose`); default 'any'. */
  purpose?: Purpose;
  /** The identity the leaf must carry (`--dns-name`, `--ip-address`, `--email`). */
  identity?: PeerIdentity;
  /** CRLs to check every certificate below the anchor against (`--crl-path`). */
  crls?: readonly ParsedCrl[];
  /** At most this many intermediates, self-issued ones not counted (`--max-depth`). */
  maxIntermediates?: number;
}

/** The longest path considered, leaf and anchor included. */
const MAX_PATH_LENGTH = 10;
/**
 * How many candidate issuers the search may try in all. Certificates sharing one
 * name and key can chain in any order, so an unbounded search over a crafted 64 KiB
 * chain file would be exponential.
 */
const MAX_CANDIDATES = 500;

interface Search {
  complete: ParsedCertificate[][];
  /** Candidate issuers tried so far (see MAX_CANDIDATES). */
  tried: number;
  /** Signature checks already done, by subject certificate then issuer. */
  signatures: Map<ParsedCertificate, Map<ParsedCertificate, boolean>>;
  /** The deepest point where no issuer could be found, and why. */
  stuck: { depth: number; reason: string } | undefined;
}

function describe(cert: ParsedCertificate, position: PathPosition): string {
  const name = formatName(cert.fields.subjectName) || '(empty subject)';
  if (position === 'leaf') return 'device certificate';
  return position === 'anchor' ? `registered CA "${name}"` : `intermediate CA certificate "${name}"`;
}

function isSelfIssued(cert: ParsedCertificate): boolean {
  return cert.fields.issuer.der.equals(cert.fields.subject.der);
}

/** signedBy, remembered: the same pair comes up again on every path through it. */
function verifies(search: Search, cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  let byIssuer = search.signatures.get(cert);
  if (!byIssuer) search.signatures.set(cert, (byIssuer = new Map()));
  let result = byIssuer.get(issuer);
  if (result === undefined) byIssuer.set(issuer, (result = signedBy(cert, issuer)));
  return result;
}

function extend(path: ParsedCertificate[], intermediates: ParsedCertificate[], anchors: ParsedCertificate[], search: Search): void {
  const current = path[path.length - 1]!;
  const who = describe(current, path.length === 1 ? 'leaf' : 'intermediate');
  const issuerName = current.fields.issuer.der;
  const note = (reason: string): void => {
    if (!search.stuck || path.length > search.stuck.depth) search.stuck = { depth: path.length, reason };
  };
  let named = false;
  for (const anchor of anchors) {
    if (!anchor.fields.subject.der.equals(issuerName)) continue;
    named = true;
    if (verifies(search, current, anchor)) search.complete.push([...path, anchor]);
    else note(`the signature of the ${who} does not verify under the key of registered CA "${formatName(anchor.fields.subjectName)}"`);
  }
  if (path.length + 1 >= MAX_PATH_LENGTH) {
    note(`no path of at most ${MAX_PATH_LENGTH} certificates reaches a registered CA`);
    return;
  }
  for (const candidate of intermediates) {
    if (!candidate.fields.subject.der.equals(issuerName) || path.some((c) => c.der.equals(candidate.der))) continue;
    named = true;
    search.tried += 1;
    if (search.tried > MAX_CANDIDATES) {
      search.stuck = {
        depth: Number.POSITIVE_INFINITY,
        reason: `the chain offers more than ${MAX_CANDIDATES} candidate issuers; give only the intermediates of this device certificate`,
      };
      return;
    }
    if (verifies(search, current, candidate)) extend([...path, candidate], intermediates, anchors, search);
    else note(`the signature of the ${who} does not verify under the key of intermediate CA certificate "${formatName(candidate.fields.subjectName)}"`);
  }
  if (!named) {
    const issuer = formatName(current.fields.issuerName) || '(empty issuer)';
    note(`no registered, verified and active CA${path.length === 1 ? ' or given intermediate' : ''} is the issuer "${issuer}" of the ${who}`);
  }
}

function positionOf(path: ParsedCertificate[], index: number): PathPosition {
  return index === 0 ? 'leaf' : index === path.length - 1 ? 'anchor' : 'intermediate';
}

/** The first problem of one certificate at `index` of a complete path. */
function certificateProblem(path: ParsedCertificate[], index: number, at: Date, purpose: Purpose): string | undefined {
  const cert = path[index]!;
  const position = positionOf(path, index);
  return (
    signatureAlgorithmsProblem(cert.fields) ??
    (index > 0 ? caConstraintsProblem(cert.fields, position === 'anchor') : undefined) ??
    profileProblem(cert.fields) ??
    deviceProfileProblem(cert, position) ??
    (index > 0 ? pathLengthProblem(path, index) : undefined) ??
    purposeProblem(cert, position, purpose) ??
    validityProblem(cert.fields, at)
  );
}

/** The first problem with a complete path leaf → … → anchor, or undefined when it is valid at `at` under `options`. */
function pathProblem(path: ParsedCertificate[], at: Date, options: PathOptions): { message: string; revoked?: boolean } | undefined {
  const who = (index: number): string => describe(path[index]!, positionOf(path, index));
  for (let i = 0; i < path.length; i += 1) {
    const problem = certificateProblem(path, i, at, options.purpose ?? 'any');
    if (problem) return { message: `${who(i)} ${problem}` };
  }
  const intermediates = path.slice(1, -1).filter((c) => !isSelfIssued(c)).length;
  if (options.maxIntermediates !== undefined && intermediates > options.maxIntermediates) {
    return {
      message: `the path has ${intermediates} intermediate CA certificate${intermediates === 1 ? '' : 's'}, more than the ${options.maxIntermediates} allowed`,
    };
  }
  const constraint = nameConstraintsProblem(path, who);
  if (constraint) return { message: constraint };
  const identity = options.identity && peerIdentityProblem(path[0]!, options.identity);
  if (identity) return { message: `${who(0)} ${identity}` };
  return options.crls ? revocationProblem(path, options.crls, at, who) : undefined;
}

/** pathLenConstraint counts the non-self-issued intermediates below a CA (RFC 5280 6.1.4 (l), (m)). */
function pathLengthProblem(path: ParsedCertificate[], index: number): string | undefined {
  const limit = basicConstraintsOf(path[index]!.fields)?.pathLength;
  if (limit === undefined) return undefined;
  const below = path.slice(1, index).filter((c) => !isSelfIssued(c)).length;
  return below > limit ? `allows ${limit} intermediate CA certificate${limit === 1 ? '' : 's'} below it (pathLenConstraint), the path has ${below}` : undefined;
}

/**
 * RFC 5280 section 6 basic path validation from `leaf` through `intermediates` (any
 * order, unused ones ignored) to one of `anchors` (the registered, verified, active
 * CAs) at time `at`: signatures (OpenSSL via node:crypto), validity inclusive in whole
 * seconds (anchors too), name chaining, basicConstraints cA and keyUsage keyCertSign
 * of every CA on the path, pathLenConstraint, name constraints, no duplicated,
 * malformed or unsupported critical extension, matching inner and outer signature
 * algorithms that are neither MD5 nor SHA-1, the device profile (device-profile.ts),
 * and what `options` ask for: purpose, identity, CRLs, number of intermediates.
 * Every candidate path is tried, so a path that breaks a rule does not hide one that
 * keeps them all.
 * @returns the path, leaf first and anchor last.
 * @throws VerificationError('revoked') when the first failing path has a revoked
 * certificate; VerificationError('verification_failed') with the reason otherwise.
 */
export function validatePath(
  leaf: ParsedCertificate,
  intermediates: ParsedCertificate[],
  anchors: ParsedCertificate[],
  at: Date,
  options: PathOptions = {},
): ParsedCertificate[] {
  const search: Search = { complete: [], tried: 0, signatures: new Map(), stuck: undefined };
  extend([leaf], intermediates, anchors, search);
  let firstProblem: { message: string; revoked?: boolean } | undefined;
  for (const path of search.complete) {
    const problem = pathProblem(path, at, options);
    if (!problem) return path;
    firstProblem ??= problem;
  }
  if (firstProblem?.revoked) throw new VerificationError('revoked', firstProblem.message, 'the issuer revoked this certificate: issue the device a new one');
  const reason = firstProblem?.message ?? search.stuck?.reason ?? 'no registered, verified and active CA';
  throw new VerificationError(
    'verification_failed',
    `device certificate does not validate: ${reason}`,
    firstProblem ? undefined : { kind: 'register_issuer_or_give_chain' },
  );
}
