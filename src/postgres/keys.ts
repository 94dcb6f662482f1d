/**
 * The keys of a PostgreSQL store. PostgreSQL keeps everything in clear on its disks
 * and in its WAL, so the adapter encrypts every sensitive column itself, under keys
 * derived from the same key sources as the SQLite store:
 *
 * - a key file's 32 bytes are the input keying material as they are;
 * - a passphrase goes through scrypt (N = 2^17, r = 8, p = 1: 128 MiB, OWASP's
 *   recommendation) with a random 16-byte salt;
 *
 * and HKDF-SHA256 (salted with the store's salt) derives three independent subkeys
 * from that: one for AES-256-GCM, one for the blind indexes (HMAC-SHA256), one for
 * the key-check value. The salt and the KDF's parameters are stored in clear in the
 * `settings` table: they are not secret, and opening needs them before any key exists.
 */
import { createHmac, hkdfSync, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { StoreKey } from '../core/records.js';

/** How the keys were derived, as the `settings` table keeps it (JSON). */
export interface KdfSettings {
  mode: StoreKey['mode'];
  kdf: 'hkdf-sha256' | 'scrypt';
  /** Hex. */
  salt: string;
  /** scrypt's cost parameters; absent for a key file. */
  N?: number;
  r?: number;
  p?: number;
}

/** The subkeys a store works with. */
export interface DerivedKeys {
  encryption: Buffer;
  index: Buffer;
  /** Hex of the value the `settings` table keeps to prove a key before anything is written. */
  check: string;
}

const SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;
const KEY_CHECK_INPUT = 'vericode postgres key check v1';

/** New settings for `key`, with a fresh salt. */
export function newKdfSettings(key: StoreKey): KdfSettings {
  const salt = randomBytes(16).toString('hex');
  return key.mode === 'key-file' ? { mode: 'key-file', kdf: 'hkdf-sha256', salt } : { mode: 'passphrase', kdf: 'scrypt', salt, ...SCRYPT };
}

/**
 * The subkeys of `key` under `settings`; undefined when the key is of the other kind
 * than the store was made with (which is a wrong key, too).
 */
export async function deriveKeys(key: StoreKey, settings: KdfSettings): Promise<DerivedKeys | undefined> {
  if (key.mode !== settings.mode) return undefined;
  const salt = Buffer.from(settings.salt, 'hex');
  const material = key.mode === 'key-file' ? Buffer.from(key.key) : await scryptOf(passphraseBytes(key.passphrase), salt, settings);
  const subkey = (purpose: string): Buffer => Buffer.from(hkdfSync('sha256', material, salt, `vericode/postgres/${purpose}`, 32));
  const check = createHmac('sha256', subkey('key-check')).update(KEY_CHECK_INPUT).digest('hex');
  return { encryption: subkey('encryption'), index: subkey('blind-index'), check };
}

/** True when `keys` are the ones whose check value the store keeps. */
export function keysMatch(keys: DerivedKeys, storedCheck: string): boolean {
  const stored = Buffer.from(storedCheck, 'hex');
  const ours = Buffer.from(keys.check, 'hex');
  return stored.length === ours.length && timingSafeEqual(stored, ours);
}

function passphraseBytes(passphrase: Uint8Array | string): Buffer {
  return typeof passphrase === 'string' ? Buffer.from(passphrase, 'utf8') : Buffer.from(passphrase);
}

function scryptOf(passphrase: Buffer, salt: Buffer, settings: KdfSettings): Promise<Buffer> {
  const cost = { N: settings.N ?? SCRYPT.N, r: settings.r ?? SCRYPT.r, p: settings.p ?? SCRYPT.p };
  return new Promise((resolve, reject) => {
    scrypt(passphrase, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r }, (error, derived) => (error ? reject(error) : resolve(derived)));
  });
}
