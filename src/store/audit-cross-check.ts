/**
 * Queries that hold the codes tables against the audit log, for `audit verify`.
 * A code's events name it by its PRN, `prn:1:<organization id>:<kind>:<id>` (see
 * src/core/prn.ts), which these queries rebuild in SQL so that every lookup goes
 * through the (action, outcome, subject) index of audit_events.
 */
import type { CodeLedger, SpendMismatch } from '../core/store-port.js';
import type { Store } from './store.js';

const prnOf = (kind: string): string => `'prn:1:' || c.organization_id || ':${kind}:' || c.id`;

/**
 * Before schema version 5 an invalidation was one event for the (user, purpose),
 * without the codes it invalidated: such a code is accounted for by an event of that
 * kind, of its organization, user and purpose, written before `legacyBefore`.
 */
const LEGACY_INVALIDATION = `c.invalidated_at IS NOT NULL AND EXISTS (
  SELECT 1 FROM audit_events e WHERE e.action = 'code.invalidate' AND e.subject IS NULL AND e.seq < @legacyBefore
    AND e.organization_id = 'prn:1:' || c.organization_id
    AND json_extract(e.details, '$.user_id') = c.user_id AND json_extract(e.details, '$.purpose') = c.purpose)`;

/**
 * The first code whose table state disagrees with the log about `spend`: spent in the
 * table without a successful `spend.action` event about it, or not spent although the
 * log holds one (see LEGACY_INVALIDATION for invalidations before `legacyBefore`). One
 * pass over the table with one index probe per code.
 */
export function firstSpendMismatch(store: Store, ledger: CodeLedger, spend: CodeLedger['spends'][number], legacyBefore: number): SpendMismatch | undefined {
  const legacy = spend.action === 'code.invalidate' ? LEGACY_INVALIDATION : '0';
  return store.db
    .prepare(
      `SELECT ${prnOf(ledger.kind)} AS subject, c.${spend.column} IS NOT NULL AS spent,
              EXISTS (SELECT 1 FROM audit_events e WHERE e.action = @action AND e.outcome = 'success' AND e.subject = ${prnOf(ledger.kind)}) AS logged
       FROM ${ledger.table} c
       WHERE spent != logged AND NOT (spent AND ${legacy})
       ORDER BY c.seq LIMIT 1`,
    )
    .get(spend.action === 'code.invalidate' ? { action: spend.action, legacyBefore } : { action: spend.action }) as SpendMismatch | undefined;
}

/** The first code the log says was spent more than once, with its first and last spending events. */
export function spentTwice(store: Store, ledger: CodeLedger): { subject: string; first: number; last: number } | undefined {
  const actions = ledger.spends.map((spend) => spend.action);
  return store.db
    .prepare(
      `SELECT subject, min(seq) AS first, max(seq) AS last FROM audit_events
       WHERE subject IS NOT NULL AND action IN (${actions.map(() => '?').join(', ')}) AND outcome = 'success'
       GROUP BY subject HAVING count(*) > 1 ORDER BY first LIMIT 1`,
    )
    .get(...actions) as { subject: string; first: number; last: number } | undefined;
}

/** Codes issued according to the log, codes in the table, and codes `store purge` removed from it. */
export function ledgerCounts(store: Store, ledger: CodeLedger): { issued: number; present: number; purged: number } {
  return store.db
    .prepare(
      // Issue events always name the code; saying so lets the partial index answer.
      `SELECT (SELECT count(*) FROM audit_events WHERE action = @create AND outcome = 'success' AND subject IS NOT NULL) AS issued,
              (SELECT count(*) FROM ${ledger.table}) AS present,
              (SELECT coalesce(sum(json_extract(details, '$.removed.${ledger.table}')), 0) FROM audit_events WHERE action = 'store.purge' AND outcome = 'success') AS purged`,
    )
    .get({ create: ledger.create }) as { issued: number; present: number; purged: number };
}
