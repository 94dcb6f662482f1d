/**
 * Verification codes. Nothing of them is sensitive beyond the code, which the table
 * holds only as its HMAC, so they are stored and queried in clear, as in SQLite.
 */
import type { VerificationCodeRow, VerificationCodeStatusFilter } from '../../core/records.js';
import type { StoreReader, StoreWriter, TableRow } from '../../core/store-port.js';
import type { Session } from '../session.js';

const COLUMNS = 'seq, id, organization_id, certificate_id, created_at, expires_at, consumed_at';

/** Each status filter's condition, given now's placeholder: the partial indexes hold exactly these rows. */
const STATUS: Record<VerificationCodeStatusFilter, (now: () => string) => string> = {
  active: (now) => `consumed_at IS NULL AND expires_at > ${now()}`,
  consumed: () => 'consumed_at IS NOT NULL',
  expired: (now) => `consumed_at IS NULL AND expires_at <= ${now()}`,
  all: () => 'true',
};

type Reads = Pick<StoreReader, 'findVerificationCodeById' | 'findVerificationCodeByHmac' | 'findNewerBoundVerificationCode' | 'listVerificationCodes'>;
type Writes = Pick<StoreWriter, 'insertVerificationCode' | 'consumeVerificationCode' | 'supersedeBoundVerificationCodes'>;

export function verificationCodeReads(session: Session): Reads {
  return {
    findVerificationCodeById: (organizationId, id) =>
      session.row<VerificationCodeRow>(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = $1 AND id = $2`, [organizationId, id]),
    findVerificationCodeByHmac: (organizationId, codeHmac) =>
      session.row<VerificationCodeRow>(`SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = $1 AND code_hmac = $2`, [organizationId, codeHmac]),
    findNewerBoundVerificationCode: (row) =>
      session.row<VerificationCodeRow>(
        `SELECT ${COLUMNS} FROM verification_codes WHERE organization_id = $1 AND certificate_id = $2 AND seq > $3 ORDER BY seq LIMIT 1`,
        [row.organization_id, row.certificate_id, row.seq],
      ),
    listVerificationCodes: (query) => {
      const params: unknown[] = [query.organizationId, query.beforeSeq ?? Number.MAX_SAFE_INTEGER, query.limit + 1];
      return session.rows<VerificationCodeRow>(
        `SELECT ${COLUMNS} FROM verification_codes
         WHERE organization_id = $1 AND ${STATUS[query.status](() => `$${params.push(query.now)}`)} AND seq < $2 ORDER BY seq DESC LIMIT $3`,
        params,
      );
    },
  };
}

export function verificationCodeWrites(session: Session): Writes {
  return {
    insertVerificationCode: (row) => session.insert('verification_codes', [row as unknown as TableRow]),
    consumeVerificationCode: (organizationId, codeHmac, now) =>
      session.row<VerificationCodeRow>(
        `UPDATE verification_codes SET consumed_at = $3
         WHERE organization_id = $1 AND code_hmac = $2 AND consumed_at IS NULL AND expires_at > $3
         RETURNING ${COLUMNS}`,
        [organizationId, codeHmac, now],
      ),
    supersedeBoundVerificationCodes: async (organizationId, certificateId, now) => {
      const rows = await session.rows<VerificationCodeRow>(
        `UPDATE verification_codes SET expires_at = $3
         WHERE organization_id = $1 AND certificate_id = $2 AND consumed_at IS NULL AND expires_at > $3
         RETURNING ${COLUMNS}`,
        [organizationId, certificateId, now],
      );
      return rows.sort((a, b) => a.seq - b.seq);
    },
  };
}
