/**
 * How each table's rows map between the records the core and other stores use (the
 * SQLite store's columns, in clear) and what PostgreSQL holds: which columns are sealed
 * (and whether they hold text or bytes), which blind indexes are computed from them,
 * and which clear columns name the row in the ciphertexts' additional data. Every read,
 * write, export, import and rekey goes through these, so a column is sealed everywhere
 * or nowhere.
 */
import type { StoreTable, TableRow } from '../core/store-port.js';
import type { Cipher } from './cipher.js';

type Stored = Record<string, unknown>;

/** One table's mapping. */
export interface TableCodec {
  table: StoreTable;
  /** The record's columns, as the SQLite store names them, in its order. */
  columns: readonly string[];
  /** The columns sealed with AES-GCM, and what their plaintext is. */
  sealed: Readonly<Record<string, 'text' | 'bytes'>>;
  /** Blind index columns, each computed from the clear record. */
  blind: Readonly<Record<string, (row: TableRow, cipher: Cipher) => Buffer | null>>;
  /** The stored row's name in its ciphertexts' additional data (from clear or index columns). */
  rowId: (stored: Stored) => string;
  /** The primary key: export pages and rekey updates go by it. */
  key: readonly string[];
}

const text = (value: unknown): string => value as string;
const hex = (value: unknown): string => (value as Buffer).toString('hex');

/** A user id's and a purpose's blind indexes: one-time codes and attempts find their pair by them. */
export const pairIndexes = (cipher: Cipher, organizationId: string, userId: string, purpose: string): { user_index: Buffer; purpose_index: Buffer } => ({
  user_index: cipher.blind('user_id', organizationId, userId),
  purpose_index: cipher.blind('purpose', organizationId, purpose),
});

/** The blind index of a CA's subject (DER): device verification finds issuers by it. */
export const subjectIndex = (cipher: Cipher, organizationId: string, subjectDer: Buffer): Buffer => cipher.blind('ca_subject', organizationId, subjectDer);
export const caNameIndex = (cipher: Cipher, organizationId: string, name: string): Buffer => cipher.blind('ca_name', organizationId, name);
export const fingerprintIndex = (cipher: Cipher, organizationId: string, fingerprint: string): Buffer =>
  cipher.blind('ca_fingerprint', organizationId, fingerprint);

export const CODECS: Readonly<Record<StoreTable, TableCodec>> = {
  meta: { table: 'meta', columns: ['key', 'value'], sealed: { value: 'bytes' }, blind: {}, rowId: (r) => text(r.key), key: ['key'] },
  organizations: { table: 'organizations', columns: ['id', 'name', 'created_at'], sealed: { name: 'text' }, blind: {}, rowId: (r) => text(r.id), key: ['id'] },
  ca_certificates: {
    table: 'ca_certificates',
    columns: [
      'seq',
      'id',
      'organization_id',
      'name',
      'der',
      'fingerprint_sha256',
      'subject_der',
      'subject',
      'issuer',
      'serial',
      'not_before',
      'not_after',
      'is_verified',
      'status',
      'etag',
      'description',
      'jitp',
      'created_at',
      'updated_at',
    ],
    sealed: {
      name: 'text',
      der: 'bytes',
      fingerprint_sha256: 'text',
      subject_der: 'bytes',
      subject: 'text',
      issuer: 'text',
      serial: 'text',
      description: 'text',
      jitp: 'text',
    },
    blind: {
      name_index: (r, c) => (r.name === null ? null : caNameIndex(c, text(r.organization_id), text(r.name))),
      fingerprint_index: (r, c) => fingerprintIndex(c, text(r.organization_id), text(r.fingerprint_sha256)),
      subject_index: (r, c) => subjectIndex(c, text(r.organization_id), r.subject_der as Buffer),
    },
    rowId: (r) => text(r.id),
    key: ['seq'],
  },
  verification_codes: {
    table: 'verification_codes',
    columns: ['seq', 'id', 'organization_id', 'code_hmac', 'certificate_id', 'created_at', 'expires_at', 'consumed_at'],
    sealed: {},
    blind: {},
    rowId: (r) => text(r.id),
    key: ['seq'],
  },
  one_time_codes: {
    table: 'one_time_codes',
    columns: [
      'seq',
      'id',
      'organization_id',
      'type',
      'user_id',
      'purpose',
      'code_digest',
      'code_salt',
      'is_authorized',
      'created_at',
      'expires_at',
      'authorized_at',
      'consumed_at',
      'invalidated_at',
      'scrypt_log_n',
    ],
    sealed: { user_id: 'text', purpose: 'text' },
    blind: {
      user_index: (r, c) => pairIndexes(c, text(r.organization_id), text(r.user_id), text(r.purpose)).user_index,
      purpose_index: (r, c) => pairIndexes(c, text(r.organization_id), text(r.user_id), text(r.purpose)).purpose_index,
    },
    rowId: (r) => text(r.id),
    key: ['seq'],
  },
  one_time_code_attempts: {
    table: 'one_time_code_attempts',
    columns: ['organization_id', 'user_id', 'purpose', 'failures', 'locked_until'],
    sealed: { user_id: 'text', purpose: 'text' },
    blind: {
      user_index: (r, c) => pairIndexes(c, text(r.organization_id), text(r.user_id), text(r.purpose)).user_index,
      purpose_index: (r, c) => pairIndexes(c, text(r.organization_id), text(r.user_id), text(r.purpose)).purpose_index,
    },
    rowId: (r) => `${text(r.organization_id)}/${hex(r.user_index)}/${hex(r.purpose_index)}`,
    key: ['organization_id', 'user_index', 'purpose_index'],
  },
  audit_events: {
    table: 'audit_events',
    columns: ['seq', 'at', 'action', 'organization_id', 'subject', 'outcome', 'reason', 'details', 'prev_hash', 'hash'],
    sealed: { details: 'text' },
    blind: {},
    rowId: (r) => String(r.seq),
    key: ['seq'],
  },
};

/** The stored form of `row`: sealed columns encrypted, blind indexes added. */
export function encodeRow(codec: TableCodec, row: TableRow, cipher: Cipher): Stored {
  const stored: Stored = {};
  for (const column of codec.columns) if (row[column] !== undefined) stored[column] = row[column];
  for (const [column, index] of Object.entries(codec.blind)) stored[column] = index(row, cipher);
  const id = codec.rowId(stored);
  for (const [column, kind] of Object.entries(codec.sealed)) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    const plaintext = kind === 'text' ? Buffer.from(value as string, 'utf8') : (value as Buffer);
    stored[column] = cipher.seal({ table: codec.table, column, row: id }, plaintext);
  }
  return stored;
}

/** The record of a stored row (other columns of `stored`, such as a join's, are dropped). */
export function decodeRow(codec: TableCodec, stored: Stored, cipher: Cipher): TableRow {
  const row: TableRow = {};
  const id = codec.rowId(stored);
  for (const column of codec.columns) {
    const value = stored[column] as TableRow[string];
    const kind = codec.sealed[column];
    if (kind === undefined || value === null) {
      row[column] = value;
      continue;
    }
    const plaintext = cipher.open({ table: codec.table, column, row: id }, value as Buffer);
    row[column] = kind === 'text' ? plaintext.toString('utf8') : plaintext;
  }
  return row;
}
