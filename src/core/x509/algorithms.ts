/**
 * Which signature algorithms and public keys are acceptable. Signatures themselves
 * are always verified by OpenSSL through `node:crypto`; this only decides what is
 * allowed to be verified at all.
 */
import type { KeyObject } from 'node:crypto';
import { decodeOid, readSingle, sequence, TAG, type Tlv } from './der-reader.js';

interface SignatureAlgorithm {
  name: string;
  /** Weak digests (MD2/MD4/MD5/SHA-1) are named so the error can say which. */
  weak?: boolean;
}

const SIGNATURE_ALGORITHMS: Record<string, SignatureAlgorithm> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.3': { name: 'md4WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', weak: true },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', weak: true },
  '1.3.14.3.2.29': { name: 'sha1WithRSASignature', weak: true },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', weak: true },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', weak: true },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512' },
  '1.3.101.112': { name: 'Ed25519' },
};

const PSS_WEAK_HASHES = new Set(['1.3.14.3.2.26', '1.2.840.113549.2.5']);

/** The signature algorithm's name, or a reason it is not acceptable. */
export function signatureAlgorithmProblem(algorithm: Tlv): { name: string; problem?: string } {
  const [id, params] = sequence(algorithm, 'signature algorithm');
  const dotted = decodeOid(id, 'signature algorithm');
  const known = SIGNATURE_ALGORITHMS[dotted];
  if (!known) return { name: dotted, problem: `uses an unsupported signature algorithm (${dotted})` };
  if (known.weak) return { name: known.name, problem: `is signed with ${known.name}: MD5 and SHA-1 signatures are not accepted` };
  if (known.name === 'RSASSA-PSS') {
    // RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1.
    const fields = params ? sequence(params, 'RSASSA-PSS parameters') : [];
    const hash = fields.find((f) => f.tag === 0xa0);
    const hashOid = hash ? decodeOid(sequence(readSingle(hash.value), 'PSS hash algorithm')[0], 'PSS hash algorithm') : '1.3.14.3.2.26';
    if (PSS_WEAK_HASHES.has(hashOid)) return { name: known.name, problem: 'is signed with RSASSA-PSS over SHA-1: MD5 and SHA-1 signatures are not accepted' };
  }
  return { name: known.name };
}

const NAMED_CURVES: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

/**
 * Why `key` (with its SubjectPublicKeyInfo `spki`) may not sign certificates, or
 * undefined when it may: RSA of at least 2048 bits and a multiple of 8, EC on a named P-256, P-384 or
 * P-521 curve, or Ed25519.
 */
export function signingKeyProblem(key: KeyObject, spki: Tlv): string | undefined {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) return `has a ${bits}-bit RSA key: at least 2048 bits are required`;
    return bits % 8 === 0 ? undefined : `has a ${bits}-bit RSA key: the size must be a multiple of 8 bits`;
  }
  if (type === 'ec') {
    // Node reports a curve name even for explicit parameters, so read the SPKI itself.
    const [algorithm] = sequence(spki, 'subject public key info');
    const [, params] = sequence(algorithm, 'public key algorithm');
    if (!params || params.tag !== TAG.OID) return 'has an EC key with explicit curve parameters: only named curves P-256, P-384 and P-521 are accepted';
    const curve = NAMED_CURVES[decodeOid(params)];
    return curve ? undefined : `has an EC key on an unsupported curve (${decodeOid(params)}): only P-256, P-384 and P-521 are accepted`;
  }
  if (type === 'ed25519') return undefined;
  return `has an unsupported ${type ?? 'unknown'} key: only RSA (2048 bits or more), EC P-256/P-384/P-521 and Ed25519 are accepted`;
}
