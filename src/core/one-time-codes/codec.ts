/**
 * Per type: how a one-time code is generated, how typed input is checked, and the form
 * it is stored in. The phrase codec is loaded on first use, so commands that never
 * touch a phrase do not pay for the BIP-39 word list.
 */
import type { StoreReader } from '../store-port.js';
import { hmacCode, SCRYPT_LOG_N, SCRYPT_SALT_BYTES, scryptCode } from '../codes/hashing.js';
import {
  generateLongCode,
  generateShortCode,
  guessCodeType,
  normalizeLongCode,
  normalizeShortCode,
  type OneTimeCodeType,
} from '../codes/one-time-code-format.js';
import type { RandomSource } from '../ports.js';

/** Generation and input checking of one type. */
export interface CodeCodec {
  generate(random: RandomSource): string;
  /** The canonical form of typed input; throws an `invalid_format` UsageError. */
  normalize(text: string): string;
}

const EAGER: Record<Exclude<OneTimeCodeType, 'phrase'>, CodeCodec> = {
  short: { generate: generateShortCode, normalize: normalizeShortCode },
  long: { generate: generateLongCode, normalize: normalizeLongCode },
};

/** The codec of `type`. */
export async function loadCodec(type: OneTimeCodeType): Promise<CodeCodec> {
  if (type !== 'phrase') return EAGER[type];
  const phrase = await import('../codes/phrase-code.js');
  return { generate: phrase.generatePhraseCode, normalize: phrase.normalizePhraseCode };
}

/** A presented code, checked: its type and canonical form. */
export interface PresentedCode {
  type: OneTimeCodeType;
  code: string;
}

/**
 * Checks `text` as a code of `type`, or of the type its shape suggests.
 * @throws UsageError (`invalid_format`) naming the rule it breaks.
 */
export async function checkPresentedCode(text: string, type: OneTimeCodeType | undefined): Promise<PresentedCode> {
  const actual = type ?? guessCodeType(text);
  const codec = await loadCodec(actual);
  return { type: actual, code: codec.normalize(text) };
}

/** The stored form of a short code: its scrypt hash, the fresh salt and the cost it was made with. */
export interface ShortCodeDigest {
  digest: Buffer;
  salt: Buffer;
  logN: number;
}

export async function shortCodeDigest(code: string, random: RandomSource): Promise<ShortCodeDigest> {
  const salt = Buffer.from(random.bytes(SCRYPT_SALT_BYTES));
  return { digest: await scryptCode(code, salt, SCRYPT_LOG_N), salt, logN: SCRYPT_LOG_N };
}

/** The HMAC a long or phrase code is stored and looked up by; undefined before the store has a secret. */
export async function lookupDigest(tx: StoreReader, code: string): Promise<Buffer | undefined> {
  const secret = await tx.hmacSecret();
  return secret && hmacCode(secret, code);
}
