/** Encrypted signer keys may not ask for unbounded key-derivation work. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkKeyEncryptionCost, MAX_KEY_DERIVATION_ITERATIONS, MAX_SCRYPT_WORK } from '../../../src/core/x509/key-encryption-cost.js';
import { readPrivateKey } from '../../../src/core/x509/keys.js';

/** DER of one TLV (short and long lengths). */
function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const value = Buffer.concat(parts);
  const length = value.length < 0x80 ? Buffer.from([value.length]) : Buffer.from([0x82, value.length >> 8, value.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, value]);
}
const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);
const oid = (hex: string): Buffer => tlv(0x06, Buffer.from(hex, 'hex'));
const octets = (n: number): Buffer => tlv(0x04, Buffer.alloc(n, 0xa5));
function int(value: number): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return tlv(0x02, Buffer.from(hex, 'hex'));
}

const AES_256_CBC = seq(oid('608648016503040102'), octets(16));
/** EncryptedPrivateKeyInfo under PBES2 with PBKDF2 (HMAC-SHA256) at `iterations`. */
function pbkdf2Key(iterations: number): Buffer {
  const pbkdf2 = seq(oid('2a864886f70d01050c'), seq(octets(8), int(iterations), seq(oid('2a864886f70d0209'), tlv(0x05))));
  return seq(seq(oid('2a864886f70d01050d'), seq(pbkdf2, AES_256_CBC)), octets(48));
}
function scryptKey(n: number, r: number, p: number): Buffer {
  const scrypt = seq(oid('2b06010401da47040b'), seq(octets(8), int(n), int(r), int(p)));
  return seq(seq(oid('2a864886f70d01050d'), seq(scrypt, AES_256_CBC)), octets(48));
}
/** pbeWithSHAAnd3-KeyTripleDES-CBC (PKCS#12), as `openssl pkcs8 -v1 PBE-SHA1-3DES` writes. */
function pkcs12Key(iterations: number): Buffer {
  return seq(seq(oid('2a864886f70d010c0103'), seq(octets(8), int(iterations))), octets(48));
}
const pem = (der: Buffer): string =>
  `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;

describe('checkKeyEncryptionCost', () => {
  it('allows up to the bound and refuses one iteration more', () => {
    expect(() => checkKeyEncryptionCost(pbkdf2Key(MAX_KEY_DERIVATION_ITERATIONS), 'signer key k')).not.toThrow();
    expect(() => checkKeyEncryptionCost(pbkdf2Key(MAX_KEY_DERIVATION_ITERATIONS + 1), 'signer key k')).toThrow(
      `signer key k asks for ${MAX_KEY_DERIVATION_ITERATIONS + 1} key-derivation iterations, more than the ${MAX_KEY_DERIVATION_ITERATIONS} this command allows`,
    );
  });

  it('bounds PKCS#12 PBE iterations and scrypt work too', () => {
    expect(() => checkKeyEncryptionCost(pkcs12Key(2048), 'k')).not.toThrow();
    expect(() => checkKeyEncryptionCost(pkcs12Key(2 ** 31 - 1), 'k')).toThrow('k asks for 2147483647 key-derivation iterations');
    expect(() => checkKeyEncryptionCost(scryptKey(16384, 8, 1), 'k')).not.toThrow();
    expect(() => checkKeyEncryptionCost(scryptKey(16384, 8, 2 ** 20), 'k')).toThrow(
      `k asks for scrypt work N*r*p = ${16384 * 8 * 2 ** 20}, more than the ${MAX_SCRYPT_WORK} this command allows`,
    );
  });

  it('lets anything that is not an encrypted PKCS#8 key through to OpenSSL', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from('garbage'), seq(int(1)), tlv(0x30, Buffer.from([0x02]))]) {
      expect(() => checkKeyEncryptionCost(bytes, 'k')).not.toThrow();
    }
  });
});

describe('readPrivateKey with a hostile iteration count', () => {
  it('refuses 2^31-1 PBKDF2 iterations at once, PEM or DER, instead of deriving for half an hour', () => {
    const hostile = pbkdf2Key(2 ** 31 - 1);
    const message = 'signer key k asks for 2147483647 key-derivation iterations, more than the 5000000 this command allows';
    expect(() => readPrivateKey(Buffer.from(pem(hostile)), 'signer key k', 'passphrase')).toThrow(message);
    expect(() => readPrivateKey(hostile, 'signer key k', 'passphrase')).toThrow(message);
  });

  it('still reads a key encrypted as OpenSSL does by default (2,048 iterations)', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const encrypted = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' });
    expect(readPrivateKey(Buffer.from(encrypted), 'signer key k', 'secret').asymmetricKeyType).toBe('ec');
  });
});
