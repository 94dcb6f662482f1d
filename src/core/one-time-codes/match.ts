/**
 * Finding the stored code a presented code names, among the codes of one (user,
 * purpose). Long and phrase codes are found by their HMAC through an index: the
 * lookup's timing depends only on the HMAC, which a guesser cannot steer without the
 * store's secret, and the found digest is compared in constant time. Short codes are salted, so
 * each candidate row is hashed and compared in constant time; the candidates are
 * bounded (every live short code, at most MAX_LIVE_SHORT_CODES, plus recent spent
 * ones), and at least one hash is always computed, so a pair without codes answers no
 * faster than a pair with one.
 */
import type { CodePair, OneTimeCodeCandidate } from '../records.js';
import { digestsEqual, SCRYPT_SALT_BYTES, scryptCode } from '../codes/hashing.js';
import type { CoreContext } from '../context.js';
import { lookupDigest, type PresentedCode } from './codec.js';
import { ONE_TIME_CODE_TTL, SHORT_CODE_CANDIDATES } from './policy.js';

const DUMMY_SALT = Buffer.alloc(SCRYPT_SALT_BYTES);

/** The pair's stored code equal to `presented`, in whatever state, or undefined. */
export async function findPresentedCode(ctx: CoreContext, pair: CodePair, presented: PresentedCode, now: number): Promise<OneTimeCodeCandidate | undefined> {
  if (presented.type === 'short') return findShortCode(ctx, pair, presented.code, now);
  return ctx.store.read(async (tx) => {
    const digest = await lookupDigest(tx, presented.code);
    const row = digest && (await tx.findOneTimeCodeByDigest(pair, presented.type, digest));
    return row && digest && digestsEqual(row.code_digest, digest) ? row : undefined;
  });
}

async function findShortCode(ctx: CoreContext, pair: CodePair, code: string, now: number): Promise<OneTimeCodeCandidate | undefined> {
  // Every live short code was created within the longest short TTL.
  const since = now - ONE_TIME_CODE_TTL.short.maxMs;
  const candidates = await ctx.store.read((tx) => tx.listShortCandidates(pair, { now, since, limit: SHORT_CODE_CANDIDATES }));
  if (candidates.length === 0) {
    await scryptCode(code, DUMMY_SALT);
    return undefined;
  }
  const digests = await Promise.all(candidates.map((row) => scryptCode(code, row.code_salt ?? DUMMY_SALT, row.scrypt_log_n ?? undefined)));
  let found: OneTimeCodeCandidate | undefined;
  // No early exit: every candidate is compared, live ones first.
  candidates.forEach((row, i) => {
    if (digestsEqual(digests[i]!, row.code_digest) && found === undefined) found = row;
  });
  return found;
}
