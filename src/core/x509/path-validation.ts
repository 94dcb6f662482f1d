/**
 * RFC 5280 section 6 basic path validation, for device certificates checked against
 * the registered CAs. Paths are built by name chaining and signature (with the
 * registered CAs preferred as issuers), then each candidate path is validated; the
 * first valid one is returned.
 */
import { VerificationError } from '../errors.js';
import { basicConstraintsOf, caConstraintsProblem, caKeyProblem, profileProblem, signatureAlgorithmsProblem, signedBy, validityProblem } from './certificate-checks.js';
import { formatName } from './names.js';
import type { ParsedCertificate } from './parse.js';

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

function describe(cert: ParsedCertificate, position: 'leaf' | 'intermediate' | 'anchor'): string {
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
      search.stuck = { depth: Number.POSITIVE_INFINITY, reason: `the chain offers more than ${MAX_CANDIDATES} candidate issuers; give only the intermediates of this device certificate` };
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

/** The first problem with a complete path leaf → … → anchor, or undefined when it is valid at `at`. */
function pathProblem(path: ParsedCertificate[], at: Date): string | undefined {
  const last = path.length - 1;
  for (let i = 0; i <= last; i += 1) {
    const cert = path[i]!;
    const who = describe(cert, i === 0 ? 'leaf' : i === last ? 'anchor' : 'intermediate');
    const problem =
      signatureAlgorithmsProblem(cert.fields) ??
      (i > 0 ? caConstraintsProblem(cert.fields, false) : undefined) ??
      profileProblem(cert.fields) ??
      (i > 0 ? caKeyProblem(cert) ?? pathLengthProblem(path, i) : undefined) ??
      validityProblem(cert.fields, at);
    if (problem) return `${who} ${problem}`;
  }
  return undefined;
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
 * of every CA on the path, pathLenConstraint, no duplicated, malformed or
 * unsupported critical extension, matching inner and outer signature algorithms
 * that are neither MD5 nor SHA-1.
 * @returns the path, leaf first and anchor last.
 * @throws VerificationError('verification_failed') with the reason.
 */
export function validatePath(leaf: ParsedCertificate, intermediates: ParsedCertificate[], anchors: ParsedCertificate[], at: Date): ParsedCertificate[] {
  const search: Search = { complete: [], tried: 0, signatures: new Map(), stuck: undefined };
  extend([leaf], intermediates, anchors, search);
  let firstProblem: string | undefined;
  for (const path of search.complete) {
    const problem = pathProblem(path, at);
    if (!problem) return path;
    firstProblem ??= problem;
  }
  const reason = firstProblem ?? search.stuck?.reason ?? 'no registered, verified and active CA';
  throw new VerificationError('verification_failed', `device certificate does not validate: ${reason}`, firstProblem ? undefined : 'register the CA that issued it, or pass the intermediate certificates with --chain-path');
}
