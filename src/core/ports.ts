/**
 * The side effects the core needs, passed in by the caller so tests can fix them:
 * a clock and a source of cryptographic randomness. The real implementations live
 * here too; the core itself never calls `new Date()` or `Math.random`.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

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

/** Draws for `int` are 48-bit numbers, as node:crypto's `randomInt` draws them. */
const DRAW_RANGE = 2 ** 48;

/**
 * A uniformly random integer in `[0, maxExclusive)` from the random bytes `bytes`
 * gives: 48-bit draws, where a draw in the top sliver that would make some remainders
 * likelier than others is thrown away and drawn again.
 * @throws RangeError when `maxExclusive` is not an integer from 1 to 2^48.
 */
export function uniformInt(bytes: (length: number) => Uint8Array, maxExclusive: number): number {
  if (!Number.isSafeInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > DRAW_RANGE) {
    throw new RangeError(`maxExclusive must be an integer from 1 to 2^48, not ${maxExclusive}`);
  }
  const limit = DRAW_RANGE - (DRAW_RANGE % maxExclusive);
  for (;;) {
    const draw = Buffer.from(bytes(6)).readUIntBE(0, 6);
    if (draw < limit) return draw % maxExclusive;
  }
}

/** Bytes read from the kernel at a time: one read covers a code, its id and the store's secret. */
const POOL_BYTES = 1024;
let pool: Buffer = Buffer.alloc(0);
let used = 0;

/**
 * The kernel's CSPRNG, /dev/urandom, the source OpenSSL seeds node:crypto's from:
 * reading it costs a few system calls, where node:crypto costs every command that
 * writes some forty modules of Node's own (~10 ms on Node 24). Only a character
 * device is read; where there is none (not Linux, a chroot without /dev), node:crypto
 * fills the pool. Each byte is handed out once and then zeroed in the pool.
 */
function systemRandomBytes(length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  for (let filled = 0; filled < length; ) {
    if (used === pool.length) refill();
    const count = Math.min(length - filled, pool.length - used);
    pool.copy(out, filled, used, used + count);
    pool.fill(0, used, used + count);
    used += count;
    filled += count;
  }
  return out;
}

function refill(): void {
  pool = readUrandom(POOL_BYTES) ?? process.getBuiltinModule('node:crypto').randomBytes(POOL_BYTES);
  used = 0;
}

function readUrandom(length: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/urandom', constants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isCharacterDevice()) return undefined;
    const buffer = Buffer.alloc(length);
    for (let filled = 0; filled < length; ) {
      const read = readSync(fd, buffer, filled, length - filled, null);
      if (read === 0) return undefined;
      filled += read;
    }
    return buffer;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The system's CSPRNG (/dev/urandom, or node:crypto's), with `uniformInt`'s rejection sampling. */
export const cryptoRandom: RandomSource = {
  bytes: systemRandomBytes,
  int: (maxExclusive) => uniformInt(systemRandomBytes, maxExclusive),
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
