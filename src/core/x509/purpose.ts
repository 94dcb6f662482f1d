/**
 * What the device certificate is checked to be good for (its purpose): the
 * extendedKeyUsage of the leaf and, where present, of every CA on the path
 * (RFC 5280 4.2.1.12; CAs as OpenSSL and Go read it).
 */
import { UsageError } from '../errors.js';
import { decodeOid, readSingle, sequence } from './der-reader.js';
import { findExtension, OID } from './extensions.js';
import type { ParsedCertificate } from './parse.js';
import type { PathPosition } from './device-profile.js';

/** `client-auth` (TLS client, as devices are), `server-auth`, or `any` (no extendedKeyUsage check). */
export type Purpose = 'client-auth' | 'server-auth' | 'any';

/** Every purpose, in the order help and errors list them. */
export const PURPOSES: readonly Purpose[] = ['client-auth', 'server-auth', 'any'];

/** The purpose `text` names (surrounding whitespace ignored), or undefined. */
export function purposeNamed(text: string): Purpose | undefined {
  return PURPOSES.find((p) => p === text.trim());
}

/**
 * Parses a purpose's name.
 * @throws UsageError naming the accepted values.
 */
export function parsePurpose(text: string): Purpose {
  const purpose = purposeNamed(text);
  if (!purpose) throw new UsageError(`unknown purpose "${text}": expected one of ${PURPOSES.join(', ')}`, 'devices authenticate as TLS clients: client-auth');
  return purpose;
}

const PURPOSE_OIDS: Record<Exclude<Purpose, 'any'>, { oid: string; name: string }> = {
  'server-auth': { oid: '1.3.6.1.5.5.7.3.1', name: 'serverAuth' },
  'client-auth': { oid: '1.3.6.1.5.5.7.3.2', name: 'clientAuth' },
};

const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/**
 * Why `cert` at `position` may not serve `purpose`, phrased to follow the
 * certificate's name, or undefined. A certificate without extendedKeyUsage is not
 * limited. anyExtendedKeyUsage satisfies a CA's list but not a leaf's: a leaf that
 * names no purpose was not issued for this one.
 */
export function purposeProblem(cert: ParsedCertificate, position: PathPosition, purpose: Purpose): string | undefined {
  if (purpose === 'any') return undefined;
  const extension = findExtension(cert.fields.extensions, OID.extKeyUsage);
  if (!extension) return undefined;
  const usages = sequence(readSingle(extension.value), 'extKeyUsage').map((tlv) => decodeOid(tlv, 'key purpose'));
  const wanted = PURPOSE_OIDS[purpose];
  if (usages.includes(wanted.oid) || (position !== 'leaf' && usages.includes(ANY_EXTENDED_KEY_USAGE))) return undefined;
  return `has an extendedKeyUsage without ${wanted.name} (checked for the purpose ${purpose})`;
}
