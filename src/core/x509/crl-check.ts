/**
 * Revocation against the CRLs given with `--crl-path` (RFC 5280 6.3, complete CRLs
 * only). A CRL applies to a certificate when it names the certificate's issuer; it
 * must then be signed by that issuer's key, the issuer must be allowed to sign CRLs
 * (keyUsage cRLSign, when keyUsage is present), carry a non-critical cRLNumber, no
 * critical extension we do not honour (delta and partitioned CRLs are not
 * supported), and be current at the validation time. A certificate whose issuer has
 * no CRL among those given is not checked.
 */
import { verify } from 'node:crypto';
import { decodeKeyUsage, findExtension, KEY_USAGE, OID } from './extensions.js';
import { signatureAlgorithmProblem } from './algorithms.js';
import type { ParsedCrl } from './crl.js';
import type { ParsedCertificate } from './parse.js';
import { rfc3339 } from '../time.js';

const CRL_NUMBER = '2.5.29.20';

/** A revoked certificate on the path, or a CRL that cannot be used. */
export interface RevocationProblem {
  revoked: boolean;
  message: string;
}

/** node:crypto's digest for a signature algorithm name (null for Ed25519), or undefined when not supported for CRLs. */
function digestOf(name: string): string | null | undefined {
  if (name === 'Ed25519') return null;
  const match = /^(?:ecdsa-with-|sha)(SHA)?(\d{3})/i.exec(name);
  return match && !name.startsWith('RSASSA') ? `sha${match[2]}` : undefined;
}

function signatureProblem(crl: ParsedCrl, issuer: ParsedCertificate): string | undefined {
  if (!crl.signatureAlgorithm.der.equals(crl.tbsSignatureAlgorithm.der)) return 'has a signatureAlgorithm that differs from the one in its tbsCertList';
  const { name, problem } = signatureAlgorithmProblem(crl.signatureAlgorithm);
  if (problem) return problem;
  const digest = digestOf(name);
  if (digest === undefined) return `is signed with ${name}, which is not supported for CRLs`;
  try {
    return verify(digest, crl.tbs, issuer.x509.publicKey, crl.signature) ? undefined : "has a signature that does not verify under the issuer's key";
  } catch {
    return "has a signature that does not verify under the issuer's key";
  }
}

/** Why `crl` cannot vouch for certificates of `issuer` at `at`, phrased to follow the CRL's name. */
function crlProblem(crl: ParsedCrl, issuer: ParsedCertificate, issuerName: string, at: number): string | undefined {
  const usage = findExtension(issuer.fields.extensions, OID.keyUsage);
  if (usage && !decodeKeyUsage(usage.value).has(KEY_USAGE.cRLSign)) return `is issued by ${issuerName}, whose keyUsage lacks cRLSign`;
  const signature = signatureProblem(crl, issuer);
  if (signature) return signature;
  const number = crl.extensions.find((e) => e.oid === CRL_NUMBER);
  if (!number) return 'lacks a cRLNumber extension (RFC 5280 5.2.3)';
  if (number.critical) return 'has a cRLNumber extension marked critical (RFC 5280 5.2.3 requires non-critical)';
  const critical = crl.extensions.find((e) => e.critical && e.oid !== OID.authorityKeyIdentifier);
  if (critical) return `has an unsupported critical extension ${critical.oid} (delta and partitioned CRLs are not supported)`;
  const seconds = Math.floor(at / 1000) * 1000;
  if (crl.thisUpdate > seconds) return `is not valid until ${rfc3339(crl.thisUpdate)} (checked at ${rfc3339(seconds)})`;
  if (crl.nextUpdate === undefined) return 'has no nextUpdate, so whether it is current cannot be told';
  if (crl.nextUpdate < seconds) return `is out of date: its nextUpdate was ${rfc3339(crl.nextUpdate)} (checked at ${rfc3339(seconds)})`;
  return undefined;
}

/**
 * The first certificate on `path` (leaf first, anchor last) that a CRL of its
 * issuer lists, or the first applicable CRL that cannot be used, or undefined.
 * The anchor itself is trusted as registered and not checked.
 */
export function revocationProblem(
  path: ParsedCertificate[],
  crls: readonly ParsedCrl[],
  at: Date,
  describe: (index: number) => string,
): RevocationProblem | undefined {
  for (let i = 0; i < path.length - 1; i += 1) {
    const cert = path[i]!;
    for (const crl of crls.filter((c) => c.issuer.der.equals(cert.fields.issuer.der))) {
      const problem = crlProblem(crl, path[i + 1]!, describe(i + 1), at.getTime());
      if (problem) return { revoked: false, message: `${crl.label} ${problem}` };
      const entry = crl.revoked.get(cert.fields.serial.toString('hex'));
      if (entry?.criticalExtension)
        return { revoked: false, message: `${crl.label} lists ${describe(i)} with a critical entry extension, which is not supported` };
      if (entry) return { revoked: true, message: `${describe(i)} is revoked: ${crl.label} lists its serial number since ${rfc3339(entry.revokedAt)}` };
    }
  }
  return undefined;
}
