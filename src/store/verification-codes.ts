/**
 * The verification_codes table. Codes are found by their HMAC only; the plaintext
 * never reaches this module.
 */
import type { Store } from './store.js';

export interface VerificationCodeRow {
  seq: number;
  id: string;
  organization_id: string;
  certificate_id: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** Status filters for listing; `all` means no filter. */
export type VerificationCodeStatusFilter = 'active' | 'consumed' | 'expired' | 'all';

const COLUMNS = 'seq, id, organization_id, certificate_id, created_at, expires_at, consumed_at';

const STATUS_CONDITION: Record<VerificationCodeStatusFilter, string> = {
  active: 'consumed_at IS NULL AND expires_at > @now',
  consumed: 'consumed_at IS NOT NULL',
  expired: 'consumed_at IS NULL AND expires_at <= @now',
  all: '1 = 1',
};

export function insertVerificationCode(store: Store, row: Omit<VerificationCodeRow, 'seq' | 'consumed_at'> & { code_hmac: Buffer }): void {
  store.db
    .prepare(
      `INSERT INTO verification_codes (id, organization_id, code_hmac, certificate_id, created_at, expires_at)
       VALUES (@id, @organization_id, @code_hmac, @certificate_id, @created_at, @expires_at)`,
    )
    .run(row);
}

export function findVerificationCodeById(store: Store, organizationId: string, id: string): VerificationCodeRow | undefined {
  return store.db
    .prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND id = ?`)
    .get(organizationId, id) as VerificationCodeRow | undefined;
}

export function findVerificationCodeByHmac(store: Store, organizationId: string, codeHmac: Buffer): VerificationCodeRow | undefined {
  return store.db
    .prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND code_hmac = ?`)
    .get(organizationId, codeHmac) as VerificationCodeRow | undefined;
}

/**
 * Consumes the code atomically: one conditional UPDATE that succeeds only while the
 * code is unconsumed and unexpired. Returns the consumed row, or undefined when
 * another attempt got there first or the code is no longer valid.
 */
export function consumeVerificationCodeRow(store: Store, organizationId: string, codeHmac: Buffer, now: number): VerificationCodeRow | undefined {
  return store.db
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
  return store.db
    .prepare(
      `SELECT ${COLUMNS} FROM verification_codes
       WHERE organization_id = @organizationId AND ${STATUS_CONDITION[query.status]} AND seq < @beforeSeq
       ORDER BY seq DESC LIMIT @fetch`,
    )
    .all({
      organizationId: query.organizationId,
      now: query.now,
      beforeSeq: query.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      fetch: query.limit + 1,
    }) as VerificationCodeRow[];
}

/** How many codes each status holds at `now`, across all organizations (for `store info`). */
export function countVerificationCodesByStatus(store: Store, now: number): Record<'active' | 'consumed' | 'expired', number> {
  return store.db
    .prepare(
      `SELECT coalesce(sum(${STATUS_CONDITION.active}), 0) AS active,
              coalesce(sum(${STATUS_CONDITION.consumed}), 0) AS consumed,
              coalesce(sum(${STATUS_CONDITION.expired}), 0) AS expired
       FROM verification_codes`,
    )
    .get({ now }) as Record<'active' | 'consumed' | 'expired', number>;
}

/**
 * Deletes at most `limit` codes that were consumed, or expired unconsumed, at or
 * before `before`; a code still active at `before` (and so now) is never touched.
 * Returns how many were deleted. Call inside `store.write`.
 */
export function purgeVerificationCodes(store: Store, before: number, limit: number): number {
  return store.db
    .prepare(
      `DELETE FROM verification_codes WHERE seq IN (
         SELECT seq FROM verification_codes
         WHERE (consumed_at IS NOT NULL AND consumed_at <= @before) OR (consumed_at IS NULL AND expires_at <= @before)
         ORDER BY seq LIMIT @limit)`,
    )
    .run({ before, limit }).changes;
}

/**
 * Ends every live code bound to one CA at `now` (Azure keeps one nonce per CA: a new
 * code replaces the earlier ones). Returns the rows as they were. Call inside `store.write`.
 */
export function supersedeBoundVerificationCodes(store: Store, organizationId: string, certificateId: string, now: number): VerificationCodeRow[] {
  return store.db
    .prepare(
      `UPDATE verification_codes SET expires_at = @now
       WHERE organization_id = @organizationId AND certificate_id = @certificateId AND consumed_at IS NULL AND expires_at > @now
       RETURNING ${COLUMNS}`,
    )
    .all({ organizationId, certificateId, now }) as VerificationCodeRow[];
}

/** The newest code bound to the same CA as `row` and issued after it, if any: the code that superseded it. */
export function findNewerBoundVerificationCode(store: Store, row: Pick<VerificationCodeRow, 'organization_id' | 'certificate_id' | 'seq'>): VerificationCodeRow | undefined {
  return store.db
    .prepare(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = ? AND certificate_id = ? AND seq > ? ORDER BY seq LIMIT 1`)
    .get(row.organization_id, row.certificate_id, row.seq) as VerificationCodeRow | undefined;
}
