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
 * kind, of its organization, user and purpose, written before `legacyBefore`. These
 * are the keys (as `legacyKey` builds them) of those events.
 */
function legacyInvalidations(store: Store, legacyBefore: number): Set<string> {
  const rows = store
    .prepare(
      `SELECT organization_id, json_extract(details, '$.user_id'), json_extract(details, '$.purpose') FROM audit_events
       WHERE action = 'code.invalidate' AND subject IS NULL AND seq < ?`,
    )
    .raw()
    .all(legacyBefore) as unknown[][];
  return new Set(rows.map((row) => JSON.stringify(row)));
}

/** The key of a legacy invalidation event about a code of this organization, user and purpose (JSON keeps a number apart from a string). */
const legacyKey = (organizationId: string, userId: string, purpose: string): string => JSON.stringify([`prn:1:${organizationId}`, userId, purpose]);

/**
 * The first code whose table state disagrees with the log about `spend`: spent in the
 * table without a successful `spend.action` event about it, or not spent although the
 * log holds one (see `legacyInvalidations` for invalidations before `legacyBefore`).
 *
 * The subjects of the spending events (one range of the (action, outcome, subject)
 * index, already in order) are copied into a temporary table in memory, then SQLite
 * holds the codes table against it in seq order: nothing crosses into JavaScript but
 * the disagreements. Probing the encrypted index once per code decrypted a page for
 * nearly every probe; a JavaScript set of the subjects cost a string per code and per
 * event. The temporary table takes about 110 bytes per spent code (55 MB at half a million).
 */
export function firstSpendMismatch(store: Store, ledger: CodeLedger, spend: CodeLedger['spends'][number], legacyBefore: number): SpendMismatch | undefined {
  const legacy = spend.action === 'code.invalidate' ? legacyInvalidations(store, legacyBefore) : undefined;
  const db = store.db;
  // Every page of the temporary table stays in memory (temp_store=MEMORY): a cache that
  // holds them all keeps the probes of codes in random id order from thrashing it.
  const cacheSize = db.pragma('temp.cache_size', { simple: true }) as number;
  db.pragma('temp.cache_size = -262144');
  db.exec('CREATE TEMP TABLE spend_subjects (subject TEXT PRIMARY KEY) WITHOUT ROWID');
  try {
    db.prepare(
      // A subject spent twice is one entry here; spentTwice names it.
      "INSERT OR IGNORE INTO temp.spend_subjects SELECT subject FROM audit_events WHERE action = ? AND outcome = 'success' AND subject IS NOT NULL ORDER BY subject",
    ).run(spend.action);
    const disagreements = db
      .prepare(
        `SELECT ${prnOf(ledger.kind)} AS subject, c.${spend.column} IS NOT NULL AS spent${legacy ? ', c.organization_id, c.user_id, c.purpose' : ''}
         FROM ${ledger.table} c
         WHERE (c.${spend.column} IS NOT NULL) IS NOT EXISTS (SELECT 1 FROM temp.spend_subjects l WHERE l.subject = ${prnOf(ledger.kind)})
         ORDER BY c.seq`,
      )
      .raw()
      .iterate() as IterableIterator<[string, 0 | 1, string?, string?, string?]>;
    for (const [subject, spent, organizationId, userId, purpose] of disagreements) {
      if (spent === 1 && legacy?.has(legacyKey(organizationId!, userId!, purpose!))) continue;
      return { subject, spent };
    }
    return undefined;
  } finally {
    db.exec('DROP TABLE temp.spend_subjects');
    db.pragma(`temp.cache_size = ${cacheSize}`);
  }
}

/** The first code the log says was spent more than once, with its first and last spending events. */
export function spentTwice(store: Store, ledger: CodeLedger): { subject: string; first: number; last: number } | undefined {
  const actions = ledger.spends.map((spend) => spend.action);
  return store
    .prepare(
      `SELECT subject, min(seq) AS first, max(seq) AS last FROM audit_events
       WHERE subject IS NOT NULL AND action IN (${actions.map(() => '?').join(', ')}) AND outcome = 'success'
       GROUP BY subject HAVING count(*) > 1 ORDER BY first LIMIT 1`,
    )
    .get(...actions) as { subject: string; first: number; last: number } | undefined;
}

/** Codes issued according to the log, codes in the table, and codes `store purge` removed from it. */
export function ledgerCounts(store: Store, ledger: CodeLedger): { issued: number; present: number; purged: number } {
  return store
    .prepare(
      // Issue events always name the code; saying so lets the partial index answer.
      `SELECT (SELECT count(*) FROM audit_events WHERE action = @create AND outcome = 'success' AND subject IS NOT NULL) AS issued,
              (SELECT count(*) FROM ${ledger.table}) AS present,
              (SELECT coalesce(sum(json_extract(details, '$.removed.${ledger.table}')), 0) FROM audit_events WHERE action = 'store.purge' AND outcome = 'success') AS purged`,
    )
    .get({ create: ledger.create }) as { issued: number; present: number; purged: number };
}
