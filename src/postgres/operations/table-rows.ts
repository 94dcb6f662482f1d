/**
 * Whole tables, decrypted, in the SQLite store's columns: what `store migrate` and
 * `store backup` carry between stores. Export pages by primary key, so a batch costs
 * the same at the end of a large table as at its start.
 */
import { StoreError } from '../../core/errors.js';
import type { StoreReader, StoreTable, StoreWriter, TableRow } from '../../core/store-port.js';
import type { Session } from '../session.js';
import { CODECS } from '../tables.js';
import type { AuditHead } from './audit-log.js';

/** Tables whose seq PostgreSQL assigns: after an import, it continues above the rows imported. */
const GENERATED_SEQ: readonly StoreTable[] = ['ca_certificates', 'verification_codes', 'one_time_codes'];

/** Every stored row of `table`, in key order, `batchSize` at a time (stored, not decoded). */
export async function* storedBatches(session: Session, table: StoreTable, batchSize: number): AsyncGenerator<Array<Record<string, unknown>>> {
  const key = CODECS[table].key;
  let after: unknown[] | undefined;
  for (;;) {
    const where = after === undefined ? '' : `WHERE (${key.join(', ')}) > (${key.map((_, i) => `$${i + 2}`).join(', ')})`;
    const batch = await session.rows(`SELECT * FROM ${table} ${where} ORDER BY ${key.join(', ')} LIMIT $1`, [batchSize, ...(after ?? [])]);
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = key.map((column) => last[column]);
  }
}

export function tableRowReads(session: Session): Pick<StoreReader, 'exportRows'> {
  return {
    exportRows: (table, batchSize) => ({
      async *[Symbol.asyncIterator]() {
        for await (const batch of storedBatches(session, table, batchSize)) yield session.decode<TableRow>(table, batch);
      },
    }),
  };
}

/** Imports into a write unit whose log head is `head` (moved to the last imported event). */
export function tableRowWrites(session: Session, head: AuditHead): Pick<StoreWriter, 'importRows'> {
  return {
    importRows: async (table, rows) => {
      // A column this store does not keep (a newer store's) would be dropped without a word: refuse it.
      const unknown = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((column) => !CODECS[table].columns.includes(column));
      if (unknown.length > 0)
        throw new StoreError(
          'store_corrupt',
          `cannot import ${table}: this store has no column ${unknown.join(', ')}`,
          'copy with a vericode as new as the one that wrote the source store',
        );
      // A new store already holds its own settings (the audit rule's start, say): the copied store's win, as in SQLite.
      if (table === 'meta') await session.run('DELETE FROM meta WHERE key = ANY ($1)', [rows.map((row) => row.key)]);
      await session.insert(table, rows);
      if (GENERATED_SEQ.includes(table)) {
        await session.run(`SELECT setval(pg_get_serial_sequence('${table}', 'seq'), coalesce(max(seq), 0) + 1, false) FROM ${table}`);
      }
      if (table === 'audit_events') {
        const last = await session.row<AuditHead>('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
        if (last !== undefined) {
          await session.run('UPDATE audit_head SET seq = $1, hash = $2', [last.seq, last.hash]);
          Object.assign(head, last);
        }
      }
    },
  };
}
