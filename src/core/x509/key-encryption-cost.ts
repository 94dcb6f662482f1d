/**
 * The work an encrypted PKCS#8 key asks for before it can be decrypted, bounded.
 *
 * An encrypted key names its own key-derivation cost, and OpenSSL pays whatever it
 * says: a key file with 2^31-1 PBKDF2 iterations keeps `x509 create` busy for half an
 * hour. So the cost is read from the DER (EncryptedPrivateKeyInfo, RFC 5208; PBES2,
 * PBES1 and PKCS#12 PBE parameters, RFC 8018 and RFC 7292; scrypt, RFC 7914) and
 * refused above a bound before OpenSSL sees the key.
 *
 * The bounds: `openssl pkcs8 -topk8` and `openssl genpkey -aes-256-cbc` write 2,048
 * PBKDF2 iterations; OWASP's 2023 advice is 600,000 (HMAC-SHA256) to 1,300,000
 * (HMAC-SHA1). 5,000,000 is well above all of them and costs at most about 4 s here
 * (HMAC-SHA1, the slowest; 1,000,000 took 0.74 s). For scrypt, OpenSSL writes N=16384,
 * r=8, p=1 (N*r*p = 2^17) and caps the memory itself, but not p: N*r*p is capped at 2^22.
 */
import { UsageError } from '../errors.js';

/** The most PBKDF2 (or PBES1 / PKCS#12) iterations a signer key may ask for. */
export const MAX_KEY_DERIVATION_ITERATIONS = 5_000_000;
/** The most scrypt work (N * r * p) a signer key may ask for. */
export const MAX_SCRYPT_WORK = 2 ** 22;

const PBES2 = '2a864886f70d01050d';
const PBKDF2 = '2a864886f70d01050c';
const SCRYPT = '2b06010401da47040b';
/** pbeWithMD5AndDES-CBC and the other PBES1 schemes: {salt, iterationCount}. */
const PBES1_PREFIX = '2a864886f70d0105';
/** pbeWithSHAAnd3-KeyTripleDES-CBC and the other PKCS#12 schemes: {salt, iterations}. */
const PKCS12_PBE_PREFIX = '2a864886f70d010c01';

interface Tlv {
  tag: number;
  value: Buffer;
}

/**
 * Refuses an encrypted PKCS#8 key (DER) whose key derivation costs more than the
 * bounds above. Anything that is not an EncryptedPrivateKeyInfo passes: OpenSSL then
 * reports what it is.
 * @throws UsageError naming `label` and the cost it asks for.
 */
export function checkKeyEncryptionCost(der: Buffer, label: string): void {
  const cost = readCost(der);
  if (cost === undefined) return;
  if (cost.kind === 'iterations' && cost.value > MAX_KEY_DERIVATION_ITERATIONS) {
    throw new UsageError(
      `${label} asks for ${cost.value} key-derivation iterations, more than the ${MAX_KEY_DERIVATION_ITERATIONS} this command allows`,
      're-encrypt it with fewer, for example: openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000 -in old.pem -out new.pem',
    );
  }
  if (cost.kind === 'scrypt' && cost.value > MAX_SCRYPT_WORK) {
    throw new UsageError(
      `${label} asks for scrypt work N*r*p = ${cost.value}, more than the ${MAX_SCRYPT_WORK} this command allows`,
      're-encrypt it, for example: openssl pkcs8 -topk8 -scrypt -in old.pem -out new.pem',
    );
  }
}

function readCost(der: Buffer): { kind: 'iterations' | 'scrypt'; value: number } | undefined {
  try {
    const [algorithm] = children(single(der, 0x30));
    const [oid, params] = children(expectTag(algorithm, 0x30));
    const scheme = expectTag(oid, 0x06).value.toString('hex');
    if (scheme === PBES2) {
      const [kdf] = children(expectTag(params, 0x30));
      const [kdfOid, kdfParams] = children(expectTag(kdf, 0x30));
      const kdfName = expectTag(kdfOid, 0x06).value.toString('hex');
      const fields = children(expectTag(kdfParams, 0x30));
      if (kdfName === PBKDF2) return { kind: 'iterations', value: integer(fields[1]) };
      if (kdfName === SCRYPT) return { kind: 'scrypt', value: integer(fields[1]) * integer(fields[2]) * integer(fields[3]) };
      return undefined;
    }
    if (scheme.startsWith(PBES1_PREFIX) || scheme.startsWith(PKCS12_PBE_PREFIX)) {
      return { kind: 'iterations', value: integer(children(expectTag(params, 0x30))[1]) };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** A DER INTEGER as a number; one too long to be exact is Infinity (always over the bound). */
function integer(tlv: Tlv | undefined): number {
  const { value } = expectTag(tlv, 0x02);
  if (value.length > 6) return Number.POSITIVE_INFINITY;
  return value.readUIntBE(0, value.length);
}

function expectTag(tlv: Tlv | undefined, tag: number): Tlv {
  if (tlv === undefined || tlv.tag !== tag) throw new Error('unexpected DER');
  return tlv;
}

/** The one TLV that fills `bytes`. */
function single(bytes: Buffer, tag: number): Buffer {
  const [tlv, end] = readTlv(bytes, 0);
  if (end !== bytes.length) throw new Error('trailing bytes');
  return expectTag(tlv, tag).value;
}

function children(tlv: Tlv | Buffer): Tlv[] {
  const value = Buffer.isBuffer(tlv) ? tlv : tlv.value;
  const items: Tlv[] = [];
  for (let offset = 0; offset < value.length; ) {
    const [item, end] = readTlv(value, offset);
    items.push(item);
    offset = end;
  }
  return items;
}

function readTlv(bytes: Buffer, offset: number): [Tlv, number] {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (tag === undefined || length === undefined) throw new Error('truncated DER');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = bytes.readUIntBE(start, count);
    start += count;
  }
  if (start + length > bytes.length) throw new Error('truncated DER');
  return [{ tag, value: bytes.subarray(start, start + length) }, start + length];
}
