/**
 * What the core needs from storage, owned by the core: every store adapter (the
 * SQLCipher file in src/store, PostgreSQL in src/postgres) implements `StorePort`.
 * The core never imports an adapter; the CLI opens one and passes it in.
 *
 * Work runs in units: `read` sees one consistent snapshot, `write` commits all of its
 * operations or none. Each adapter makes a unit atomic its own way (SQLite: one
 * `BEGIN IMMEDIATE` transaction; PostgreSQL: one transaction that first locks the
 * audit log's head, so appends stay one chain across processes and machines). Every
 * operation returns a promise, so a networked store fits.
 *
 * Adapters only store and query. The domain computations stay in the core: the code
 * HMAC, the audit chain's hashes, which state a code is in.
 */
import type { StoredAuditEvent } from './audit/chain.js';
import type { VerifyCounters, VerifyJob, VerifyJobResult } from './audit/verify-job.js';
import type {
  AttemptState,
  CaCertificateChanges,
  CaCertificateKey,
  CaCertificateRow,
  CodePair,
  Instant,
  OneTimeCodeCandidate,
  OneTimeCodeRow,
  OneTimeCodeStatusFilter,
  OneTimeCodeType,
  OrganizationRow,
  StoreKey,
  VerificationCodeRow,
  VerificationCodeStatusFilter,
} from './records.js';

/** The kinds of store there are. */
export type StoreKind = 'sqlite' | 'postgres';

/** The kinds of code records `store purge` trims, in the order it trims them. */
export const CODE_TABLES = ['verification_codes', 'one_time_codes'] as const;
export type CodeTable = (typeof CODE_TABLES)[number];

/** Every kind of record a store holds, as `store info` lists them. */
export type RecordKindName = 'ca_certificates' | CodeTable;

/** Each table a whole-store copy (`store migrate`) carries, in the order it copies them. */
export const STORE_TABLES = [
  'meta',
  'organizations',
  'ca_certificates',
  'verification_codes',
  'one_time_codes',
  'one_time_code_attempts',
  'audit_events',
] as const;
export type StoreTable = (typeof STORE_TABLES)[number];

/** One row of a table as a whole-store copy moves it: every column, decrypted, bytes as Buffers. */
export type TableRow = Record<string, string | number | Buffer | null>;

/** A query for a page of verification codes, newest first, continuing below `beforeSeq`. */
export interface VerificationCodeQuery {
  organizationId: string;
  status: VerificationCodeStatusFilter;
  now: number;
  /** At most `limit + 1` rows come back, so the caller can tell whether a next page exists. */
  limit: number;
  beforeSeq?: number;
}

/**
 * A query for a page of CAs, newest first (continuing below `cursorSeq`) or, with
 * `order: 'asc'`, oldest first (continuing above it). `search` matches a case-insensitive
 * substring of the name, subject, description or fingerprint, literally.
 */
export interface CaCertificateQuery {
  organizationId: string;
  search?: string;
  limit: number;
  cursorSeq?: number;
  order?: 'asc' | 'desc';
}

/** A query for a page of one-time codes, newest first, continuing below `beforeSeq`. */
export interface OneTimeCodeQuery {
  organizationId: string;
  userId?: string;
  purpose?: string;
  status: OneTimeCodeStatusFilter;
  now: number;
  limit: number;
  beforeSeq?: number;
}

/** Filters for listing audit events; all optional. */
export interface AuditQuery {
  sinceAt?: string;
  /** An action, or an action family (`verification_code` matches `verification_code.create`). */
  action?: string;
  afterSeq?: number;
  beforeSeq?: number;
  /** Chain order (`asc`, the default) or newest first (`desc`). */
  order?: 'asc' | 'desc';
  limit?: number;
}

/** How one codes table is held against the audit log (see src/core/audit/cross-check.ts). */
export interface CodeLedger {
  table: CodeTable;
  /** The PRN kind of its codes. */
  kind: 'ca_verification_code' | 'code';
  /** The action of a successful issue. */
  create: string;
  /** The actions that spend a code, each with the column it sets. */
  spends: ReadonlyArray<{ action: string; column: 'consumed_at' | 'invalidated_at' }>;
}

/** A code whose state and log disagree: spent without its event, or its event without being spent. */
export interface SpendMismatch {
  subject: string;
  /** 1 when the table shows the code spent, 0 when not. */
  spent: 0 | 1;
}

/**
 * One event as the chain verifier reads it: `[hash, prev_hash followed by the event's
 * canonical JSON]`, the text null when its details are not valid JSON. Events come in
 * seq order; a missing one shows as a link that does not follow (its successor's
 * prev_hash), so the seq itself is not read.
 */
export type ChainLink = [string, string | null];

/** What the store is and how big, for `store info`. The optional fields are the SQLite file's. */
export interface StoreFacts {
  /** `sqlcipher-4` for a store file; `postgres-aes-256-gcm` for PostgreSQL. */
  format: string;
  schema_version: number;
  size_bytes: number;
  /** Space a purge freed that the store reuses before it grows. */
  free_bytes: number;
  organizations: number;
  page_size?: number;
  wal_bytes?: number;
  auto_vacuum?: 'none' | 'full' | 'incremental';
}

/** What a backup holds, read back from the copy itself. */
export interface BackupFacts {
  bytes: number;
  audit_events: number;
  audit_head_hash: string;
}

/** The stages of a rekey, reported as they start. */
export type RekeyStep = 'locking' | 'copying' | 'encrypting' | 'verifying' | 'replacing';

/** What the caller does during a rekey. */
export interface RekeyHooks {
  onStep?: (step: RekeyStep) => void;
  /** Runs on the re-encrypted store before it takes the old one's place: record the audit event here. */
  beforeReplace: (copy: StorePort) => Promise<void>;
}

/** The reads a unit of work can make. */
export interface StoreReader {
  /** The 32-byte secret code HMACs are keyed with, or undefined before any write created it. */
  hmacSecret(): Promise<Buffer | undefined>;
  defaultOrganizationId(): Promise<string | undefined>;

  findOrganization(id: string): Promise<OrganizationRow | undefined>;
  /** Every organization, oldest first. */
  listOrganizations(): Promise<OrganizationRow[]>;

  findVerificationCodeById(organizationId: string, id: string): Promise<VerificationCodeRow | undefined>;
  findVerificationCodeByHmac(organizationId: string, codeHmac: Buffer): Promise<VerificationCodeRow | undefined>;
  /** The first code bound to the same CA as `row` and issued after it: the code that superseded it. */
  findNewerBoundVerificationCode(row: Pick<VerificationCodeRow, 'organization_id' | 'certificate_id' | 'seq'>): Promise<VerificationCodeRow | undefined>;
  listVerificationCodes(query: VerificationCodeQuery): Promise<VerificationCodeRow[]>;

  findCaCertificateById(organizationId: string, id: string): Promise<CaCertificateRow | undefined>;
  findCaCertificateByName(organizationId: string, name: string): Promise<CaCertificateRow | undefined>;
  findCaCertificateByFingerprint(organizationId: string, fingerprint: string): Promise<CaCertificateRow | undefined>;
  countCaCertificatesWithSubject(organizationId: string, subjectDer: Buffer): Promise<number>;
  /** At most `limit + 1` rows (see `CaCertificateQuery`). */
  listCaCertificates(query: CaCertificateQuery): Promise<CaCertificateRow[]>;
  /**
   * The verified, active CAs named by one of `subjectDers` (the issuer names of a
   * chain), oldest first: an indexed lookup whose cost does not grow with the number of CAs.
   */
  findTrustedCaCertificates(organizationId: string, subjectDers: readonly Buffer[]): Promise<Array<{ id: string; der: Buffer }>>;

  findOneTimeCodeById(organizationId: string, id: string): Promise<OneTimeCodeRow | undefined>;
  /** The long or phrase code of the pair whose HMAC is `digest`, whatever its state. */
  findOneTimeCodeByDigest(pair: CodePair, type: OneTimeCodeType, digest: Buffer): Promise<OneTimeCodeCandidate | undefined>;
  /** Short codes of the pair created after `since`: the live ones first, then the newest others, at most `limit`. */
  listShortCandidates(pair: CodePair, query: { now: number; since: number; limit: number }): Promise<OneTimeCodeCandidate[]>;
  /** How many codes of the pair and type are unspent and unexpired at `now`. */
  countLiveOneTimeCodes(pair: CodePair, type: OneTimeCodeType, now: number): Promise<number>;
  /** At most `limit + 1` rows (see `OneTimeCodeQuery`). */
  listOneTimeCodes(query: OneTimeCodeQuery): Promise<OneTimeCodeRow[]>;
  /** The pair's failures and lock; no failures and no lock when never recorded. */
  readAttempts(pair: CodePair): Promise<AttemptState>;

  /** Counts of each kind of record by derived status at `now`, from kept counters and indexes (no scan). */
  countRecords(now: number): Promise<Record<RecordKindName, Record<string, number>>>;

  /** The last event, or undefined while the log is empty. In a `write`, the log's append lock is held from here to commit. */
  lastAuditEvent(): Promise<StoredAuditEvent | undefined>;
  /** How many events the log holds. */
  auditLength(): Promise<number>;
  auditEventAt(seq: number): Promise<StoredAuditEvent | undefined>;
  listAuditEvents(query: AuditQuery): Promise<StoredAuditEvent[]>;
  /** The seq of the first event at or after `at` (ISO 8601), or undefined. */
  firstAuditSeqSince(at: string): Promise<number | undefined>;
  /** The lowest seq of an event with this hash, or undefined. */
  seqOfAuditHash(hash: string): Promise<number | undefined>;
  /** The first successful event about `subject` with one of `actions`, through an index. */
  firstSuccessAbout(subject: string, actions: readonly string[]): Promise<{ seq: number; action: string } | undefined>;
  /** The first event whose hash covers its stored bytes (schema 5); earlier ones may follow the old rule. */
  auditStoredBytesFrom(): Promise<number>;
  /** Up to `limit` events from `fromSeq` on, as the chain verifier reads them. */
  auditChainBatch(fromSeq: number, limit: number): Promise<ChainLink[]>;
  /** The first code whose table state disagrees with the log about `spend` (see src/core/audit/cross-check.ts). */
  firstSpendMismatch(ledger: CodeLedger, spend: CodeLedger['spends'][number], legacyBefore: number): Promise<SpendMismatch | undefined>;
  /** The first code the log says was spent more than once. */
  spentTwice(ledger: CodeLedger): Promise<{ subject: string; first: number; last: number } | undefined>;
  /** Codes issued according to the log, codes in the table, and codes `store purge` removed from it. */
  ledgerCounts(ledger: CodeLedger): Promise<{ issued: number; present: number; purged: number }>;

  /** Every row of `table`, in batches of up to `batchSize`, in a stable order. Consume it inside the unit of work. */
  exportRows(table: StoreTable, batchSize: number): AsyncIterable<TableRow[]>;
}

/** The changes a unit of work can make, besides every read. */
export interface StoreWriter extends StoreReader {
  setHmacSecret(secret: Buffer): Promise<void>;
  setDefaultOrganizationId(organizationId: string): Promise<void>;
  insertOrganization(row: OrganizationRow): Promise<void>;

  insertVerificationCode(row: Omit<VerificationCodeRow, 'seq' | 'consumed_at'> & { code_hmac: Buffer }): Promise<void>;
  /** One conditional update: consumes the code only while it is unconsumed and unexpired at `now`. */
  consumeVerificationCode(organizationId: string, codeHmac: Buffer, now: number): Promise<VerificationCodeRow | undefined>;
  /** Ends every live code bound to the CA at `now`; returns them as they were. */
  supersedeBoundVerificationCodes(organizationId: string, certificateId: string, now: number): Promise<VerificationCodeRow[]>;

  /** Inserts a new CA; the store refuses a second name or fingerprint in the organization. */
  insertCaCertificate(row: Omit<CaCertificateRow, 'seq'>): Promise<void>;
  /** Applies `changes` when the record still has the expected etag; undefined when it is gone or changed. */
  updateCaCertificate(key: CaCertificateKey, changes: CaCertificateChanges): Promise<CaCertificateRow | undefined>;
  /** Deletes the record when it still has the expected etag; false when it is gone or changed. */
  deleteCaCertificate(key: CaCertificateKey): Promise<boolean>;

  insertOneTimeCode(row: Omit<OneTimeCodeCandidate, 'seq' | 'authorized_at' | 'consumed_at' | 'invalidated_at'>): Promise<void>;
  /** One conditional update: consumes the code only while it is authorized, unspent and unexpired. */
  consumeOneTimeCode(organizationId: string, id: string, at: Instant): Promise<OneTimeCodeCandidate | undefined>;
  /** Marks a live code authorized (keeping the first time); undefined when it is not live. */
  authorizeOneTimeCode(organizationId: string, id: string, at: Instant): Promise<OneTimeCodeCandidate | undefined>;
  /** Invalidates every live code of the pair (of `type` when given); returns them, oldest first. */
  invalidateOneTimeCodes(
    pair: CodePair,
    type: OneTimeCodeType | undefined,
    at: Instant,
  ): Promise<Array<Pick<OneTimeCodeRow, 'seq' | 'id' | 'organization_id' | 'type'>>>;
  writeAttempts(pair: CodePair, state: AttemptState): Promise<void>;
  clearAttempts(pair: CodePair): Promise<void>;

  /**
   * Appends an event the core built and hashed on top of `lastAuditEvent()` read in
   * this same unit. The store refuses a seq that is not the next one.
   */
  appendAuditEvent(event: StoredAuditEvent): Promise<void>;

  /**
   * Deletes at most `limit` codes of `table` that stopped being usable (consumed,
   * expired, invalidated) at or before `before`, never one still usable then.
   * Returns how many it deleted.
   */
  purgeSpent(table: CodeTable, before: number, limit: number): Promise<number>;

  /** Inserts rows exported from another store, as they are (`store migrate`). */
  importRows(table: StoreTable, rows: readonly TableRow[]): Promise<void>;
}

/** An open store. */
export interface StorePort {
  readonly kind: StoreKind;
  /** Where the store is, as users name it: a file path, or a URL without its password. */
  readonly location: string;
  readonly keyMode: StoreKey['mode'];
  /** True when this process cannot write the store: reads work, `write` refuses. */
  readonly readOnly: boolean;

  /** Runs `work` on one consistent snapshot. */
  read<T>(work: (tx: StoreReader) => Promise<T>): Promise<T>;
  /**
   * Runs `work` atomically: all of its changes commit, or none.
   * @throws StoreError (`store_locked`) on a read-only store.
   */
  write<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T>;

  /** What the store is and how big. */
  facts(): Promise<StoreFacts>;
  /**
   * Writes one consistent snapshot to `out` (a new file, 0600), encrypted with the same
   * key: an SQLCipher store file whatever the kind of this store. Checks the copy by
   * reopening it.
   */
  backup(out: string): Promise<BackupFacts>;
  /**
   * Does `job` on another thread, on a connection (and snapshot) of its own, sharing
   * `counters` with the caller's reader: half of `audit verify` on a long log. Absent
   * where the store has no such helper.
   * @throws whatever stopped the helper: the caller then does the job itself.
   */
  helpVerify?(job: VerifyJob, counters: VerifyCounters): Promise<VerifyJobResult>;
  /** Runs a long series of writes (a purge) with settings for bulk work, restored afterwards. */
  withBulkWrites<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Gives space freed by deletes back (`compact` rewrites the whole store, holding the
   * write lock meanwhile). Returns how many bytes the store shrank by.
   */
  reclaimSpace(options: { compact: boolean }): Promise<number>;
  /**
   * Re-encrypts the whole store under `newKey`, crash-safely. The store is closed
   * afterwards, whatever happens.
   */
  rekey(newKey: StoreKey, hooks: RekeyHooks): Promise<void>;
  close(): Promise<void>;
}
