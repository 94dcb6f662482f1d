/**
 * Holding the codes tables against the audit log (`audit verify`), as the SQLite
 * store does (src/store/audit-cross-check.ts): a code's events name it by its PRN,
 * rebuilt here in SQL from clear columns, so each lookup goes through the (action,
 * outcome, subject) index. What needs sealed values (the user and purpose of an
 * invalidation logged before schema version 5, the counts in purge events) is opened
 * and compared here.
 */
import type { CodeLedger, StoreReader } from '../../core/store-port.js';
import type { Session } from '../session.js';

type Reads = Pick<StoreReader, 'firstSpendMismatch' | 'spentTwice' | 'ledgerCounts'>;

const prnOf = (kind: string): string => `'prn:1:' || c.organization_id || ':${kind}:' || c.id`;
const BATCH = 500;

interface Mismatch {
  seq: number;
  subject: string;
  spent: boolean;
  organization_id: string;
  id: string;
}

export function auditLedgerReads(session: Session): Reads {
  /** Old-style invalidations (one event for a pair, before `legacyBefore`), by organization PRN, user and purpose. */
  const legacyInvalidations = async (legacyBefore: number): Promise<Set<string>> => {
    const events = await session.records<{ organization_id: string; details: string }>(
      'audit_events',
      "SELECT * FROM audit_events WHERE action = 'code.invalidate' AND subject IS NULL AND seq < $1",
      [legacyBefore],
    );
    return new Set(
      events.map((event) => {
        const details = JSON.parse(event.details) as { user_id?: unknown; purpose?: unknown };
        return JSON.stringify([event.organization_id, details.user_id, details.purpose]);
      }),
    );
  };
  const coveredByLegacy = async (mismatch: Mismatch, legacy: Set<string>): Promise<boolean> => {
    const code = await session.record<{ user_id: string; purpose: string }>('one_time_codes', 'SELECT * FROM one_time_codes WHERE seq = $1', [mismatch.seq]);
    return code !== undefined && legacy.has(JSON.stringify([`prn:1:${mismatch.organization_id}`, code.user_id, code.purpose]));
  };
  return {
    firstSpendMismatch: async (ledger, spend, legacyBefore) => {
      const legacyApplies = spend.action === 'code.invalidate' && legacyBefore > 1;
      let legacy: Set<string> | undefined;
      for (let after = 0; ; ) {
        const rows = await session.rows<Mismatch>(
          `SELECT * FROM (
             SELECT c.seq, c.organization_id, c.id, ${prnOf(ledger.kind)} AS subject, c.${spend.column} IS NOT NULL AS spent,
                    EXISTS (SELECT 1 FROM audit_events e WHERE e.action = $1 AND e.outcome = 'success' AND e.subject = ${prnOf(ledger.kind)}) AS logged
             FROM ${ledger.table} c WHERE c.seq > $2) t
           WHERE spent <> logged ORDER BY seq LIMIT $3`,
          [spend.action, after, BATCH],
        );
        for (const row of rows) {
          if (row.spent && legacyApplies && (await coveredByLegacy(row, (legacy ??= await legacyInvalidations(legacyBefore))))) continue;
          return { subject: row.subject, spent: row.spent ? 1 : 0 };
        }
        if (rows.length < BATCH) return undefined;
        after = rows[rows.length - 1]!.seq;
      }
    },
    spentTwice: (ledger) =>
      session.row<{ subject: string; first: number; last: number }>(
        `SELECT subject, min(seq) AS first, max(seq) AS last FROM audit_events
         WHERE subject IS NOT NULL AND action = ANY ($1) AND outcome = 'success'
         GROUP BY subject HAVING count(*) > 1 ORDER BY first LIMIT 1`,
        [ledger.spends.map((spend) => spend.action)],
      ),
    ledgerCounts: async (ledger: CodeLedger) => {
      const counts = await session.row<{ issued: number; present: number }>(
        `SELECT (SELECT count(*) FROM audit_events WHERE action = $1 AND outcome = 'success' AND subject IS NOT NULL) AS issued,
                (SELECT coalesce(sum(n), 0) FROM record_counts WHERE kind = $2) AS present`,
        [ledger.create, ledger.table],
      );
      const purges = await session.records<{ details: string }>(
        'audit_events',
        "SELECT * FROM audit_events WHERE action = 'store.purge' AND outcome = 'success'",
      );
      const purged = purges.reduce((sum, event) => {
        const removed = (JSON.parse(event.details) as { removed?: Record<string, unknown> }).removed?.[ledger.table];
        return sum + (typeof removed === 'number' ? removed : 0);
      }, 0);
      return { issued: counts!.issued, present: counts!.present, purged };
    },
  };
}
