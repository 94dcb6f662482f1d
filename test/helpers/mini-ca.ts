/**
 * A small certificate authority for tests: keys, CAs, intermediates, leaves and
 * deliberately broken certificates, all made at test time from fixed dates so nothing
 * in the suite ever expires.
 *
 * Certificates are written field by field with the project's DER writer and signed by
 * OpenSSL (`node:crypto`), not with @peculiar/x509: tests need shapes no high-level
 * builder makes (v1 certificates, duplicated or unknown critical extensions,
 * mismatched signature algorithms, re-encoded signatures). `test/unit/x509/mini-ca.test.ts`
 * checks that `openssl` and @peculiar/x509 read what it makes.
 *
 * Typical use:
 * ```ts
 * const root = selfSignedCa({ subject: 'Test Root', key: testKey('ec-p256') });
 * const leaf = leafCertificate(root, { subject: code });
 * const v1 = v1Certificate(root, { subject: code });           // openssl x509 -req
 * const broken = certificate({ ...caSpec, extensions: [ext.unknown(true)] });
 * const bad = reencodeSignature(leaf, 'extra-leading-zero-r');
 * ```
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { buildCertificate, extension, keyIdentifier, signingAlgorithmFor, type ExtensionSpec, type Hash } from '../../src/core/x509/build.js';
import { children, readSingle, readTlv, sequence, type Tlv } from '../../src/core/x509/der-reader.js';
import { bitString, oid, printableString, seq, set, tlv, utf8String } from '../../src/core/x509/der-writer.js';
import { KEY_USAGE, OID } from '../../src/core/x509/extensions.js';
import { OID_COMMON_NAME } from '../../src/core/x509/names.js';
import { parseCertificate, type ParsedCertificate } from '../../src/core/x509/parse.js';

/** Key types the mini CA makes; the weak ones exist to be refused. */
export type TestKeyType = 'rsa-1024' | 'rsa-2048' | 'rsa-4096' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ec-secp256k1' | 'ed25519' | 'ed448';

export interface TestKey {
  type: TestKeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SubjectPublicKeyInfo DER. */
  spki: Buffer;
}

const keyCache = new Map<TestKeyType, TestKey>();

/** A fresh key pair of `type`. */
export function newTestKey(type: TestKeyType): TestKey {
  const [kind, size] = type.split('-') as [string, string | undefined];
  const curves: Record<string, string> = { p256: 'prime256v1', p384: 'secp384r1', p521: 'secp521r1', secp256k1: 'secp256k1' };
  const pair =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: Number(size) })
      : kind === 'ec'
        ? generateKeyPairSync('ec', { namedCurve: curves[size!]! })
        : type === 'ed448'
          ? generateKeyPairSync('ed448')
          : generateKeyPairSync('ed25519');
  return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, spki: pair.publicKey.export({ type: 'spki', format: 'der' }) };
}

/** A key pair of `type`, shared within the test file (RSA 4096 generation is slow). */
export function testKey(type: TestKeyType = 'ec-p256'): TestKey {
  let key = keyCache.get(type);
  if (!key) keyCache.set(type, (key = newTestKey(type)));
  return key;
}

/** A certificate the mini CA made, with its key. */
export interface TestCertificate {
  der: Buffer;
  pem: string;
  key: TestKey;
  /** The subject Name DER (what children put in their issuer field). */
  subject: Buffer;
  /** The subject key identifier written in it (children's AKI). */
  keyId: Buffer;
  /** Parsed by the code under test (on first use). */
  readonly parsed: ParsedCertificate;
}

/** The fixed times certificates default to: a year around the default test clock (2025-01-01). */
export const DEFAULT_NOT_BEFORE = Date.parse('2024-06-01T00:00:00Z');
export const DEFAULT_NOT_AFTER = Date.parse('2026-06-01T00:00:00Z');

/** A Name DER: `"Some CN"` (one UTF8String CN), or RDN pairs `[['2.5.4.10', 'Org'], ['2.5.4.3', 'CN']]`, or an empty name with `[]`. */
export function name(spec: string | ReadonlyArray<readonly [string, string]>): Buffer {
  if (typeof spec === 'string') return seq(set(seq(oid(OID_COMMON_NAME), utf8String(spec))));
  return seq(...spec.map(([type, value]) => set(seq(oid(type), type === '2.5.4.6' ? printableString(value) : utf8String(value)))));
}

/** Extension builders, including the ones that should be refused. */
export const ext = {
  ...extension,
  basicConstraints: (ca: boolean, options: { pathLength?: number; critical?: boolean } = {}): ExtensionSpec => ({
    ...extension.basicConstraints(ca, options.pathLength),
    critical: options.critical ?? true,
  }),
  /** An extension no implementation recognises (limbo's 1.3.6.1.4.1.55738.666.1). */
  unknown: (critical: boolean): ExtensionSpec => ({ oid: '1.3.6.1.4.1.55738.666.1', critical, value: seq() }),
  subjectAltNameDns: (dns: string, critical = false): ExtensionSpec => ({ oid: OID.subjectAltName, critical, value: seq(tlv(0x82, Buffer.from(dns))) }),
  raw: (oidText: string, value: Buffer, critical = false): ExtensionSpec => ({ oid: oidText, critical, value }),
};

export interface CertificateOptions {
  /** Subject name: a CN string or a Name DER (see `name`). */
  subject?: string | Buffer;
  /** The subject's key; default a shared P-256 key. */
  key?: TestKey;
  /** Who signs: a CA made here. Omitted: self-signed. */
  issuer?: TestCertificate;
  /** Override the issuer Name written in the certificate. */
  issuerName?: Buffer;
  serial?: Uint8Array;
  notBefore?: number | string;
  notAfter?: number | string;
  /** 1: no extensions, as `openssl x509 -req` makes. Default 3. */
  version?: 1 | 3;
  /** Replaces the profile's default extensions. */
  extensions?: ExtensionSpec[];
  /** Digest to sign with (sha1 and md5 exist to be refused). */
  hash?: Hash | 'sha1' | 'md5';
  /** An AlgorithmIdentifier DER written as the outer signatureAlgorithm instead of the real one. */
  outerAlgorithm?: Buffer;
}

let serialCounter = 1;
const toMs = (t: number | string | undefined, fallback: number): number => (t === undefined ? fallback : typeof t === 'number' ? t : Date.parse(t));

/** A certificate exactly as `options` say (extensions default to none). */
export function certificate(options: CertificateOptions): TestCertificate {
  const key = options.key ?? testKey('ec-p256');
  const subject = typeof options.subject === 'string' ? name(options.subject) : (options.subject ?? name('Mini CA Test'));
  const signer = options.issuer?.key ?? key;
  const algorithm = signingAlgorithmFor(signer.privateKey, options.hash);
  let der = buildCertificate(
    {
      version: options.version ?? 3,
      serial: options.serial ?? Buffer.from([0x10, serialCounter++]),
      issuer: options.issuerName ?? options.issuer?.subject ?? subject,
      subject,
      notBefore: toMs(options.notBefore, DEFAULT_NOT_BEFORE),
      notAfter: toMs(options.notAfter, DEFAULT_NOT_AFTER),
      subjectPublicKeyInfo: key.spki,
      extensions: options.extensions ?? [],
    },
    signer.privateKey,
    algorithm,
  );
  if (options.outerAlgorithm) {
    const [tbs, , signature] = sequence(readSingle(der), 'certificate');
    der = seq(tbs!.der, options.outerAlgorithm, signature!.der);
  }
  return wrap(der, key, subject, keyIdentifier(key.spki));
}

function wrap(der: Buffer, key: TestKey, subject: Buffer, keyId: Buffer): TestCertificate {
  let parsed: ParsedCertificate | undefined;
  return {
    der,
    pem: toPem(der),
    key,
    subject,
    keyId,
    // Parsed on first use, so tests can also make certificates the parser refuses.
    get parsed() {
      parsed ??= parseCertificate(der, 'test certificate');
      return parsed;
    },
  };
}

/** The extensions `openssl req -x509` gives a CA: critical cA=TRUE, keyCertSign and cRLSign, SKI, AKI. */
export function caExtensions(key: TestKey, issuer?: TestCertificate, pathLength?: number): ExtensionSpec[] {
  return [
    ext.basicConstraints(true, { pathLength }),
    ext.keyUsage([KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign]),
    ext.subjectKeyIdentifier(key.spki),
    ext.authorityKeyIdentifier(issuer?.keyId ?? keyIdentifier(key.spki)),
  ];
}

/** A self-signed root CA with the usual CA extensions. */
export function selfSignedCa(options: Omit<CertificateOptions, 'issuer'> & { pathLength?: number } = {}): TestCertificate {
  const key = options.key ?? testKey('ec-p256');
  return certificate({ subject: 'Mini Root CA', ...options, key, extensions: options.extensions ?? caExtensions(key, undefined, options.pathLength) });
}

/** An intermediate CA signed by `issuer`. */
export function intermediateCa(issuer: TestCertificate, options: Omit<CertificateOptions, 'issuer'> & { pathLength?: number } = {}): TestCertificate {
  const key = options.key ?? newTestKey('ec-p256');
  return certificate({
    subject: 'Mini Intermediate CA',
    ...options,
    key,
    issuer,
    extensions: options.extensions ?? caExtensions(key, issuer, options.pathLength),
  });
}

/** An end-entity (device or verification) certificate signed by `issuer`: v3, cA=FALSE, digitalSignature. */
export function leafCertificate(issuer: TestCertificate, options: Omit<CertificateOptions, 'issuer'> = {}): TestCertificate {
  const key = options.key ?? testKey('ec-p256');
  return certificate({
    subject: 'mini-device',
    ...options,
    key,
    issuer,
    extensions: options.extensions ?? [
      ext.basicConstraints(false),
      ext.keyUsage([KEY_USAGE.digitalSignature]),
      ext.subjectKeyIdentifier(key.spki),
      ext.authorityKeyIdentifier(issuer.keyId),
    ],
  });
}

/** What `openssl x509 -req -CA ca.pem -CAkey ca.key` makes from a CSR: a v1 certificate without extensions. */
export function v1Certificate(issuer: TestCertificate, options: Omit<CertificateOptions, 'issuer' | 'version' | 'extensions'> = {}): TestCertificate {
  return certificate({ subject: 'mini-verification', ...options, issuer, version: 1 });
}

/** Ways to re-encode a certificate's signature that must all be refused. */
export type SignatureMangling =
  /** The ECDSA-Sig-Value SEQUENCE's length in long form (0x81 NN) where short form is required. */
  | 'non-minimal-length'
  /** An extra 0x00 before r (the INTEGER is no longer minimal). */
  | 'extra-leading-zero-r'
  /** An extra 0x00 before s. */
  | 'extra-leading-zero-s'
  /** Bytes after the ECDSA-Sig-Value inside the BIT STRING. */
  | 'trailing-bytes'
  /** Bytes after the RSA or Ed25519 signature value. */
  | 'appended-byte';

function integerWithExtraZero(integer: Tlv): Buffer {
  return tlv(0x02, Buffer.from([0]), integer.value);
}

/**
 * The certificate with its signature re-encoded as `how` says; the tbsCertificate is
 * untouched, so only a strict signature check notices. ECDSA manglings need an EC
 * issuer.
 */
export function reencodeSignature(cert: TestCertificate | Buffer, how: SignatureMangling): Buffer {
  const der = Buffer.isBuffer(cert) ? cert : cert.der;
  const [tbs, algorithm, signatureValue] = sequence(readSingle(der), 'certificate');
  const signature = signatureValue!.value.subarray(1);
  let mangled: Buffer;
  if (how === 'appended-byte') {
    mangled = Buffer.concat([signature, Buffer.from([0])]);
  } else {
    const ecdsa = readTlv(signature, 0);
    const [r, s] = children(ecdsa);
    if (how === 'non-minimal-length') mangled = Buffer.concat([Buffer.from([0x30, 0x81, ecdsa.value.length]), ecdsa.value]);
    else if (how === 'extra-leading-zero-r') mangled = seq(integerWithExtraZero(r!), s!.der);
    else if (how === 'extra-leading-zero-s') mangled = seq(r!.der, integerWithExtraZero(s!));
    else mangled = Buffer.concat([signature, Buffer.from([0x00, 0x00])]);
  }
  return seq(tbs!.der, algorithm!.der, bitString(mangled));
}

/** PEM text for DER bytes with `label`. */
export function toPem(der: Buffer, label = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
