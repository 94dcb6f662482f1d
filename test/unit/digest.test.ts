/**
 * The audit chain's SHA-256 and the code HMACs come from @noble/hashes
 * (src/core/digest.ts): they must be the very bytes OpenSSL gives, or every stored
 * chain and code HMAC would stop matching.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sha256Hex } from '../../src/core/digest.js';

const TEXTS = ['', 'abc', 'ü€𝄞 non-ASCII', 'x'.repeat(55), 'y'.repeat(64), 'z'.repeat(1000), '{"action":"verification_code.issue","seq":1}'];

describe('sha256Hex', () => {
  it('is the published SHA-256 of "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it("equals node:crypto's SHA-256 of the UTF-8 texts one after the other", () => {
    for (const a of TEXTS) {
      for (const b of TEXTS) {
        expect(sha256Hex(a, b)).toBe(createHash('sha256').update(a, 'utf8').update(b, 'utf8').digest('hex'));
      }
    }
    expect(sha256Hex()).toBe(createHash('sha256').digest('hex'));
  });
});

describe('hmacSha256', () => {
  it("equals node:crypto's HMAC-SHA256, for keys shorter and longer than a block", () => {
    for (const key of [Buffer.alloc(0), Buffer.alloc(32, 7), Buffer.alloc(64, 9), Buffer.from('k'.repeat(200))]) {
      for (const text of TEXTS) {
        const digest = hmacSha256(key, text);
        expect(Buffer.isBuffer(digest)).toBe(true);
        expect(digest.toString('hex')).toBe(createHmac('sha256', key).update(text, 'utf8').digest('hex'));
      }
    }
  });
});
