/**
 * Private keys: the signer keys `x509 create` reads (every form `openssl` writes) and
 * the new key pairs it makes.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { UsageError } from '../errors.js';
import { checkKeyEncryptionCost } from './key-encryption-cost.js';

/** The key types `x509 create` and `x509 csr` make. */
export const KEY_TYPES = ['ec-p256', 'ec-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
/** One of KEY_TYPES. */
export type KeyType = (typeof KEY_TYPES)[number];

/** A new key pair of `type`, from OpenSSL's CSPRNG. */
export function generateKeyPair(type: KeyType): { privateKey: KeyObject; publicKey: KeyObject } {
  const [kind, size] = type.split('-') as ['ec' | 'rsa', string];
  if (kind === 'rsa') return generateKeyPairSync('rsa', { modulusLength: Number(size) });
  return generateKeyPairSync('ec', { namedCurve: size === 'p384' ? 'secp384r1' : 'prime256v1' });
}

/** PKCS#8 PEM, as `openssl genpkey` writes it. */
export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const DER_TYPES = ['pkcs8', 'sec1', 'pkcs1'] as const;

/** True for a PEM private key that needs a passphrase (encrypted PKCS#8 or legacy `Proc-Type: 4,ENCRYPTED`). */
export function isEncryptedPem(bytes: Buffer | string): boolean {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  return text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type: 4,ENCRYPTED/.test(text);
}

/**
 * Reads a private key as `openssl` writes them: PKCS#8 (plain or encrypted), SEC1
 * `EC PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`, PEM or DER, and checks it can sign
 * certificates (RSA, EC on P-256/P-384/P-521, or Ed25519).
 * @throws UsageError naming `label` when it is not such a key, is encrypted and no
 * `passphrase` was given, asks for more key-derivation work than
 * `checkKeyEncryptionCost` allows, or the passphrase is wrong.
 */
export function readPrivateKey(bytes: Buffer, label: string, passphrase?: string): KeyObject {
  const text = bytes.toString('latin1');
  const pem = text.includes('-----BEGIN ');
  if (pem && !/-----BEGIN (ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.test(text)) {
    throw new UsageError(`${label} is not a private key`, 'give the PEM or DER private key file, as openssl genpkey or openssl req -newkey writes it');
  }
  const encrypted = pem ? isEncryptedPem(text) : isEncryptedDer(bytes);
  if (encrypted && passphrase === undefined) throw encryptedWithoutPassphrase(label);
  checkKeyEncryptionCost(pem ? encryptedPkcs8Der(text) : bytes, label);
  let key: KeyObject | undefined;
  try {
    key = pem ? createPrivateKey({ key: text, format: 'pem', passphrase }) : tryDer(bytes, passphrase);
  } catch {
    key = undefined;
  }
  // A wrong passphrase mostly fails the padding check ("bad decrypt"), but about one
  // time in 256 the padding passes and the garbage fails to parse instead: for an
  // encrypted key, both mean the passphrase is wrong.
  if (!key && encrypted) throw new UsageError(`wrong passphrase for ${label}`);
  if (!key) throw new UsageError(`${label} is not a private key OpenSSL can read`, 'expected PKCS#8 (plain or encrypted), SEC1 or PKCS#1, PEM or DER');
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const usable =
    type === 'rsa'
      ? (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048
      : type === 'ec'
        ? ['prime256v1', 'secp384r1', 'secp521r1'].includes(curve ?? '')
        : type === 'ed25519';
  if (!usable) {
    const what = type === 'rsa' ? `${key.asymmetricKeyDetails?.modulusLength ?? 0}-bit RSA` : type === 'ec' ? `EC ${curve ?? 'unknown curve'}` : String(type);
    throw new UsageError(`${label} holds an unsupported key (${what})`, 'use an RSA (2048 bits or more), EC P-256/P-384/P-521 or Ed25519 key');
  }
  return key;
}

/** The DER inside an `ENCRYPTED PRIVATE KEY` PEM block, or nothing. */
function encryptedPkcs8Der(text: string): Buffer {
  const body = /-----BEGIN ENCRYPTED PRIVATE KEY-----([^-]*)-----END ENCRYPTED PRIVATE KEY-----/.exec(text)?.[1];
  return body === undefined ? Buffer.alloc(0) : Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

function encryptedWithoutPassphrase(label: string): UsageError {
  return new UsageError(`${label} is encrypted and no passphrase was given`, { kind: 'give_key_passphrase' });
}

/** True for a DER encrypted PKCS#8 key: OpenSSL asks for its passphrase. */
function isEncryptedDer(bytes: Buffer): boolean {
  try {
    createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE';
  }
}

/** DER carries no label, so try each form. */
function tryDer(bytes: Buffer, passphrase: string | undefined): KeyObject | undefined {
  for (const type of DER_TYPES) {
    try {
      return createPrivateKey({ key: bytes, format: 'der', type, passphrase });
    } catch {
      // Not this form: try the next.
    }
  }
  return undefined;
}

/** True when `privateKey` is the private half of `publicKey`. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return derived.equals(publicKey.export({ type: 'spki', format: 'der' }));
}
