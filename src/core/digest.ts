/**
 * SHA-256 and HMAC-SHA256 of short texts, for the audit chain and the code HMACs of
 * every write: from @noble/hashes (audited, pure JavaScript, the same bytes as
 * OpenSSL's). node:crypto would load some forty modules of Node's own (every cipher,
 * key type, KDF and X.509) on the path of every write, ~10 ms on Node 24 and ~4 ms on
 * Node 20, for two digests of a few hundred bytes. Bulk hashing (`audit verify` over a
 * whole log) stays with node:crypto.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const utf8 = new TextEncoder();

/** A SHA-256 (hex) of UTF-8 texts, one after the other: the pure JavaScript one below, or node:crypto's for bulk work. */
export type Sha256Hex = (...parts: readonly string[]) => string;

/** SHA-256 (hex) of the UTF-8 texts `parts`, one after the other. */
export function sha256Hex(...parts: readonly string[]): string {
  const hash = sha256.create();
  for (const part of parts) hash.update(utf8.encode(part));
  return Buffer.from(hash.digest()).toString('hex');
}

/** HMAC-SHA256 of the UTF-8 text `message` under `key`. */
export function hmacSha256(key: Uint8Array, message: string): Buffer {
  return Buffer.from(hmac(sha256, key, utf8.encode(message)));
}

let nativeHash: typeof import('node:crypto').hash | undefined;

/**
 * node:crypto's SHA-256, for checking a whole log (`audit verify`, `store migrate`):
 * native, so faster over many events than the pure JavaScript one; node:crypto is
 * loaded on the first call only.
 */
export const bulkSha256Hex: Sha256Hex = (...parts) => (nativeHash ??= process.getBuiltinModule('node:crypto').hash)('sha256', parts.join(''));
