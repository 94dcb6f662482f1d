/**
 * The one_time_codes table. Rows hold a digest of the code (scrypt for short codes,
 * HMAC for long and phrase codes), never the code itself; this module never sees a
 * plaintext code. List and get join the pair's attempt state so a code's `locked`
 * status can be derived.
 */
import { lastSeqIssuedBy } from './issued-by.js';
import { recordCounts } from './store-stats.js';
import type { CodePair, Instant, OneTimeCodeCandidate, OneTimeCodeRow, OneTimeCodeStatusFilter, OneTimeCodeType } from '../core/records.js';
import type { Store } from './store.js';

export type { CodePair, Instant, OneTimeCodeCandidate, OneTimeCodeRow, OneTimeCodeStatusFilter, OneTimeCodeType } from '../core/records.js';

const BARE_COLUMNS = 'seq, id, organization_id, type, user_id, purpose, is_authorized, created_at, expires_at, authorized_at, consumed_at, invalidated_at';
const COLUMNS = BARE_COLUMNS.split(', ')
  .map((column) => `c.${column}`)
  .join(', ');
// RETURNING cannot name the UPDATE's alias.
const RETURNING = `RETURNING ${BARE_COLUMNS}, code_digest, code_salt, scrypt_log_n`;
const LOCK_JOIN = 'a.organization_id = c.organization_id AND a.user_id = c.user_id AND a.purpose = c.purpose';
const FROM_WITH_LOCK = `one_time_codes c LEFT JOIN one_time_code_attempts a ON ${LOCK_JOIN}`;
const UNSPENT = 'c.consumed_at IS NULL AND c.invalidated_at IS NULL';
const LIVE = `${UNSPENT} AND c.expires_at > @now`;

/**
 * Each status filter's condition, and the index that holds the rows it can match, so
 * that a filter matching nothing costs nothing: live codes (active, locked) by expiry,
 * since their number is bounded by their life; the others in seq order.
 */
const STATUS_QUERY: Record<OneTimeCodeStatusFilter, { condition: string; index: string }> = {
  active: { condition: `${LIVE} AND (a.locked_until IS NULL OR a.locked_until <= @now)`, index: 'one_time_codes_live_by_expiry' },
  locked: { condition: `${LIVE} AND a.locked_until > @now`, index: 'one_time_codes_live_by_expiry' },
  consumed: { condition: 'c.consumed_at IS NOT NULL', index: 'one_time_codes_consumed' },
  invalidated: { condition: 'c.consumed_at IS NULL AND c.invalidated_at IS NOT NULL', index: 'one_time_codes_invalidated' },
  expired: { condition: `${UNSPENT} AND c.expires_at <= @now`, index: 'one_time_codes_unspent' },
  all: { condition: '1 = 1', index: 'one_time_codes_by_org' },
};

/** Inserts a new code; authorized at creation when `is_authorized` is 1. */
export function insertOneTimeCode(store: Store, row: Omit<OneTimeCodeCandidate, 'seq' | 'authorized_at' | 'consumed_at' | 'invalidated_at'>): void {
  store
    .prepare(
      `INSERT INTO one_time_codes (id, organization_id, type, user_id, purpose, code_digest, code_salt, scrypt_log_n, is_authorized, created_at, expires_at, authorized_at)
       VALUES (@id, @organization_id, @type, @user_id, @purpose, @code_digest, @code_salt, @scrypt_log_n, @is_authorized, @created_at, @expires_at,
               CASE WHEN @is_authorized = 1 THEN @created_at END)`,
    )
    .run(row);
}

/** One code of the organization by id, with its pair's lock. */
export function findOneTimeCodeById(store: Store, organizationId: string, id: string): OneTimeCodeRow | undefined {
  return store.prepare(`SELECT ${COLUMNS}, a.locked_until FROM ${FROM_WITH_LOCK} WHERE c.organization_id = ? AND c.id = ?`).get(organizationId, id) as
    | OneTimeCodeRow
    | undefined;
}

/** The long or phrase code of the pair whose HMAC is `digest`, whatever its state. */
export function findCodeByDigest(store: Store, pair: CodePair, type: OneTimeCodeType, digest: Buffer): OneTimeCodeCandidate | undefined {
  return store
    .prepare(
      `SELECT ${COLUMNS}, c.code_digest, c.code_salt, c.scrypt_log_n FROM one_time_codes c
       WHERE c.organization_id = @organizationId AND c.code_digest = @digest
         AND c.user_id = @userId AND c.purpose = @purpose AND c.type = @type`,
    )
    .get({ ...pair, type, digest }) as OneTimeCodeCandidate | undefined;
}

/**
 * Short codes of the pair created after `since`, the live ones first, then the most
 * recent others, at most `limit`: a salted hash can only be checked row by row, so
 * the caller bounds how many rows it hashes against.
 */
export function listShortCandidates(store: Store, pair: CodePair, query: { now: number; since: number; limit: number }): OneTimeCodeCandidate[] {
  return store
    .prepare(
      `SELECT ${COLUMNS}, c.code_digest, c.code_salt, c.scrypt_log_n FROM one_time_codes c
       WHERE c.organization_id = @organizationId AND c.user_id = @userId AND c.purpose = @purpose
         AND c.type = 'short' AND c.created_at > @since
       ORDER BY (${LIVE}) DESC, c.seq DESC LIMIT @limit`,
    )
    .all({ ...pair, ...query }) as OneTimeCodeCandidate[];
}

/** How many codes of the pair and type are unspent and unexpired at `now`. */
export function countLiveCodes(store: Store, pair: CodePair, type: OneTimeCodeType, now: number): number {
  const row = store
    .prepare(
      `SELECT count(*) AS n FROM one_time_codes c
       WHERE c.organization_id = @organizationId AND c.user_id = @userId AND c.purpose = @purpose AND c.type = @type AND ${LIVE}`,
    )
    .get({ ...pair, type, now }) as { n: number };
  return row.n;
}

/**
 * Consumes the code atomically: one conditional UPDATE that succeeds only while the
 * code is authorized, unspent and unexpired. Undefined when another attempt got there
 * first or the code is not redeemable.
 */
export function consumeOneTimeCodeRow(store: Store, organizationId: string, id: string, at: Instant): OneTimeCodeCandidate | undefined {
  return store
    .prepare(
      `UPDATE one_time_codes AS c SET consumed_at = @stamp
       WHERE c.organization_id = @organizationId AND c.id = @id AND c.is_authorized = 1 AND ${LIVE}
       ${RETURNING}`,
    )
    .get({ organizationId, id, ...at }) as OneTimeCodeCandidate | undefined;
}

/** Marks a live code authorized (keeping the first authorization time); undefined when it is not live. */
export function authorizeOneTimeCodeRow(store: Store, organizationId: string, id: string, at: Instant): OneTimeCodeCandidate | undefined {
  return store
    .prepare(
      `UPDATE one_time_codes AS c SET is_authorized = 1, authorized_at = coalesce(c.authorized_at, @stamp)
       WHERE c.organization_id = @organizationId AND c.id = @id AND ${LIVE}
       ${RETURNING}`,
    )
    .get({ organizationId, id, ...at }) as OneTimeCodeCandidate | undefined;
}

/** Invalidates every live code of the pair (of `type` when given); returns them, oldest first. */
export function invalidateOneTimeCodeRows(
  store: Store,
  pair: CodePair,
  type: OneTimeCodeType | undefined,
  at: Instant,
): Array<Pick<OneTimeCodeRow, 'seq' | 'id' | 'organization_id' | 'type'>> {
  const rows = store
    .prepare(
      `UPDATE one_time_codes AS c SET invalidated_at = @stamp
       WHERE c.organization_id = @organizationId AND c.user_id = @userId AND c.purpose = @purpose
         AND (@type IS NULL OR c.type = @type) AND ${LIVE}
       RETURNING seq, id, organization_id, type`,
    )
    .all({ ...pair, type: type ?? null, ...at }) as Array<Pick<OneTimeCodeRow, 'seq' | 'id' | 'organization_id' | 'type'>>;
  return rows.sort((a, b) => a.seq - b.seq);
}

/**
 * A page of the organization's codes, newest first, continuing below `beforeSeq`. With
 * a user, the pair index narrows it to that user's codes; otherwise the status's index.
 */
export function listOneTimeCodeRows(
  store: Store,
  query: { organizationId: string; userId?: string; purpose?: string; status: OneTimeCodeStatusFilter; now: number; limit: number; beforeSeq?: number },
): OneTimeCodeRow[] {
  const { condition, index } = STATUS_QUERY[query.status];
  // Written out rather than `@userId IS NULL OR …`, which no index can serve.
  const filters = [...(query.userId === undefined ? [] : ['c.user_id = @userId']), ...(query.purpose === undefined ? [] : ['c.purpose = @purpose'])];
  return store
    .prepare(
      `SELECT ${COLUMNS}, a.locked_until FROM one_time_codes c INDEXED BY ${query.userId === undefined ? index : 'one_time_codes_by_pair'}
       LEFT JOIN one_time_code_attempts a ON ${LOCK_JOIN}
       WHERE c.organization_id = @organizationId AND ${[...filters, condition].join(' AND ')} AND c.seq < @beforeSeq
       ORDER BY c.seq DESC LIMIT @fetch`,
    )
    .all({
      organizationId: query.organizationId,
      ...(query.userId === undefined ? {} : { userId: query.userId }),
      ...(query.purpose === undefined ? {} : { purpose: query.purpose }),
      now: query.now,
      beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      fetch: query.limit + 1,
    }) as OneTimeCodeRow[];
}

/**
 * How many one-time codes each status holds at `now`, across all organizations (for
 * `store info`): spent ones from the counts the triggers keep, live ones (active or
 * locked) from their index, expired ones as the difference. Call inside `store.read`.
 */
export function countOneTimeCodesByStatus(store: Store, now: number): Record<'active' | 'locked' | 'consumed' | 'invalidated' | 'expired', number> {
  const counts = recordCounts(store.db, 'one_time_codes');
  const live = store
    .prepare(
      `SELECT count(*) AS live, coalesce(sum(a.locked_until > @now), 0) AS locked
       FROM organizations o CROSS JOIN one_time_codes c INDEXED BY one_time_codes_live_by_expiry
       LEFT JOIN one_time_code_attempts a ON ${LOCK_JOIN}
       WHERE c.organization_id = o.id AND ${LIVE}`,
    )
    .get({ now }) as { live: number; locked: number };
  return {
    active: live.live - live.locked,
    locked: live.locked,
    consumed: counts.consumed ?? 0,
    invalidated: counts.invalidated ?? 0,
    expired: (counts.unspent ?? 0) - live.live,
  };
}

/**
 * Deletes at most `limit` codes that were consumed, invalidated, or expired unspent at
 * or before `before`; a code still usable at `before` (and so now) is never touched.
 * Returns how many were deleted. Call inside `store.write`.
 */
export function purgeOneTimeCodes(store: Store, before: number, limit: number): number {
  return store
    .prepare(
      `DELETE FROM one_time_codes WHERE seq IN (
         SELECT seq FROM one_time_codes
         WHERE seq <= @bound
           AND ((consumed_at IS NOT NULL AND consumed_at <= @before)
            OR (consumed_at IS NULL AND invalidated_at IS NOT NULL AND invalidated_at <= @before)
            OR (consumed_at IS NULL AND invalidated_at IS NULL AND expires_at <= @before))
         ORDER BY seq LIMIT @limit)`,
    )
    .run({ before, limit, bound: lastSeqIssuedBy(store, 'one_time_codes', before) }).changes;
}
