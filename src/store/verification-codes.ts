/**
 * The verification_codes table. Codes are found by their HMAC only; the plaintext
 * never reaches this module.
 */
import { lastSeqIssuedBy } from './issued-by.js';
import { recordCounts } from './store-stats.js';
import type { VerificationCodeRow, VerificationCodeStatusFilter } from '../core/records.js';
import type { Store } from './store.js';

export type { VerificationCodeRow, VerificationCodeStatusFilter } from '../core/records.js';

const COLUMNS = 'seq, id, organization_id, certificate_id, created_at, expires_at, consumed_at';

/**
 * Each status filter's condition, and the index that holds exactly the rows it can
 * match, so that a filter matching nothing costs nothing: live codes by expiry (their
 * number is bounded by their life), the others in seq order.
 */
const STATUS_QUERY: Record<VerificationCodeStatusFilter, { condition: string; index: string }> = {
  active: { condition: 'consumed_at IS NULL AND expires_at > @now', index: 'verification_codes_live_by_expiry' },
  consumed: { condition: 'consumed_at IS NOT NULL', index: 'verification_codes_consumed' },
  expired: { condition: 'consumed_at IS NULL AND expires_at <= @now', index: 'verification_codes_unconsumed' },
  all: { condition: '1 = 1', index: 'verification_codes_by_org' },
};

export function insertVerificationCode(store: Store, row: Omit<VerificationCodeRow, 'seq' | 'consumed_at'> & { code_hmac: Buffer }): void {
  store
    .prepare(
      `INSERT INTO verification_codes (id, organization_id, code_hmac, certificate_id, created_at, expires_at)
       VALUES (@id, @organization_id, @code_hmac, @certificate_id, @created_at, @expires_at)`,
    )
    .run(row);
}

export function findVerificationCodeById(store: Store, organizationId: string, id: string): VerificationCodeRow | undefined {
  return store.prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND id = ?`).get(organizationId, id) as
    | VerificationCodeRow
    | undefined;
}

export function findVerificationCodeByHmac(store: Store, organizationId: string, codeHmac: Buffer): VerificationCodeRow | undefined {
  return store.prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND code_hmac = ?`).get(organizationId, codeHmac) as
    | VerificationCodeRow
    | undefined;
}

/**
 * Consumes the code atomically: one conditional UPDATE that succeeds only while the
 * code is unconsumed and unexpired. Returns the consumed row, or undefined when
 * another attempt got there first or the code is no longer valid.
 */
export function consumeVerificationCodeRow(store: Store, organizationId: string, codeHmac: Buffer, now: number): VerificationCodeRow | undefined {
  return store
    .prepare(
      `UPDATE verification_codes SET consumed_at = @now
       WHERE organization_id = @organizationId AND code_hmac = @codeHmac AND consumed_at IS NULL AND expires_at > @now
       RETURNING ${COLUMNS}`,
    )
    .get({ organizationId, codeHmac, now }) as VerificationCodeRow | undefined;
}

/** A page of codes of one organization, newest first, continuing below `beforeSeq`. */
export function listVerificationCodeRows(
  store: Store,
  query: { organizationId: string; status: VerificationCodeStatusFilter; now: number; limit: number; beforeSeq?: number },
): VerificationCodeRow[] {
  const { condition, index } = STATUS_QUERY[query.status];
  return store
    .prepare(
      `SELECT ${COLUMNS} FROM verification_codes INDEXED BY ${index}
       WHERE organization_id = @organizationId AND ${condition} AND seq < @beforeSeq
       ORDER BY seq DESC LIMIT @fetch`,
    )
    .all({
      organizationId: query.organizationId,
      now: query.now,
      beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      fetch: query.limit + 1,
    }) as VerificationCodeRow[];
}

/**
 * How many codes each status holds at `now`, across all organizations (for `store
 * info`): the spent ones from the counts the triggers keep, the live ones from their
 * index (bounded by their life), the expired ones as the difference. Call inside `store.read`.
 */
export function countVerificationCodesByStatus(store: Store, now: number): Record<'active' | 'consumed' | 'expired', number> {
  const counts = recordCounts(store.db, 'verification_codes');
  const active = (
    store
      .prepare(
        // CROSS JOIN keeps organizations outside, so each one's live codes are a range of the index.
        `SELECT count(*) AS n FROM organizations o CROSS JOIN verification_codes v INDEXED BY verification_codes_live_by_expiry
       WHERE v.organization_id = o.id AND v.consumed_at IS NULL AND v.expires_at > ?`,
      )
      .get(now) as { n: number }
  ).n;
  return { active, consumed: counts.consumed ?? 0, expired: (counts.unconsumed ?? 0) - active };
}

/**
 * Deletes at most `limit` codes that were consumed, or expired unconsumed, at or
 * before `before`; a code still active at `before` (and so now) is never touched.
 * Returns how many were deleted. Call inside `store.write`.
 */
export function purgeVerificationCodes(store: Store, before: number, limit: number): number {
  return store
    .prepare(
      `DELETE FROM verification_codes WHERE seq IN (
         SELECT seq FROM verification_codes
         WHERE seq <= @bound AND ((consumed_at IS NOT NULL AND consumed_at <= @before) OR (consumed_at IS NULL AND expires_at <= @before))
         ORDER BY seq LIMIT @limit)`,
    )
    .run({ before, limit, bound: lastSeqIssuedBy(store, 'verification_codes', before) }).changes;
}

/**
 * Ends every live code bound to one CA at `now` (Azure keeps one nonce per CA: a new
 * code replaces the earlier ones). Returns the rows as they were. Call inside `store.write`.
 */
export function supersedeBoundVerificationCodes(store: Store, organizationId: string, certificateId: string, now: number): VerificationCodeRow[] {
  return store
    .prepare(
      `UPDATE verification_codes SET expires_at = @now
       WHERE organization_id = @organizationId AND certificate_id = @certificateId AND consumed_at IS NULL AND expires_at > @now
       RETURNING ${COLUMNS}`,
    )
    .all({ organizationId, certificateId, now }) as VerificationCodeRow[];
}

/** The newest code bound to the same CA as `row` and issued after it, if any: the code that superseded it. */
export function findNewerBoundVerificationCode(
  store: Store,
  row: Pick<VerificationCodeRow, 'organization_id' | 'certificate_id' | 'seq'>,
): VerificationCodeRow | undefined {
  return store
    .prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND certificate_id = ? AND seq > ? ORDER BY seq LIMIT 1`)
    .get(row.organization_id, row.certificate_id, row.seq) as VerificationCodeRow | undefined;
}
