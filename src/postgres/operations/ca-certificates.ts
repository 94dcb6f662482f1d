/**
 * CA certificates. Names, subjects, issuers, serials, fingerprints, the certificate and
 * its subject DER, descriptions and JITP settings are sealed; name, fingerprint and
 * subject are found through their blind indexes. Every change is conditional on the
 * etag the caller read.
 *
 * `search` is a substring match over sealed text, which PostgreSQL cannot evaluate: the
 * adapter reads the organization's CAs in seq order, a batch at a time, opens them and
 * filters here, until the page is full. Its cost grows with the CAs it passes over
 * (bounded by the organization's CAs, which the per-subject and registration flows keep
 * small), not with other organizations' rows.
 */
import type { CaCertificateRow } from '../../core/records.js';
import type { StoreReader, StoreWriter, TableRow } from '../../core/store-port.js';
import type { Session } from '../session.js';
import { caNameIndex, fingerprintIndex, subjectIndex } from '../tables.js';

type Reads = Pick<
  StoreReader,
  | 'findCaCertificateById'
  | 'findCaCertificateByName'
  | 'findCaCertificateByFingerprint'
  | 'countCaCertificatesWithSubject'
  | 'listCaCertificates'
  | 'findTrustedCaCertificates'
>;
type Writes = Pick<StoreWriter, 'insertCaCertificate' | 'updateCaCertificate' | 'deleteCaCertificate'>;

const SEARCH_BATCH = 200;

/** SQLite's LIKE folds ASCII letters only; so does the search here, so both stores match alike. */
const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

export function caCertificateReads(session: Session): Reads {
  const one = (where: string, params: unknown[]): Promise<CaCertificateRow | undefined> =>
    session.record<CaCertificateRow>('ca_certificates', `SELECT * FROM ca_certificates WHERE ${where}`, params);
  const { cipher } = session;
  return {
    findCaCertificateById: (organizationId, id) => one('organization_id = $1 AND id = $2', [organizationId, id]),
    findCaCertificateByName: (organizationId, name) =>
      one('organization_id = $1 AND name_index = $2', [organizationId, caNameIndex(cipher, organizationId, name)]),
    findCaCertificateByFingerprint: (organizationId, fingerprint) =>
      one('organization_id = $1 AND fingerprint_index = $2', [organizationId, fingerprintIndex(cipher, organizationId, fingerprint)]),
    countCaCertificatesWithSubject: async (organizationId, subjectDer) =>
      (await session.row<{ n: number }>('SELECT count(*) AS n FROM ca_certificates WHERE organization_id = $1 AND subject_index = $2', [
        organizationId,
        subjectIndex(cipher, organizationId, subjectDer),
      ]))!.n,
    listCaCertificates: async (query) => {
      const ascending = query.order === 'asc';
      const page = (cursor: number, limit: number): Promise<CaCertificateRow[]> =>
        session.records<CaCertificateRow>(
          'ca_certificates',
          `SELECT * FROM ca_certificates WHERE organization_id = $1 AND seq ${ascending ? '>' : '<'} $2 ORDER BY seq ${ascending ? 'ASC' : 'DESC'} LIMIT $3`,
          [query.organizationId, cursor, limit],
        );
      let cursor = query.cursorSeq ?? (ascending ? 0 : Number.MAX_SAFE_INTEGER);
      if (query.search === undefined || query.search.length === 0) return page(cursor, query.limit + 1);
      const needle = foldAscii(query.search);
      const matches = (row: CaCertificateRow): boolean =>
        [row.name, row.subject, row.description, row.fingerprint_sha256].some((field) => field !== null && foldAscii(field).includes(needle));
      const found: CaCertificateRow[] = [];
      for (;;) {
        const batch = await page(cursor, SEARCH_BATCH);
        found.push(...batch.filter(matches));
        if (found.length > query.limit || batch.length < SEARCH_BATCH) return found.slice(0, query.limit + 1);
        cursor = batch[batch.length - 1]!.seq;
      }
    },
    findTrustedCaCertificates: async (organizationId, subjectDers) => {
      const indexes = [...new Set(subjectDers.map((der) => subjectIndex(cipher, organizationId, der).toString('hex')))].map((hex) => Buffer.from(hex, 'hex'));
      const rows = await session.records<CaCertificateRow>(
        'ca_certificates',
        "SELECT * FROM ca_certificates WHERE organization_id = $1 AND subject_index = ANY ($2) AND is_verified = 1 AND status = 'active' ORDER BY seq",
        [organizationId, indexes],
      );
      return rows.map(({ id, der }) => ({ id, der }));
    },
  };
}

export function caCertificateWrites(session: Session): Writes {
  return {
    insertCaCertificate: (row) => session.insert('ca_certificates', [row as unknown as TableRow]),
    updateCaCertificate: async (key, changes) => {
      const sealed = (column: 'description' | 'jitp'): Buffer | null =>
        changes[column] === null ? null : session.cipher.seal({ table: 'ca_certificates', column, row: key.id }, Buffer.from(changes[column], 'utf8'));
      return session.record<CaCertificateRow>(
        'ca_certificates',
        `UPDATE ca_certificates SET is_verified = $4, status = $5, description = $6, jitp = $7, etag = $8, updated_at = $9
         WHERE organization_id = $1 AND id = $2 AND etag = $3 RETURNING *`,
        [
          key.organizationId,
          key.id,
          key.expectedEtag,
          changes.is_verified,
          changes.status,
          sealed('description'),
          sealed('jitp'),
          changes.etag,
          changes.updated_at,
        ],
      );
    },
    deleteCaCertificate: async (key) =>
      (await session.run('DELETE FROM ca_certificates WHERE organization_id = $1 AND id = $2 AND etag = $3', [
        key.organizationId,
        key.id,
        key.expectedEtag,
      ])) === 1,
  };
}
