/**
 * Certificate revocation lists for tests, signed by a mini CA (mini-ca.ts): v2, with
 * a cRLNumber unless told otherwise, current around the default test clock.
 */
import { signingAlgorithmFor, signStructure } from '../../src/core/x509/build.js';
import { boolean, explicit, oid, octetString, seq, smallInteger, time, unsignedInteger } from '../../src/core/x509/der-writer.js';
import { DEFAULT_NOT_AFTER, DEFAULT_NOT_BEFORE, toPem, type TestCertificate } from './mini-ca.js';

export interface CrlOptions {
  /** Serial numbers (unsigned bytes) listed as revoked. */
  revoked?: Uint8Array[];
  thisUpdate?: number;
  nextUpdate?: number;
  /** The cRLNumber extension: present (default), missing, or marked critical. */
  crlNumber?: 'present' | 'missing' | 'critical';
}

/** The CRL's DER, signed with `issuer`'s key. */
export function crlDer(issuer: TestCertificate, options: CrlOptions = {}): Buffer {
  const algorithm = signingAlgorithmFor(issuer.key.privateKey);
  const revoked = (options.revoked ?? []).map((serial) => seq(unsignedInteger(serial), time(DEFAULT_NOT_BEFORE)));
  const number = options.crlNumber ?? 'present';
  const extensions = number === 'missing' ? [] : [seq(oid('2.5.29.20'), ...(number === 'critical' ? [boolean(true)] : []), octetString(smallInteger(1)))];
  const tbs = seq(
    smallInteger(1),
    algorithm.identifier,
    issuer.subject,
    time(options.thisUpdate ?? DEFAULT_NOT_BEFORE),
    time(options.nextUpdate ?? DEFAULT_NOT_AFTER),
    ...(revoked.length > 0 ? [seq(...revoked)] : []),
    ...(extensions.length > 0 ? [explicit(0, seq(...extensions))] : []),
  );
  return signStructure(tbs, algorithm, issuer.key.privateKey);
}

/** The same, PEM (`X509 CRL`). */
export function crlPem(issuer: TestCertificate, options: CrlOptions = {}): string {
  return toPem(crlDer(issuer, options), 'X509 CRL');
}
