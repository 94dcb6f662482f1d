/**
 * Schema migrations, applied in order by `PRAGMA user_version`. Each runs in one
 * immediate transaction with the version bump, so a crash leaves the old schema or
 * the new one. Append new migrations; never edit a released one.
 */
import type { Db as Database } from './sqlite.js';
import { StoreError } from '../core/errors.js';

/** The counts `record_counts` keeps (schema 5), recomputed from the rows. */
const RECOUNT_RECORDS = `INSERT OR REPLACE INTO record_counts (kind, state, n) VALUES
        ('verification_codes', 'unconsumed', (SELECT count(*) FROM verification_codes WHERE consumed_at IS NULL)),
        ('verification_codes', 'consumed', (SELECT count(*) FROM verification_codes WHERE consumed_at IS NOT NULL)),
        ('one_time_codes', 'unspent', (SELECT count(*) FROM one_time_codes WHERE consumed_at IS NULL AND invalidated_at IS NULL)),
        ('one_time_codes', 'consumed', (SELECT count(*) FROM one_time_codes WHERE consumed_at IS NOT NULL)),
        ('one_time_codes', 'invalidated', (SELECT count(*) FROM one_time_codes WHERE consumed_at IS NULL AND invalidated_at IS NOT NULL)),
        ('audit_events', 'all', (SELECT count(*) FROM audit_events));`;

/**
 * Recomputes the counts the triggers of schema 5 keep, from the rows: for bulk loads
 * that drop the triggers meanwhile (bench/make-store.mjs). Call inside a write transaction.
 */
export function recountRecords(db: Database): void {
  db.exec(RECOUNT_RECORDS);
}

interface Migration {
  version: number;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) STRICT;
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE verification_codes (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        code_hmac BLOB NOT NULL UNIQUE,
        certificate_id TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        consumed_at INTEGER
      ) STRICT;
      CREATE INDEX verification_codes_by_org ON verification_codes (organization_id, seq);
      CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        organization_id TEXT,
        subject TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        reason TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_events_by_action ON audit_events (action, seq);
    `,
  },
  {
    // CA certificates. The subject DER is kept for the 10-per-subject limit; the
    // readable summary fields are stored so list and search need no X.509 parsing.
    version: 2,
    sql: `
      CREATE TABLE ca_certificates (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        name TEXT,
        der BLOB NOT NULL,
        fingerprint_sha256 TEXT NOT NULL,
        subject_der BLOB NOT NULL,
        subject TEXT NOT NULL,
        issuer TEXT NOT NULL,
        serial TEXT NOT NULL,
        not_before TEXT NOT NULL,
        not_after TEXT NOT NULL,
        is_verified INTEGER NOT NULL CHECK (is_verified IN (0, 1)),
        status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
        etag TEXT NOT NULL,
        description TEXT,
        jitp TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (organization_id, name),
        UNIQUE (organization_id, fingerprint_sha256)
      ) STRICT;
      CREATE INDEX ca_certificates_by_org ON ca_certificates (organization_id, seq);
      CREATE INDEX ca_certificates_by_subject ON ca_certificates (organization_id, subject_der);
    `,
  },
  {
    // One-time codes for users. `code_digest` is never the code: for short codes a
    // scrypt hash under the row's 16-byte `code_salt`, for long and phrase codes an
    // HMAC-SHA256 under the store's secret (no salt, so lookups stay exact-match).
    version: 3,
    sql: `
      CREATE TABLE one_time_codes (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        type TEXT NOT NULL CHECK (type IN ('short', 'long', 'phrase')),
        user_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        code_digest BLOB NOT NULL,
        code_salt BLOB CHECK ((type = 'short') = (code_salt IS NOT NULL)),
        is_authorized INTEGER NOT NULL CHECK (is_authorized IN (0, 1)),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        authorized_at INTEGER,
        consumed_at INTEGER,
        invalidated_at INTEGER
      ) STRICT;
      CREATE INDEX one_time_codes_by_pair ON one_time_codes (organization_id, user_id, purpose, type, seq);
      CREATE INDEX one_time_codes_by_digest ON one_time_codes (organization_id, code_digest);
      CREATE INDEX one_time_codes_by_org ON one_time_codes (organization_id, seq);
      CREATE TABLE one_time_code_attempts (
        organization_id TEXT NOT NULL REFERENCES organizations(id),
        user_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        failures INTEGER NOT NULL CHECK (failures >= 0),
        locked_until INTEGER,
        PRIMARY KEY (organization_id, user_id, purpose)
      ) STRICT;
    `,
  },
  {
    // The scrypt cost each short code was hashed with, as log2(N) (r = 8, p = 1), so
    // the cost for new codes can change without breaking live ones. Codes written
    // before this column were hashed at 2^14. (SQLite checks an added column's CHECK
    // against the existing rows, before the UPDATE, so it cannot demand a value.)
    version: 4,
    sql: `
      ALTER TABLE one_time_codes ADD COLUMN scrypt_log_n INTEGER
        CHECK (scrypt_log_n IS NULL OR (type = 'short' AND scrypt_log_n BETWEEN 10 AND 16));
      UPDATE one_time_codes SET scrypt_log_n = 14 WHERE type = 'short';
    `,
  },
  {
    // Scale (issue 13). Partial indexes so that listing by status reads only the rows
    // of that status: live codes by expiry (few: their life is bounded), the others by
    // seq. And exact counts for `store info`: `record_counts` is kept by triggers in
    // the same transaction as every insert, state change and delete, so it is exact
    // whatever writes (purge, a migration, an old build's code) and travels with every
    // copy of the file (backup, rekey). Counting a million rows costs a second; this
    // costs one row update per change. Idempotent, as the later migrations are: the
    // counts are recomputed from the rows whenever it runs.
    version: 5,
    sql: `
      CREATE INDEX IF NOT EXISTS verification_codes_live_by_expiry ON verification_codes (organization_id, expires_at) WHERE consumed_at IS NULL;
      CREATE INDEX IF NOT EXISTS verification_codes_unconsumed ON verification_codes (organization_id, seq) WHERE consumed_at IS NULL;
      CREATE INDEX IF NOT EXISTS verification_codes_consumed ON verification_codes (organization_id, seq) WHERE consumed_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS one_time_codes_live_by_expiry ON one_time_codes (organization_id, expires_at) WHERE consumed_at IS NULL AND invalidated_at IS NULL;
      CREATE INDEX IF NOT EXISTS one_time_codes_unspent ON one_time_codes (organization_id, seq) WHERE consumed_at IS NULL AND invalidated_at IS NULL;
      CREATE INDEX IF NOT EXISTS one_time_codes_consumed ON one_time_codes (organization_id, seq) WHERE consumed_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS one_time_codes_invalidated ON one_time_codes (organization_id, seq) WHERE consumed_at IS NULL AND invalidated_at IS NOT NULL;

      CREATE TABLE IF NOT EXISTS record_counts (
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (kind, state)
      ) STRICT, WITHOUT ROWID;
      ${RECOUNT_RECORDS}

      CREATE TRIGGER IF NOT EXISTS verification_codes_count_insert AFTER INSERT ON verification_codes BEGIN
        UPDATE record_counts SET n = n + 1
        WHERE kind = 'verification_codes' AND state = iif(new.consumed_at IS NULL, 'unconsumed', 'consumed');
      END;
      CREATE TRIGGER IF NOT EXISTS verification_codes_count_delete AFTER DELETE ON verification_codes BEGIN
        UPDATE record_counts SET n = n - 1
        WHERE kind = 'verification_codes' AND state = iif(old.consumed_at IS NULL, 'unconsumed', 'consumed');
      END;
      CREATE TRIGGER IF NOT EXISTS verification_codes_count_update AFTER UPDATE OF consumed_at ON verification_codes
      WHEN (old.consumed_at IS NULL) IS NOT (new.consumed_at IS NULL) BEGIN
        UPDATE record_counts SET n = n + iif(state = iif(new.consumed_at IS NULL, 'unconsumed', 'consumed'), 1, -1)
        WHERE kind = 'verification_codes' AND state IN ('unconsumed', 'consumed');
      END;

      CREATE TRIGGER IF NOT EXISTS one_time_codes_count_insert AFTER INSERT ON one_time_codes BEGIN
        UPDATE record_counts SET n = n + 1
        WHERE kind = 'one_time_codes'
          AND state = CASE WHEN new.consumed_at IS NOT NULL THEN 'consumed' WHEN new.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END;
      END;
      CREATE TRIGGER IF NOT EXISTS one_time_codes_count_delete AFTER DELETE ON one_time_codes BEGIN
        UPDATE record_counts SET n = n - 1
        WHERE kind = 'one_time_codes'
          AND state = CASE WHEN old.consumed_at IS NOT NULL THEN 'consumed' WHEN old.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END;
      END;
      CREATE TRIGGER IF NOT EXISTS one_time_codes_count_update AFTER UPDATE OF consumed_at, invalidated_at ON one_time_codes
      WHEN (CASE WHEN old.consumed_at IS NOT NULL THEN 'consumed' WHEN old.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END)
        IS NOT (CASE WHEN new.consumed_at IS NOT NULL THEN 'consumed' WHEN new.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END) BEGIN
        UPDATE record_counts SET n = n - 1
        WHERE kind = 'one_time_codes'
          AND state = CASE WHEN old.consumed_at IS NOT NULL THEN 'consumed' WHEN old.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END;
        UPDATE record_counts SET n = n + 1
        WHERE kind = 'one_time_codes'
          AND state = CASE WHEN new.consumed_at IS NOT NULL THEN 'consumed' WHEN new.invalidated_at IS NOT NULL THEN 'invalidated' ELSE 'unspent' END;
      END;

      CREATE TRIGGER IF NOT EXISTS audit_events_count_insert AFTER INSERT ON audit_events BEGIN
        UPDATE record_counts SET n = n + 1 WHERE kind = 'audit_events';
      END;
      CREATE TRIGGER IF NOT EXISTS audit_events_count_delete AFTER DELETE ON audit_events BEGIN
        UPDATE record_counts SET n = n - 1 WHERE kind = 'audit_events';
      END;
      `,
  },
  {
    // Audit events found by action, outcome and the code (or CA) they are about, so
    // consuming a code can check in its own transaction that the log holds no earlier
    // success for it, and `audit verify` can count and match them without reading
    // the table. And the first event whose hash covers its stored bytes: events before
    // it were hashed over the canonical JSON of their parsed details (see src/core/audit/chain.ts).
    version: 6,
    sql: `
        CREATE INDEX IF NOT EXISTS audit_events_by_outcome ON audit_events (action, outcome, subject) WHERE subject IS NOT NULL;
        INSERT OR IGNORE INTO meta (key, value)
          SELECT 'audit_stored_bytes_from', CAST(coalesce(max(seq), 0) + 1 AS BLOB) FROM audit_events;
      `,
  },
  {
    // One live code per CA (issue 11): issuing a bound code supersedes the CA's live
    // codes, found by certificate without scanning the organization's codes.
    version: 7,
    sql: `
        CREATE INDEX IF NOT EXISTS verification_codes_by_certificate ON verification_codes (organization_id, certificate_id, seq) WHERE certificate_id IS NOT NULL;
      `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings the schema up to `SCHEMA_VERSION`.
 * @throws StoreError (`store_corrupt`) when the store was written by a newer version.
 */
export function migrate(db: Database, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'store_corrupt',
      `store ${path} has schema version ${current}, newer than this vericode understands (${SCHEMA_VERSION})`,
      'upgrade vericode to open this store',
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process may have migrated while we waited for the write lock.
      if ((db.pragma('user_version', { simple: true }) as number) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
