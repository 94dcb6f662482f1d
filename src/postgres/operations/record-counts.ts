/**
 * `store info`'s counts and `store purge`'s deletes. The counts come from
 * `record_counts`, which triggers keep exact in the same transaction as every change
 * (see ../schema.ts), and from the live codes' partial indexes (their number is
 * bounded by their life): nothing scans a table.
 */
import type { StoreReader, StoreWriter } from '../../core/store-port.js';
import type { Session } from '../session.js';

type Reads = Pick<StoreReader, 'countRecords'>;
type Writes = Pick<StoreWriter, 'purgeSpent'>;

/** What stopped a code being usable at or before `$1`, per table. */
const SPENT_BY: Record<'verification_codes' | 'one_time_codes', string> = {
  verification_codes: '(consumed_at IS NOT NULL AND consumed_at <= $1) OR (consumed_at IS NULL AND expires_at <= $1)',
  one_time_codes: `(consumed_at IS NOT NULL AND consumed_at <= $1)
    OR (consumed_at IS NULL AND invalidated_at IS NOT NULL AND invalidated_at <= $1)
    OR (consumed_at IS NULL AND invalidated_at IS NULL AND expires_at <= $1)`,
};

export function recordCountReads(session: Session): Reads {
  return {
    countRecords: async (now) => {
      const kept = await session.rows<{ kind: string; state: string; n: number }>('SELECT kind, state, n FROM record_counts');
      const count = (kind: string, state: string): number => kept.find((row) => row.kind === kind && row.state === state)?.n ?? 0;
      const live = await session.row<{ codes: number; one_time: number; locked: number }>(
        `SELECT (SELECT count(*) FROM verification_codes WHERE consumed_at IS NULL AND expires_at > $1) AS codes,
                (SELECT count(*) FROM one_time_codes c WHERE c.consumed_at IS NULL AND c.invalidated_at IS NULL AND c.expires_at > $1) AS one_time,
                (SELECT count(*) FROM one_time_codes c JOIN one_time_code_attempts a
                   ON a.organization_id = c.organization_id AND a.user_index = c.user_index AND a.purpose_index = c.purpose_index
                 WHERE c.consumed_at IS NULL AND c.invalidated_at IS NULL AND c.expires_at > $1 AND a.locked_until > $1) AS locked`,
        [now],
      );
      const { codes, one_time: oneTime, locked } = live!;
      return {
        ca_certificates: {
          active: count('ca_certificates', 'active'),
          inactive: count('ca_certificates', 'inactive'),
          verified: count('ca_certificates', 'verified'),
          unverified: count('ca_certificates', 'unverified'),
        },
        verification_codes: { active: codes, consumed: count('verification_codes', 'consumed'), expired: count('verification_codes', 'unconsumed') - codes },
        one_time_codes: {
          active: oneTime - locked,
          locked,
          consumed: count('one_time_codes', 'consumed'),
          invalidated: count('one_time_codes', 'invalidated'),
          expired: count('one_time_codes', 'unspent') - oneTime,
        },
      };
    },
  };
}

export function purgeWrites(session: Session): Writes {
  return {
    purgeSpent: (table, before, limit) =>
      session.run(`DELETE FROM ${table} WHERE seq IN (SELECT seq FROM ${table} WHERE ${SPENT_BY[table]} ORDER BY seq LIMIT $2)`, [before, limit]),
  };
}
