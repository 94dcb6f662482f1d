/**
 * The side effects the core needs, passed in by the caller so tests can fix them:
 * a clock and a source of cryptographic randomness. The real implementations live
 * here too; the core itself never calls `new Date()` or `Math.random`.
 */
import { randomBytes, randomInt } from 'node:crypto';

/** The current time. */
export interface Clock {
  now(): Date;
}

/** Uniform random values; `int` must be free of modulo bias. */
export interface RandomSource {
  /** `length` uniformly random bytes. */
  bytes(length: number): Uint8Array;
  /** A uniformly random integer in `[0, maxExclusive)`; `maxExclusive` at most 2^48. */
  int(maxExclusive: number): number;
}

/** The system clock. */
export const systemClock: Clock = { now: () => new Date() };

/** `node:crypto`'s CSPRNG: `randomBytes` and the rejection-sampling `randomInt`. */
export const cryptoRandom: RandomSource = {
  bytes: (length) => randomBytes(length),
  int: (maxExclusive) => randomInt(maxExclusive),
};

/** A random RFC 4122 version 4 UUID drawn from `random`. */
export function randomUuid(random: RandomSource): string {
  const b = Buffer.from(random.bytes(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  return uuidText(b);
}

/**
 * An RFC 9562 version 7 UUID: the Unix time `atMs` (milliseconds) in its first 48 bits,
 * then 74 bits from `random`. Records issued in time order get ids in the same order,
 * so their id index grows at its end and `store purge`, which deletes the oldest,
 * rewrites a few of its pages instead of nearly all of them. The id shows when the
 * record was made, which its `created_at` shows anyway.
 */
export function timeOrderedUuid(random: RandomSource, atMs: number): string {
  const b = Buffer.from(random.bytes(16));
  b.writeUIntBE(Math.min(Math.max(Math.floor(atMs), 0), 2 ** 48 - 1), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  return uuidText(b);
}

function uuidText(b: Buffer): string {
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
