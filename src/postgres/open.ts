/**
 * Opening a PostgreSQL store: connect, find the schema, prove the key, migrate. The key
 * is proven before anything is written, so a wrong key changes nothing. A new store is
 * made in one transaction (schema, key settings, and the caller's `initialize`): a
 * failure anywhere leaves the database as it was.
 */
import type pg from 'pg';
import { GENESIS_HASH } from '../core/audit/chain.js';
import type { StoreKey } from '../core/records.js';
import type { StorePort } from '../core/store-port.js';
import { connect, parseStoreUrl, type StoreUrl } from './connection.js';
import { unlockStore, writeKeySettings } from './key-settings.js';
import { cannotCreate, needsUpgrade, noStore, notAStore } from './open-errors.js';
import { markStoredBytesFrom } from './operations/settings.js';
import { foreignTableCount, migrate, POSTGRES_SCHEMA_VERSION, schemaVersion } from './schema.js';
import { Session } from './session.js';
import { PostgresStore } from './store.js';

/** Options of `openPostgresStore`. */
export interface PostgresOpenOptions {
  /** Create the store when the database holds none (it must hold no other tables). */
  create?: boolean;
  /** Runs on a new store, inside the transaction that creates it. */
  initialize?: (store: StorePort) => Promise<void>;
}

const INSUFFICIENT_PRIVILEGE = '42501';

/** Serializes creators of a store in one database (any fixed number, the same for every vericode). */
const CREATE_LOCK = 0x7665726963;

/**
 * Opens the store in the database `url` names (`postgres://` or `postgresql://`).
 * @throws StoreError `store_locked` when the server cannot be reached or refuses the
 * login, the database or the store is missing (without `create`), or the key is wrong;
 * `store_corrupt` when the database holds something else or a newer schema.
 */
export async function openPostgresStore(url: string, key: StoreKey, options: PostgresOpenOptions = {}): Promise<StorePort> {
  const target = parseStoreUrl(url);
  const client = await connect(target);
  try {
    if ((await schemaVersion(client)) === 0) {
      if (!options.create) throw noStore(target.location);
      const created = await createStore(client, target, key, options.initialize);
      if (created) return created;
    }
    const cipher = await unlockStore(client, target.location, key);
    const readOnly = await isReadOnly(client);
    if (!readOnly) await migrate(client, target.location);
    else if ((await schemaVersion(client)) < POSTGRES_SCHEMA_VERSION) throw needsUpgrade(target.location);
    return new PostgresStore(client, target, key, cipher, readOnly);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}

/**
 * Makes the store in one transaction; undefined when another process made it while
 * this one waited for the creation lock (the caller then opens that one).
 */
async function createStore(client: pg.Client, target: StoreUrl, key: StoreKey, initialize: PostgresOpenOptions['initialize']): Promise<StorePort | undefined> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
    if ((await schemaVersion(client)) > 0) {
      await client.query('ROLLBACK');
      return undefined;
    }
    if ((await foreignTableCount(client)) > 0) throw notAStore(target.location);
    await migrate(client, target.location, { inTransaction: true });
    const cipher = await writeKeySettings(client, target.location, key, false);
    await client.query('SELECT seq FROM audit_head FOR UPDATE');
    const session = new Session(client, cipher, target.location);
    await markStoredBytesFrom(session);
    const store = new PostgresStore(client, target, key, cipher, false, { session, head: { seq: 0, hash: GENESIS_HASH } });
    await initialize?.(store);
    store.unpin();
    await client.query('COMMIT');
    return store;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    if ((error as { code?: string }).code === INSUFFICIENT_PRIVILEGE) throw cannotCreate(target.location, error);
    throw error;
  }
}

/** True when this connection cannot write: a standby, a read-only default, or a role without rights on the tables. */
async function isReadOnly(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ read_only: boolean }>(
    "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' OR NOT has_table_privilege('audit_head', 'UPDATE') AS read_only",
  );
  return result.rows[0]!.read_only;
}
