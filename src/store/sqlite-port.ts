/**
 * The SQLCipher store file as the core's store port (src/core/store-port.ts). Each
 * operation is one of the table modules' statements; a unit of work is one SQLite
 * transaction (`BEGIN IMMEDIATE` for a write, so every writer of the file is
 * serialized and the audit chain stays one line). Units on one connection run one at
 * a time, in the order they were asked for.
 */
import type { StoredAuditEvent } from '../core/audit/chain.js';
import type { VerifyCounters, VerifyJob, VerifyJobResult } from '../core/audit/verify-job.js';
import type { StoreKey } from '../core/records.js';
import type { BackupFacts, CodeTable, RekeyHooks, StoreFacts, StorePort, StoreReader, StoreTable, StoreWriter, TableRow } from '../core/store-port.js';
import { firstSpendMismatch, ledgerCounts, spentTwice } from './audit-cross-check.js';
import {
  chainBatch,
  firstAuditSeqSince,
  firstSuccessAbout,
  insertAuditEvent,
  lastStoredEvent,
  listAuditEvents,
  seqOfHash,
  storedBytesHashedFrom,
  storedEventAt,
} from './audit-log.js';
import {
  countCaCertificatesWithSubject,
  deleteCaCertificateRow,
  findCaCertificateByFingerprint,
  findCaCertificateById,
  findCaCertificateByName,
  findTrustedCaCertificates,
  insertCaCertificate,
  listCaCertificateRows,
  updateCaCertificateRow,
} from './ca-certificates.js';
import { compactStore, reclaimFreePages, withBulkWriteSettings } from './free-space.js';
import { defaultOrganizationId, existingHmacSecret, setDefaultOrganizationId, setHmacSecret } from './meta.js';
import { clearAttempts, readAttempts, writeAttempts } from './one-time-code-attempts.js';
import {
  authorizeOneTimeCodeRow,
  consumeOneTimeCodeRow,
  countLiveCodes,
  findCodeByDigest,
  findOneTimeCodeById,
  insertOneTimeCode,
  invalidateOneTimeCodeRows,
  listOneTimeCodeRows,
  listShortCandidates,
} from './one-time-codes.js';
import { findOrganization, insertOrganization, listOrganizations } from './organizations.js';
import { PURGEABLE_KINDS, RECORD_KINDS } from './record-kinds.js';
import { replaceStoreKey } from './rekey.js';
import { writeBackup } from './snapshot.js';
import { recordCounts, STORE_FORMAT, storeFileStats } from './store-stats.js';
import { keyOf, Store, type OpenOptions } from './store.js';
import {
  consumeVerificationCodeRow,
  findNewerBoundVerificationCode,
  findVerificationCodeByHmac,
  findVerificationCodeById,
  insertVerificationCode,
  listVerificationCodeRows,
  supersedeBoundVerificationCodes,
} from './verification-codes.js';
import { runVerifyWorker } from './verify-helper.js';
import { WalFlusher } from './wal-flush.js';

/** Options of `openSqliteStore`. */
export interface SqliteOpenOptions {
  /** Create the store when nothing is at the path. */
  create?: boolean;
  /** Runs on a new store before it appears at its path (a default organization, say). */
  initialize?: (store: StorePort) => Promise<void>;
}

/**
 * Opens the store file at `path` (see `Store.open` for creation, migration and the
 * errors), as the core's store port.
 */
export async function openSqliteStore(path: string, key: StoreKey, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
  const { initialize } = options;
  const openOptions: OpenOptions = { create: options.create, initialize: initialize && ((connection) => initialize(new SqliteStore(connection))) };
  return new SqliteStore(await Store.open(path, key, openOptions));
}

/** The operations of a unit of work, each one of the table modules' statements. */
class SqliteUnit implements StoreWriter {
  constructor(private readonly store: Store) {}

  async hmacSecret() {
    return existingHmacSecret(this.store);
  }
  async defaultOrganizationId() {
    return defaultOrganizationId(this.store);
  }
  async findOrganization(id: string) {
    return findOrganization(this.store, id);
  }
  async listOrganizations() {
    return listOrganizations(this.store);
  }

  async findVerificationCodeById(organizationId: string, id: string) {
    return findVerificationCodeById(this.store, organizationId, id);
  }
  async findVerificationCodeByHmac(organizationId: string, codeHmac: Buffer) {
    return findVerificationCodeByHmac(this.store, organizationId, codeHmac);
  }
  async findNewerBoundVerificationCode(row: Parameters<StoreReader['findNewerBoundVerificationCode']>[0]) {
    return findNewerBoundVerificationCode(this.store, row);
  }
  async listVerificationCodes(query: Parameters<StoreReader['listVerificationCodes']>[0]) {
    return listVerificationCodeRows(this.store, query);
  }

  async findCaCertificateById(organizationId: string, id: string) {
    return findCaCertificateById(this.store, organizationId, id);
  }
  async findCaCertificateByName(organizationId: string, name: string) {
    return findCaCertificateByName(this.store, organizationId, name);
  }
  async findCaCertificateByFingerprint(organizationId: string, fingerprint: string) {
    return findCaCertificateByFingerprint(this.store, organizationId, fingerprint);
  }
  async countCaCertificatesWithSubject(organizationId: string, subjectDer: Buffer) {
    return countCaCertificatesWithSubject(this.store, organizationId, subjectDer);
  }
  async listCaCertificates(query: Parameters<StoreReader['listCaCertificates']>[0]) {
    return listCaCertificateRows(this.store, query);
  }
  async findTrustedCaCertificates(organizationId: string, subjectDers: readonly Buffer[]) {
    return findTrustedCaCertificates(this.store, organizationId, subjectDers);
  }

  async findOneTimeCodeById(organizationId: string, id: string) {
    return findOneTimeCodeById(this.store, organizationId, id);
  }
  async findOneTimeCodeByDigest(...args: Parameters<StoreReader['findOneTimeCodeByDigest']>) {
    return findCodeByDigest(this.store, ...args);
  }
  async listShortCandidates(...args: Parameters<StoreReader['listShortCandidates']>) {
    return listShortCandidates(this.store, ...args);
  }
  async countLiveOneTimeCodes(...args: Parameters<StoreReader['countLiveOneTimeCodes']>) {
    return countLiveCodes(this.store, ...args);
  }
  async listOneTimeCodes(query: Parameters<StoreReader['listOneTimeCodes']>[0]) {
    return listOneTimeCodeRows(this.store, query);
  }
  async readAttempts(pair: Parameters<StoreReader['readAttempts']>[0]) {
    return readAttempts(this.store, pair);
  }

  async countRecords(now: number) {
    return Object.fromEntries(RECORD_KINDS.map((kind) => [kind.name, kind.countByStatus(this.store, now)])) as Awaited<ReturnType<StoreReader['countRecords']>>;
  }

  async lastAuditEvent() {
    return lastStoredEvent(this.store);
  }
  async auditLength() {
    return recordCounts(this.store.db, 'audit_events').all ?? 0;
  }
  async auditEventAt(seq: number) {
    return storedEventAt(this.store, seq);
  }
  async listAuditEvents(query: Parameters<StoreReader['listAuditEvents']>[0]) {
    return listAuditEvents(this.store, query);
  }
  async firstAuditSeqSince(at: string) {
    return firstAuditSeqSince(this.store, at);
  }
  async seqOfAuditHash(hash: string) {
    return seqOfHash(this.store, hash);
  }
  async firstSuccessAbout(subject: string, actions: readonly string[]) {
    return firstSuccessAbout(this.store, subject, actions);
  }
  async auditStoredBytesFrom() {
    return storedBytesHashedFrom(this.store);
  }
  async auditChainBatch(fromSeq: number, limit: number) {
    return chainBatch(this.store, fromSeq, limit);
  }
  async firstSpendMismatch(...args: Parameters<StoreReader['firstSpendMismatch']>) {
    return firstSpendMismatch(this.store, ...args);
  }
  async spentTwice(ledger: Parameters<StoreReader['spentTwice']>[0]) {
    return spentTwice(this.store, ledger);
  }
  async ledgerCounts(ledger: Parameters<StoreReader['ledgerCounts']>[0]) {
    return ledgerCounts(this.store, ledger);
  }

  async *exportRows(table: StoreTable, batchSize: number): AsyncIterable<TableRow[]> {
    let batch: TableRow[] = [];
    for (const row of this.store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).iterate() as IterableIterator<TableRow>) {
      batch.push(row);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  async setHmacSecret(secret: Buffer) {
    setHmacSecret(this.store, secret);
  }
  async setDefaultOrganizationId(organizationId: string) {
    setDefaultOrganizationId(this.store, organizationId);
  }
  async insertOrganization(row: Parameters<StoreWriter['insertOrganization']>[0]) {
    insertOrganization(this.store, row);
  }

  async insertVerificationCode(row: Parameters<StoreWriter['insertVerificationCode']>[0]) {
    insertVerificationCode(this.store, row);
  }
  async consumeVerificationCode(organizationId: string, codeHmac: Buffer, now: number) {
    return consumeVerificationCodeRow(this.store, organizationId, codeHmac, now);
  }
  async supersedeBoundVerificationCodes(organizationId: string, certificateId: string, now: number) {
    return supersedeBoundVerificationCodes(this.store, organizationId, certificateId, now);
  }

  async insertCaCertificate(row: Parameters<StoreWriter['insertCaCertificate']>[0]) {
    insertCaCertificate(this.store, row);
  }
  async updateCaCertificate(...args: Parameters<StoreWriter['updateCaCertificate']>) {
    return updateCaCertificateRow(this.store, ...args);
  }
  async deleteCaCertificate(key: Parameters<StoreWriter['deleteCaCertificate']>[0]) {
    return deleteCaCertificateRow(this.store, key);
  }

  async insertOneTimeCode(row: Parameters<StoreWriter['insertOneTimeCode']>[0]) {
    insertOneTimeCode(this.store, row);
  }
  async consumeOneTimeCode(...args: Parameters<StoreWriter['consumeOneTimeCode']>) {
    return consumeOneTimeCodeRow(this.store, ...args);
  }
  async authorizeOneTimeCode(...args: Parameters<StoreWriter['authorizeOneTimeCode']>) {
    return authorizeOneTimeCodeRow(this.store, ...args);
  }
  async invalidateOneTimeCodes(...args: Parameters<StoreWriter['invalidateOneTimeCodes']>) {
    return invalidateOneTimeCodeRows(this.store, ...args);
  }
  async writeAttempts(...args: Parameters<StoreWriter['writeAttempts']>) {
    writeAttempts(this.store, ...args);
  }
  async clearAttempts(pair: Parameters<StoreWriter['clearAttempts']>[0]) {
    clearAttempts(this.store, pair);
  }

  async appendAuditEvent(event: StoredAuditEvent) {
    insertAuditEvent(this.store, event);
  }

  async purgeSpent(table: CodeTable, before: number, limit: number) {
    return PURGEABLE_KINDS.find((kind) => kind.name === table)!.purge(this.store, before, limit);
  }

  async importRows(table: StoreTable, rows: readonly TableRow[]) {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    // A new store already holds its own settings (the audit rule's start, say): the copied store's win.
    const verb = table === 'meta' ? 'INSERT OR REPLACE' : 'INSERT';
    const insert = this.store.prepare(`${verb} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((column) => `@${column}`).join(', ')})`);
    for (const row of rows) insert.run(row);
  }
}

/** An open store file as the core's store port. */
export class SqliteStore implements StorePort {
  readonly kind = 'sqlite' as const;
  private readonly unit: SqliteUnit;
  /** The end of the queue of units waiting for this connection. */
  private queue: Promise<unknown> = Promise.resolve();
  /** During bulk writes: flushes the WAL after each commit (./wal-flush.ts). */
  private walFlusher: WalFlusher | undefined;

  constructor(
    /** The connection, for maintenance work on this file and for tests. */
    readonly connection: Store,
  ) {
    this.unit = new SqliteUnit(connection);
  }

  get location(): string {
    return this.connection.path;
  }
  get keyMode(): StoreKey['mode'] {
    return this.connection.keyMode;
  }
  get readOnly(): boolean {
    return this.connection.readOnly;
  }

  read<T>(work: (tx: StoreReader) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN', work);
  }

  write<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    this.connection.assertWritable();
    return this.inTransaction('BEGIN IMMEDIATE', work);
  }

  async facts(): Promise<StoreFacts> {
    return this.serialized(async () => ({ format: STORE_FORMAT, ...storeFileStats(this.connection) }));
  }

  async backup(out: string): Promise<BackupFacts> {
    return this.serialized(async () => writeBackup(this.connection, out));
  }

  withBulkWrites<T>(work: () => Promise<T>): Promise<T> {
    return withBulkWriteSettings(this.connection, async () => {
      const flusher = new WalFlusher(`${this.connection.path}-wal`);
      this.walFlusher = flusher;
      try {
        return await work();
      } finally {
        this.walFlusher = undefined;
        await flusher.close();
      }
    });
  }

  helpVerify(job: VerifyJob, counters: VerifyCounters): Promise<VerifyJobResult> {
    return runVerifyWorker({ path: this.connection.path, job, counters }, keyOf(this.connection));
  }

  async reclaimSpace(options: { compact: boolean }): Promise<number> {
    return this.serialized(async () => (options.compact ? compactStore(this.connection) : reclaimFreePages(this.connection)));
  }

  rekey(newKey: StoreKey, hooks: RekeyHooks): Promise<void> {
    return this.serialized(() =>
      replaceStoreKey(this.connection, newKey, {
        onStep: hooks.onStep,
        beforeReplace: (copy) => hooks.beforeReplace(new SqliteStore(copy)),
      }),
    );
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    this.connection.close();
  }

  private inTransaction<T>(begin: string, work: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      const db = this.connection.db;
      db.exec(begin);
      try {
        const result = await work(this.unit);
        db.exec('COMMIT');
        this.walFlusher?.flush();
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  /** Runs `task` after every unit asked for before it, so no two share the connection at once. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
