/** The store-wide records: the code HMAC secret, the default organization, and organizations. */
import type { OrganizationRow } from '../../core/records.js';
import type { StoreReader, StoreWriter, TableRow } from '../../core/store-port.js';
import type { Session } from '../session.js';

const HMAC_SECRET = 'hmac_secret';
const DEFAULT_ORGANIZATION = 'default_organization_id';
const STORED_BYTES_FROM = 'audit_stored_bytes_from';

type Reads = Pick<StoreReader, 'hmacSecret' | 'defaultOrganizationId' | 'findOrganization' | 'listOrganizations'>;
type Writes = Pick<StoreWriter, 'setHmacSecret' | 'setDefaultOrganizationId' | 'insertOrganization'>;

/** A value of the `meta` table, opened; undefined when absent. */
export async function metaValue(session: Session, key: string): Promise<Buffer | undefined> {
  const row = await session.record<{ value: Buffer }>('meta', 'SELECT key, value FROM meta WHERE key = $1', [key]);
  return row?.value;
}

async function setMeta(session: Session, key: string, value: Buffer): Promise<void> {
  await session.run('DELETE FROM meta WHERE key = $1', [key]);
  await session.insert('meta', [{ key, value }]);
}

/** The first audit event whose hash covers its stored bytes: 1 unless a copied store says otherwise. */
export async function storedBytesFrom(session: Session): Promise<number> {
  const value = await metaValue(session, STORED_BYTES_FROM);
  return value === undefined ? 1 : Number(value.toString('utf8'));
}

/** Records, in a new store, that every event's hash covers its stored bytes (as the SQLite store's schema 6 does). */
export async function markStoredBytesFrom(session: Session): Promise<void> {
  await session.insert('meta', [{ key: STORED_BYTES_FROM, value: Buffer.from('1', 'utf8') }]);
}

export function settingsReads(session: Session): Reads {
  return {
    hmacSecret: () => metaValue(session, HMAC_SECRET),
    defaultOrganizationId: async () => (await metaValue(session, DEFAULT_ORGANIZATION))?.toString('utf8'),
    findOrganization: (id) => session.record<OrganizationRow>('organizations', 'SELECT id, name, created_at FROM organizations WHERE id = $1', [id]),
    listOrganizations: () => session.records<OrganizationRow>('organizations', 'SELECT id, name, created_at FROM organizations ORDER BY created_at, id'),
  };
}

export function settingsWrites(session: Session): Writes {
  return {
    setHmacSecret: (secret) => setMeta(session, HMAC_SECRET, secret),
    setDefaultOrganizationId: (id) => setMeta(session, DEFAULT_ORGANIZATION, Buffer.from(id, 'utf8')),
    insertOrganization: (row) => session.insert('organizations', [row as unknown as TableRow]),
  };
}
