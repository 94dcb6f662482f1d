/**
 * One connection inside a unit of work: SQL with parameters, and rows through the
 * table codecs (./tables.ts) so that operations read and write records, never
 * ciphertexts.
 */
import type { ClientBase, QueryResultRow } from 'pg';
import type { StoreTable, TableRow } from '../core/store-port.js';
import type { Cipher } from './cipher.js';
import { CODECS, decodeRow, encodeRow } from './tables.js';

/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

export class Session {
  constructor(
    readonly client: ClientBase,
    readonly cipher: Cipher,
    readonly location: string,
  ) {}

  async rows<T extends QueryResultRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params as unknown[])).rows;
  }

  async row<T extends QueryResultRow = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, params))[0];
  }

  /** How many rows a statement changed. */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return (await this.client.query(sql, params as unknown[])).rowCount ?? 0;
  }

  /** Stored rows of `table` as records (of type `T`). */
  decode<T>(table: StoreTable, stored: readonly Record<string, unknown>[]): T[] {
    return stored.map((row) => decodeRow(CODECS[table], row, this.cipher) as T);
  }

  /** Runs `sql` (selecting or returning whole rows of `table`) and decodes what it returns. */
  async records<T>(table: StoreTable, sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.decode<T>(table, await this.rows(sql, params));
  }

  async record<T>(table: StoreTable, sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.records<T>(table, sql, params))[0];
  }

  /** Inserts records into `table`, sealed and indexed, in as few statements as the parameter limit allows. */
  async insert(table: StoreTable, records: readonly TableRow[]): Promise<void> {
    if (records.length === 0) return;
    const stored = records.map((record) => encodeRow(CODECS[table], record, this.cipher));
    const columns = [...new Set(stored.flatMap((row) => Object.keys(row)))];
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    for (let start = 0; start < stored.length; start += perStatement) {
      const batch = stored.slice(start, start + perStatement);
      const params: unknown[] = [];
      const tuples = batch.map(
        (row) =>
          `(${columns
            .map((column) => {
              params.push(row[column] ?? null);
              return `$${params.length}`;
            })
            .join(', ')})`,
      );
      await this.client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  }
}
