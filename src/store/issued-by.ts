/**
 * Where `store purge` may stop scanning a codes table. Codes are numbered (seq) in
 * the order they are issued, so their issue times rise with seq, and a code issued
 * after the cut-off cannot have been consumed, invalidated or expired before it: the
 * purge's scan ends at the last code issued by the cut-off instead of reading the
 * rest of the table to find nothing (about a second at a million codes).
 */
import type { CodeTable } from '../core/store-port.js';
import type { Store } from './store.js';

/**
 * The last seq of `table` whose code was issued at or before `before` (0 when none),
 * by binary search over seq, about 20 lookups at a million codes. Had the clock
 * stepped back while codes were issued, the bound may fall short of some code that
 * could go, which a later purge removes; it never lets one go that must stay, as the
 * purge still checks every row it deletes.
 */
export function lastSeqIssuedBy(store: Store, table: CodeTable, before: number): number {
  const { first, last } = store.prepare(`SELECT min(seq) AS first, max(seq) AS last FROM ${table}`).get() as { first: number | null; last: number | null };
  const atOrAfter = store.prepare(`SELECT seq, created_at FROM ${table} WHERE seq >= ? ORDER BY seq LIMIT 1`);
  if (first === null || last === null) return 0;
  const firstRow = atOrAfter.get(first) as { seq: number; created_at: number };
  if (firstRow.created_at > before) return 0;
  // Invariant: the row at `low` was issued by `before`; none after `high` is known to be.
  let low = first;
  let high = last;
  while (low < high) {
    const middle = low + Math.ceil((high - low) / 2);
    const row = atOrAfter.get(middle) as { seq: number; created_at: number } | undefined;
    if (row !== undefined && row.seq <= high && row.created_at <= before) low = row.seq;
    else high = middle - 1;
  }
  return low;
}
