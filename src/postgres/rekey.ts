/**
 * `store rekey` on PostgreSQL: one transaction that locks the audit head (so no write
 * runs meanwhile), writes new key settings (a new salt), re-seals every sealed column
 * and recomputes every blind index under the new keys, checks that every row opens
 * under them, and lets the caller record its audit event on the re-keyed store before
 * committing. A failure anywhere rolls all of it back: the old key keeps working.
 * Processes that opened the store before it hold the old keys; their next unit sees
 * the changed key-check value and stops (see ./store.ts).
 */
import type pg from 'pg';
import type { StoreKey } from '../core/records.js';
import { STORE_TABLES, type RekeyHooks, type StorePort, type StoreTable } from '../core/store-port.js';
import type { Cipher } from './cipher.js';
import type { StoreUrl } from './connection.js';
import { writeKeySettings } from './key-settings.js';
import type { AuditHead } from './operations/audit-log.js';
import { storedBatches } from './operations/table-rows.js';
import { Session } from './session.js';
import type { PinnedUnit } from './store.js';
import { CODECS, decodeRow, encodeRow } from './tables.js';

const BATCH = 500;

/** A store bound to the rekeying transaction, under the new key. */
export type BindStore = (cipher: Cipher, key: StoreKey, pinned: PinnedUnit) => StorePort;

/** Tables with something sealed or indexed under the key. */
const KEYED_TABLES = STORE_TABLES.filter((table) => Object.keys(CODECS[table].sealed).length > 0 || Object.keys(CODECS[table].blind).length > 0);

export async function rekeyStore(client: pg.Client, target: StoreUrl, oldCipher: Cipher, newKey: StoreKey, hooks: RekeyHooks, bind: BindStore): Promise<void> {
  hooks.onStep?.('locking');
  await client.query('BEGIN');
  try {
    const head = (await client.query<AuditHead>('SELECT seq, hash FROM audit_head FOR UPDATE')).rows[0]!;
    hooks.onStep?.('encrypting');
    const newCipher = await writeKeySettings(client, target.location, newKey, true);
    const old = new Session(client, oldCipher, target.location);
    for (const table of KEYED_TABLES) await reseal(old, table, newCipher);
    hooks.onStep?.('verifying');
    const fresh = new Session(client, newCipher, target.location);
    for (const table of KEYED_TABLES) for await (const batch of storedBatches(fresh, table, BATCH)) fresh.decode(table, batch);
    hooks.onStep?.('replacing');
    await hooks.beforeReplace(bind(newCipher, newKey, { session: fresh, head }));
    if ((await client.query('COMMIT')).command === 'ROLLBACK') throw new Error('the rekey transaction failed and was rolled back');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Re-seals `table`'s rows from the old keys (`old`) to `cipher`, row by row, by primary key. */
async function reseal(old: Session, table: StoreTable, cipher: Cipher): Promise<void> {
  const codec = CODECS[table];
  const changing = [...Object.keys(codec.sealed), ...Object.keys(codec.blind)];
  // A key made of blind indexes changes as rows are updated: read them all before, so no row is visited twice.
  const keyed = codec.key.some((column) => column in codec.blind);
  const batches: Array<Array<Record<string, unknown>>> = [];
  if (keyed) for await (const batch of storedBatches(old, table, BATCH)) batches.push(batch);
  const source = keyed ? batches : storedBatches(old, table, BATCH);
  for await (const batch of source) {
    for (const stored of batch) {
      const sealed = encodeRow(codec, decodeRow(codec, stored, old.cipher), cipher);
      const params = [...changing.map((column) => sealed[column] ?? null), ...codec.key.map((column) => stored[column])];
      await old.run(
        `UPDATE ${table} SET ${changing.map((column, i) => `${column} = $${i + 1}`).join(', ')}
         WHERE ${codec.key.map((column, i) => `${column} = $${changing.length + i + 1}`).join(' AND ')}`,
        params,
      );
    }
  }
}
