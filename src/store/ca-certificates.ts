/**
 * The ca_certificates table. A CA is found by id, name or SHA-256 fingerprint, always
 * inside one organization; every update is conditional on the etag the caller read,
 * so a concurrent change is never overwritten silently.
 */
import type { CaCertificateChanges, CaCertificateRow } from '../core/records.js';
import type { Store } from './store.js';

export type { CaCertificateChanges, CaCertificateRow } from '../core/records.js';

const COLUMNS = `seq, id, organization_id, name, der, fingerprint_sha256, subject_der, subject, issuer, serial,
  not_before, not_after, is_verified, status, etag, description, jitp, created_at, updated_at`;

/** Inserts a new record; UNIQUE constraints back the name and fingerprint checks. Call inside `store.write`. */
export function insertCaCertificate(store: Store, row: Omit<CaCertificateRow, 'seq'>): void {
  store
    .prepare(
      `INSERT INTO ca_certificates (id, organization_id, name, der, fingerprint_sha256, subject_der, subject, issuer, serial,
         not_before, not_after, is_verified, status, etag, description, jitp, created_at, updated_at)
       VALUES (@id, @organization_id, @name, @der, @fingerprint_sha256, @subject_der, @subject, @issuer, @serial,
         @not_before, @not_after, @is_verified, @status, @etag, @description, @jitp, @created_at, @updated_at)`,
    )
    .run(row);
}

/** The organization's CA with this id. */
export function findCaCertificateById(store: Store, organizationId: string, id: string): CaCertificateRow | undefined {
  return store.prepare(`SELECT ${COLUMNS} FROM ca_certificates WHERE organization_id = ? AND id = ?`).get(organizationId, id) as CaCertificateRow | undefined;
}

/** The organization's CA with this name. */
export function findCaCertificateByName(store: Store, organizationId: string, name: string): CaCertificateRow | undefined {
  return store.prepare(`SELECT ${COLUMNS} FROM ca_certificates WHERE organization_id = ? AND name = ?`).get(organizationId, name) as
    | CaCertificateRow
    | undefined;
}

/** The organization's CA whose DER has this SHA-256 fingerprint (lowercase hex). */
export function findCaCertificateByFingerprint(store: Store, organizationId: string, fingerprint: string): CaCertificateRow | undefined {
  return store.prepare(`SELECT ${COLUMNS} FROM ca_certificates WHERE organization_id = ? AND fingerprint_sha256 = ?`).get(organizationId, fingerprint) as
    | CaCertificateRow
    | undefined;
}

/** How many CAs of the organization have exactly this subject (DER), for the per-subject limit. */
export function countCaCertificatesWithSubject(store: Store, organizationId: string, subjectDer: Buffer): number {
  const row = store.prepare('SELECT count(*) AS n FROM ca_certificates WHERE organization_id = ? AND subject_der = ?').get(organizationId, subjectDer) as {
    n: number;
  };
  return row.n;
}

/**
 * A page of the organization's CAs, newest first (continuing below the page cursor `cursorSeq`) or,
 * with `order: 'asc'`, oldest first (continuing above it).
 * `search` matches a case-insensitive substring of the name, subject, description or
 * fingerprint; it is matched literally (`%` and `_` are not wildcards).
 */
export function listCaCertificateRows(
  store: Store,
  query: { organizationId: string; search?: string; limit: number; cursorSeq?: number; order?: 'asc' | 'desc' },
): CaCertificateRow[] {
  const searching = query.search !== undefined && query.search.length > 0;
  const ascending = query.order === 'asc';
  return store
    .prepare(
      `SELECT ${COLUMNS} FROM ca_certificates
       WHERE organization_id = @organizationId AND seq ${ascending ? '>' : '<'} @cursorSeq
       ${
         searching
           ? `AND (name LIKE @pattern ESCAPE '\\' OR subject LIKE @pattern ESCAPE '\\'
            OR description LIKE @pattern ESCAPE '\\' OR fingerprint_sha256 LIKE @pattern ESCAPE '\\')`
           : ''
       }
       ORDER BY seq ${ascending ? 'ASC' : 'DESC'} LIMIT @fetch`,
    )
    .all({
      organizationId: query.organizationId,
      cursorSeq: query.cursorSeq ?? (ascending ? 0 : Number.MAX_SAFE_INTEGER),
      fetch: query.limit + 1,
      ...(searching ? { pattern: `%${query.search!.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } : {}),
    }) as CaCertificateRow[];
}

/**
 * Applies `changes` when the record still has `expectedEtag`. Returns the updated row,
 * or undefined when the record is gone or its etag moved on.
 */
export function updateCaCertificateRow(
  store: Store,
  key: { organizationId: string; id: string; expectedEtag: string },
  changes: CaCertificateChanges,
): CaCertificateRow | undefined {
  return store
    .prepare(
      `UPDATE ca_certificates
       SET is_verified = @is_verified, status = @status, description = @description, jitp = @jitp, etag = @etag, updated_at = @updated_at
       WHERE organization_id = @organizationId AND id = @id AND etag = @expectedEtag
       RETURNING ${COLUMNS}`,
    )
    .get({ ...changes, ...key }) as CaCertificateRow | undefined;
}

/** Deletes the record when it still has `expectedEtag`; false when it is gone or changed. */
export function deleteCaCertificateRow(store: Store, key: { organizationId: string; id: string; expectedEtag: string }): boolean {
  const result = store.prepare('DELETE FROM ca_certificates WHERE organization_id = @organizationId AND id = @id AND etag = @expectedEtag').run(key);
  return result.changes === 1;
}

/**
 * The CAs a device certificate may chain to that are named `subjectDers` (the issuer
 * names on the chain): verified and active, oldest first. An indexed lookup by exact
 * subject DER, so its cost does not grow with the number of CAs; at most 10 CAs share
 * a subject. Call inside `store.read` when it must agree with other reads.
 */
export function findTrustedCaCertificates(store: Store, organizationId: string, subjectDers: readonly Buffer[]): Array<{ id: string; der: Buffer }> {
  const statement = store.prepare(
    `SELECT seq, id, der FROM ca_certificates INDEXED BY ca_certificates_by_subject
     WHERE organization_id = ? AND subject_der = ? AND is_verified = 1 AND status = 'active'`,
  );
  const unique = subjectDers.filter((name, i) => subjectDers.findIndex((other) => other.equals(name)) === i);
  const rows = unique.flatMap((name) => statement.all(organizationId, name) as Array<{ seq: number; id: string; der: Buffer }>);
  return rows.sort((a, b) => a.seq - b.seq).map(({ id, der }) => ({ id, der }));
}

/** How many CAs are active, inactive, verified and unverified, across all organizations (for `store info`). */
export function countCaCertificatesByStatus(store: Store): Record<'active' | 'inactive' | 'verified' | 'unverified', number> {
  return store
    .prepare(
      `SELECT coalesce(sum(status = 'active'), 0) AS active, coalesce(sum(status = 'inactive'), 0) AS inactive,
              coalesce(sum(is_verified = 1), 0) AS verified, coalesce(sum(is_verified = 0), 0) AS unverified
       FROM ca_certificates`,
    )
    .get() as Record<'active' | 'inactive' | 'verified' | 'unverified', number>;
}
