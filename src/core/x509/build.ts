/**
 * Building certificates and CSRs field by field with the DER writer, signed by
 * OpenSSL through `node:crypto`. Every date and serial is passed in by the caller
 * (from the injected clock and random source), never taken from the system.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { decodeBitString, readSingle, sequence } from './der-reader.js';
import { bitString, boolean, explicit, nullValue, octetString, oid, seq, set, smallInteger, time, tlv, unsignedInteger, utf8String } from './der-writer.js';
import { OID } from './extensions.js';
import { OID_COMMON_NAME } from './names.js';

/** An extension to write: its OID, criticality and the DER of its value. */
export interface ExtensionSpec {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** Everything in a tbsCertificate. */
export interface TbsSpec {
  /** 1 (no extensions, as `openssl x509 -req` makes) or 3. */
  version: 1 | 3;
  /** The serial's unsigned big-endian bytes. */
  serial: Uint8Array;
  issuer: Buffer;
  subject: Buffer;
  notBefore: number;
  notAfter: number;
  /** The subject's SubjectPublicKeyInfo DER. */
  subjectPublicKeyInfo: Buffer;
  extensions: ExtensionSpec[];
}

/** The digests certificates are signed with here. */
export type Hash = 'sha256' | 'sha384' | 'sha512';

/** A signature algorithm: its AlgorithmIdentifier DER and the digest `crypto.sign` takes. */
export interface SigningAlgorithm {
  identifier: Buffer;
  digest: string | null;
}

const RSA_OIDS: Record<string, string> = {
  sha1: '1.2.840.113549.1.1.5',
  md5: '1.2.840.113549.1.1.4',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_OIDS: Record<string, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
const CURVE_HASH: Record<string, Hash> = { prime256v1: 'sha256', secp384r1: 'sha384', secp521r1: 'sha512' };

/**
 * The signature algorithm for `key`: SHA-256 with RSA, ECDSA with the hash that
 * matches the curve, or Ed25519. `hash` overrides the digest (tests use it to make
 * SHA-1 and MD5 certificates).
 * @throws Error for a key type that cannot sign certificates here (a programming error:
 * keys are checked when read).
 */
export function signingAlgorithmFor(key: KeyObject, hash?: Hash | 'sha1' | 'md5'): SigningAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const digest = hash ?? 'sha256';
      return { identifier: seq(oid(RSA_OIDS[digest]!), nullValue()), digest };
    }
    case 'ec': {
      const digest = hash ?? CURVE_HASH[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'sha256';
      return { identifier: seq(oid(ECDSA_OIDS[digest]!)), digest };
    }
    case 'ed25519':
      return { identifier: seq(oid('1.3.101.112')), digest: null };
    case 'ed448':
      return { identifier: seq(oid('1.3.101.113')), digest: null };
    default:
      throw new Error(`cannot sign with a ${key.asymmetricKeyType} key`);
  }
}

/** A Name with one CN attribute (UTF8String), as `-subj "/CN=…"` makes. */
export function commonNameDer(commonName: string): Buffer {
  return seq(set(seq(oid(OID_COMMON_NAME), utf8String(commonName))));
}

/** The DER of the tbsCertificate for `spec`, signed with `algorithm`. */
export function encodeTbsCertificate(spec: TbsSpec, algorithm: Buffer): Buffer {
  const extensions = spec.extensions.map((e) => seq(oid(e.oid), ...(e.critical ? [boolean(true)] : []), octetString(e.value)));
  return seq(
    ...(spec.version === 3 ? [explicit(0, smallInteger(2))] : []),
    unsignedInteger(spec.serial),
    algorithm,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.subjectPublicKeyInfo,
    ...(spec.version === 3 && extensions.length > 0 ? [explicit(3, seq(...extensions))] : []),
  );
}

/** Signs `tbs` (a tbsCertificate or certificationRequestInfo) and wraps it with its algorithm and signature. */
export function signStructure(tbs: Buffer, algorithm: SigningAlgorithm, key: KeyObject): Buffer {
  return seq(tbs, algorithm.identifier, bitString(sign(algorithm.digest, tbs, key)));
}

/** A signed certificate. */
export function buildCertificate(spec: TbsSpec, issuerKey: KeyObject, algorithm = signingAlgorithmFor(issuerKey)): Buffer {
  return signStructure(encodeTbsCertificate(spec, algorithm.identifier), algorithm, issuerKey);
}

/** A PKCS#10 certificate signing request for `subject`, signed by `key` (whose public half it carries). */
export function buildCsr(subject: Buffer, key: KeyObject, publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const info = seq(smallInteger(0), subject, spki, tlv(0xa0));
  return signStructure(info, signingAlgorithmFor(key), key);
}

/** The SHA-1 key identifier of RFC 5280 4.2.1.2 method (1): the hash of the subjectPublicKey bits. */
export function keyIdentifier(subjectPublicKeyInfo: Buffer): Buffer {
  const [, subjectPublicKey] = sequence(readSingle(subjectPublicKeyInfo), 'subject public key info');
  return createHash('sha1').update(decodeBitString(subjectPublicKey, 'subject public key').bytes).digest();
}

/** Extension encoders for the profiles `x509 create` writes. */
export const extension = {
  basicConstraints(ca: boolean, pathLength?: number): ExtensionSpec {
    return {
      oid: OID.basicConstraints,
      critical: true,
      value: seq(...(ca ? [boolean(true)] : []), ...(pathLength === undefined ? [] : [smallInteger(pathLength)])),
    };
  },
  /** `bits` are KeyUsage bit positions (see KEY_USAGE). */
  keyUsage(bits: readonly number[], critical = true): ExtensionSpec {
    if (bits.length === 0) return { oid: OID.keyUsage, critical, value: bitString(Buffer.alloc(0)) };
    const bytes = Buffer.alloc(2);
    for (const bit of bits) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
    const used = bytes[1] === 0 ? bytes.subarray(0, 1) : bytes;
    const last = used[used.length - 1]!;
    let unused = 0;
    while (unused < 7 && (last & (1 << unused)) === 0) unused += 1;
    return { oid: OID.keyUsage, critical, value: bitString(used, unused) };
  },
  subjectKeyIdentifier(subjectPublicKeyInfo: Buffer): ExtensionSpec {
    return { oid: OID.subjectKeyIdentifier, critical: false, value: octetString(keyIdentifier(subjectPublicKeyInfo)) };
  },
  authorityKeyIdentifier(keyId: Buffer): ExtensionSpec {
    return { oid: OID.authorityKeyIdentifier, critical: false, value: seq(tlv(0x80, keyId)) };
  },
};
