/**
 * One-time codes and their pairs' attempts. The user id and purpose are sealed, and a
 * pair is found by their blind indexes; the code itself is only ever a digest (an HMAC,
 * or a salted scrypt hash), computed by the core, and stays as it is.
 */
import type { CodePair, OneTimeCodeCandidate, OneTimeCodeRow, OneTimeCodeStatusFilter, OneTimeCodeType } from '../../core/records.js';
import type { StoreReader, StoreWriter, TableRow } from '../../core/store-port.js';
import type { Session } from '../session.js';
import { pairIndexes } from '../tables.js';

type Reads = Pick<
  StoreReader,
  'findOneTimeCodeById' | 'findOneTimeCodeByDigest' | 'listShortCandidates' | 'countLiveOneTimeCodes' | 'listOneTimeCodes' | 'readAttempts'
>;
type Writes = Pick<
  StoreWriter,
  'insertOneTimeCode' | 'consumeOneTimeCode' | 'authorizeOneTimeCode' | 'invalidateOneTimeCodes' | 'writeAttempts' | 'clearAttempts'
>;

const WITH_LOCK = `one_time_codes c LEFT JOIN one_time_code_attempts a
  ON a.organization_id = c.organization_id AND a.user_index = c.user_index AND a.purpose_index = c.purpose_index`;
const UNSPENT = 'c.consumed_at IS NULL AND c.invalidated_at IS NULL';
/** Live at the parameter `now`, whichever number it has. */
const live = (now: string): string => `${UNSPENT} AND c.expires_at > ${now}`;

/** Each status filter's condition, given now's placeholder. */
const STATUS: Record<OneTimeCodeStatusFilter, (now: () => string) => string> = {
  active: (now) => `${live(now())} AND (a.locked_until IS NULL OR a.locked_until <= ${now()})`,
  locked: (now) => `${live(now())} AND a.locked_until > ${now()}`,
  consumed: () => 'c.consumed_at IS NOT NULL',
  invalidated: () => 'c.consumed_at IS NULL AND c.invalidated_at IS NOT NULL',
  expired: (now) => `${UNSPENT} AND c.expires_at <= ${now()}`,
  all: () => 'true',
};

/** The blind indexes that find a pair's rows, as query parameters. */
function pairKey(session: Session, pair: CodePair): Buffer[] {
  const { user_index: user, purpose_index: purpose } = pairIndexes(session.cipher, pair.organizationId, pair.userId, pair.purpose);
  return [user, purpose];
}

/** A code's record as list and get show it: no digest, with its pair's lock. */
function withLock(candidate: OneTimeCodeCandidate, lockedUntil: number | null): OneTimeCodeRow {
  const { code_digest: _digest, code_salt: _salt, scrypt_log_n: _cost, ...row } = candidate;
  return { ...row, locked_until: lockedUntil };
}

export function oneTimeCodeReads(session: Session): Reads {
  const { cipher } = session;
  const pairParams = (pair: CodePair): Buffer[] => pairKey(session, pair);
  const listed = async (sql: string, params: unknown[]): Promise<OneTimeCodeRow[]> => {
    const stored = await session.rows<Record<string, unknown> & { locked_until: number | null }>(sql, params);
    const records = session.decode<OneTimeCodeCandidate>('one_time_codes', stored);
    return records.map((record, i) => withLock(record, stored[i]!.locked_until));
  };
  return {
    findOneTimeCodeById: async (organizationId, id) =>
      (await listed(`SELECT c.*, a.locked_until FROM ${WITH_LOCK} WHERE c.organization_id = $1 AND c.id = $2`, [organizationId, id]))[0],
    findOneTimeCodeByDigest: (pair, type, digest) =>
      session.record<OneTimeCodeCandidate>(
        'one_time_codes',
        'SELECT * FROM one_time_codes WHERE organization_id = $1 AND code_digest = $2 AND user_index = $3 AND purpose_index = $4 AND type = $5',
        [pair.organizationId, digest, ...pairParams(pair), type],
      ),
    listShortCandidates: (pair, query) =>
      session.records<OneTimeCodeCandidate>(
        'one_time_codes',
        `SELECT c.* FROM one_time_codes c
         WHERE c.organization_id = $1 AND c.user_index = $2 AND c.purpose_index = $3 AND c.type = 'short' AND c.created_at > $4
         ORDER BY (${live('$5')}) DESC, c.seq DESC LIMIT $6`,
        [pair.organizationId, ...pairParams(pair), query.since, query.now, query.limit],
      ),
    countLiveOneTimeCodes: async (pair, type, now) =>
      (await session.row<{ n: number }>(
        `SELECT count(*) AS n FROM one_time_codes c
         WHERE c.organization_id = $1 AND c.user_index = $2 AND c.purpose_index = $3 AND c.type = $4 AND ${live('$5')}`,
        [pair.organizationId, ...pairParams(pair), type, now],
      ))!.n,
    listOneTimeCodes: (query) => {
      const params: unknown[] = [query.organizationId, query.beforeSeq ?? Number.MAX_SAFE_INTEGER, query.limit + 1];
      const filters: string[] = [];
      const status = STATUS[query.status](() => `$${params.push(query.now)}`);
      if (query.userId !== undefined) filters.push(`c.user_index = $${params.push(cipher.blind('user_id', query.organizationId, query.userId))}`);
      if (query.purpose !== undefined) filters.push(`c.purpose_index = $${params.push(cipher.blind('purpose', query.organizationId, query.purpose))}`);
      return listed(
        `SELECT c.*, a.locked_until FROM ${WITH_LOCK}
         WHERE c.organization_id = $1 AND ${[...filters, status].join(' AND ')} AND c.seq < $2
         ORDER BY c.seq DESC LIMIT $3`,
        params,
      );
    },
    readAttempts: async (pair) =>
      (await session.row<{ failures: number; locked_until: number | null }>(
        'SELECT failures, locked_until FROM one_time_code_attempts WHERE organization_id = $1 AND user_index = $2 AND purpose_index = $3',
        [pair.organizationId, ...pairParams(pair)],
      )) ?? { failures: 0, locked_until: null },
  };
}

export function oneTimeCodeWrites(session: Session): Writes {
  const pairParams = (pair: CodePair): Buffer[] => pairKey(session, pair);
  const changeOne = (
    set: string,
    organizationId: string,
    id: string,
    at: { now: number; stamp: number },
    condition: string,
  ): Promise<OneTimeCodeCandidate | undefined> =>
    session.record<OneTimeCodeCandidate>(
      'one_time_codes',
      `UPDATE one_time_codes c SET ${set} WHERE c.organization_id = $1 AND c.id = $2 AND ${condition} RETURNING *`,
      [organizationId, id, at.now, at.stamp],
    );
  return {
    insertOneTimeCode: (row) =>
      session.insert('one_time_codes', [{ ...row, authorized_at: row.is_authorized === 1 ? row.created_at : null } as unknown as TableRow]),
    consumeOneTimeCode: (organizationId, id, at) => changeOne('consumed_at = $4', organizationId, id, at, `c.is_authorized = 1 AND ${live('$3')}`),
    authorizeOneTimeCode: (organizationId, id, at) =>
      changeOne('is_authorized = 1, authorized_at = coalesce(c.authorized_at, $4)', organizationId, id, at, live('$3')),
    invalidateOneTimeCodes: async (pair, type, at) => {
      const params: unknown[] = [pair.organizationId, ...pairParams(pair), at.now, at.stamp];
      const rows = await session.rows<{ seq: number; id: string; organization_id: string; type: OneTimeCodeType }>(
        `UPDATE one_time_codes c SET invalidated_at = $5
         WHERE c.organization_id = $1 AND c.user_index = $2 AND c.purpose_index = $3 AND ${live('$4')}
           ${type === undefined ? '' : `AND c.type = $${params.push(type)}`}
         RETURNING seq, id, organization_id, type`,
        params,
      );
      return rows.sort((a, b) => a.seq - b.seq);
    },
    writeAttempts: async (pair, state) => {
      await session.run('DELETE FROM one_time_code_attempts WHERE organization_id = $1 AND user_index = $2 AND purpose_index = $3', [
        pair.organizationId,
        ...pairParams(pair),
      ]);
      await session.insert('one_time_code_attempts', [{ organization_id: pair.organizationId, user_id: pair.userId, purpose: pair.purpose, ...state }]);
    },
    clearAttempts: async (pair) => {
      await session.run('DELETE FROM one_time_code_attempts WHERE organization_id = $1 AND user_index = $2 AND purpose_index = $3', [
        pair.organizationId,
        ...pairParams(pair),
      ]);
    },
  };
}
