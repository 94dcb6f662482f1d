/**
 * A store in a PostgreSQL database, through one connection.
 *
 * Units of work: `read` is one `REPEATABLE READ READ ONLY` transaction, a single
 * snapshot. `write` is one transaction that first locks the audit log's head row
 * (`SELECT … FOR UPDATE`), so writers in every process on every machine take turns:
 * each sees everything committed before it, its conditional updates (consume) decide
 * against that, and its audit events continue the chain where the last writer left it.
 * Both check that the store's key-check value is still the one this connection's keys
 * make: after a `store rekey` elsewhere, a process holding the old keys stops instead
 * of writing under them.
 *
 * While a store is created or rekeyed, its units run inside that one transaction
 * (`pinned`), so a failure there leaves nothing behind.
 */
import type pg from 'pg';
import { StoreError } from '../core/errors.js';
import type { StoreKey } from '../core/records.js';
import type { BackupFacts, RekeyHooks, StoreFacts, StorePort, StoreReader, StoreWriter } from '../core/store-port.js';
import type { Cipher } from './cipher.js';
import { connectionLost, isConnectionError, isLockTimeout, storeBusy, type StoreUrl } from './connection.js';
import { backupToSqlite } from './backup.js';
import { bulkWrites, reclaimSpace, storeFacts } from './maintenance.js';
import { keyChanged, readOnlyStore } from './open-errors.js';
import type { AuditHead } from './operations/audit-log.js';
import { rekeyStore } from './rekey.js';
import { Session } from './session.js';
import { readerOn, writerOn } from './units.js';

/** A transaction the store's units run inside (creation, rekey), with its locked head. */
export interface PinnedUnit {
  session: Session;
  head: AuditHead;
}

export class PostgresStore implements StorePort {
  readonly kind = 'postgres' as const;
  private queue: Promise<unknown> = Promise.resolve();
  // Private fields (#), which no dump or log of the object shows: the key, the subkeys, the password.
  readonly #client: pg.Client;
  readonly #target: StoreUrl;
  readonly #key: StoreKey;
  readonly #cipher: Cipher;
  #pinned: PinnedUnit | undefined;

  constructor(
    client: pg.Client,
    target: StoreUrl,
    key: StoreKey,
    cipher: Cipher,
    readonly readOnly: boolean,
    pinned?: PinnedUnit,
  ) {
    this.#client = client;
    this.#target = target;
    this.#key = key;
    this.#cipher = cipher;
    this.#pinned = pinned;
  }

  get location(): string {
    return this.#target.location;
  }

  get keyMode(): StoreKey['mode'] {
    return this.#key.mode;
  }

  /** Stops running units inside the creating or rekeying transaction. */
  unpin(): void {
    this.#pinned = undefined;
  }

  read<T>(work: (tx: StoreReader) => Promise<T>): Promise<T> {
    if (this.#pinned) return work(readerOn(this.#pinned.session));
    return this.exclusive(() =>
      this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (session) => {
        const row = await session.row<{ key_check: string }>("SELECT value AS key_check FROM settings WHERE key = 'key_check'");
        this.assertSameKey(row?.key_check);
        return work(readerOn(session));
      }),
    );
  }

  write<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    if (this.readOnly) return Promise.reject(readOnlyStore(this.location));
    if (this.#pinned) return this.savepoint(this.#pinned, work);
    return this.exclusive(() =>
      this.transaction('BEGIN', async (session) => {
        const head = await session.row<AuditHead & { key_check: string }>(
          "SELECT h.seq, h.hash, s.value AS key_check FROM audit_head h, settings s WHERE s.key = 'key_check' FOR UPDATE OF h",
        );
        this.assertSameKey(head?.key_check);
        return work(writerOn(session, { seq: head!.seq, hash: head!.hash }));
      }),
    );
  }

  facts(): Promise<StoreFacts> {
    return this.exclusive(() => this.guard(() => storeFacts(this.#client)));
  }

  backup(out: string): Promise<BackupFacts> {
    return backupToSqlite(this, out, this.#key);
  }

  withBulkWrites<T>(work: () => Promise<T>): Promise<T> {
    return bulkWrites((sql) => this.exclusive(() => this.#client.query(sql)), work);
  }

  reclaimSpace(options: { compact: boolean }): Promise<number> {
    return this.exclusive(() => this.guard(() => reclaimSpace(this.#client, options.compact)));
  }

  async rekey(newKey: StoreKey, hooks: RekeyHooks): Promise<void> {
    try {
      if (this.readOnly) throw readOnlyStore(this.location);
      await this.exclusive(() =>
        this.guard(() =>
          rekeyStore(
            this.#client,
            this.#target,
            this.#cipher,
            newKey,
            hooks,
            (cipher, key, pinned) => new PostgresStore(this.#client, this.#target, key, cipher, false, pinned),
          ),
        ),
      );
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.#client.end().catch(() => {});
  }

  private session(): Session {
    return new Session(this.#client, this.#cipher, this.location);
  }

  private assertSameKey(storedCheck: string | undefined): void {
    if (storedCheck !== this.#cipher.check) throw keyChanged(this.location);
  }

  /** One unit at a time on the connection, in the order they were asked for. */
  private exclusive<T>(unit: () => Promise<T>): Promise<T> {
    const result = this.queue.then(unit, unit);
    this.queue = result.catch(() => {});
    return result;
  }

  /** Runs `work` in a transaction begun with `begin`, and commits it; rolls back on any failure. */
  private async transaction<T>(begin: string, work: (session: Session) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      await this.#client.query(begin);
      try {
        const result = await work(this.session());
        // COMMIT of a transaction a failed statement aborted rolls back, and says so.
        if ((await this.#client.query('COMMIT')).command === 'ROLLBACK') throw new Error('the transaction failed and was rolled back');
        return result;
      } catch (error) {
        await this.#client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  }

  /** A write unit inside the pinned transaction: all of it, or (rolled back to its savepoint) none. */
  private async savepoint<T>(pinned: PinnedUnit, work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    const head = { ...pinned.head };
    await this.#client.query('SAVEPOINT unit');
    try {
      const result = await work(writerOn(pinned.session, pinned.head));
      await this.#client.query('RELEASE SAVEPOINT unit');
      return result;
    } catch (error) {
      await this.#client.query('ROLLBACK TO SAVEPOINT unit');
      Object.assign(pinned.head, head);
      throw error;
    }
  }

  /** A lost connection or a lock waited for too long becomes the error users act on; other errors pass. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isLockTimeout(error)) throw storeBusy(this.#target, error);
      if (error instanceof StoreError || !isConnectionError(error)) throw error;
      throw connectionLost(this.#target, error, this.#client);
    }
  }
}
