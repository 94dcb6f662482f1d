/**
 * Store-wide settings in the `meta` table: the HMAC secret codes are hashed under,
 * and the default organization.
 */
import type { Store } from './store.js';

const HMAC_SECRET = 'hmac_secret';
const DEFAULT_ORGANIZATION = 'default_organization_id';

function getMeta(store: Store, key: string): Buffer | undefined {
  const row = store.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: Buffer | string } | undefined;
  return row === undefined ? undefined : Buffer.from(row.value);
}

function setMeta(store: Store, key: string, value: Buffer): void {
  store.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Stores the 32-byte secret code HMACs are keyed with. Call inside `store.write`. */
export function setHmacSecret(store: Store, secret: Buffer): void {
  setMeta(store, HMAC_SECRET, secret);
}

/** The stored secret, or undefined before any write created it. */
export function existingHmacSecret(store: Store): Buffer | undefined {
  return getMeta(store, HMAC_SECRET);
}

/** The default organization's id, if one is set. */
export function defaultOrganizationId(store: Store): string | undefined {
  return getMeta(store, DEFAULT_ORGANIZATION)?.toString('utf8');
}

/** Makes `organizationId` the default. Call inside `store.write`. */
export function setDefaultOrganizationId(store: Store, organizationId: string): void {
  setMeta(store, DEFAULT_ORGANIZATION, Buffer.from(organizationId, 'utf8'));
}
