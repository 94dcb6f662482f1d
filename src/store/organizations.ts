/** The organizations table. */
import type { OrganizationRow } from '../core/records.js';
import type { Store } from './store.js';

export type { OrganizationRow } from '../core/records.js';

export function insertOrganization(store: Store, row: OrganizationRow): void {
  store.prepare('INSERT INTO organizations (id, name, created_at) VALUES (@id, @name, @created_at)').run(row);
}

export function findOrganization(store: Store, id: string): OrganizationRow | undefined {
  return store.prepare('SELECT id, name, created_at FROM organizations WHERE id = ?').get(id) as OrganizationRow | undefined;
}

export function listOrganizations(store: Store): OrganizationRow[] {
  return store.prepare('SELECT id, name, created_at FROM organizations ORDER BY created_at, id').all() as OrganizationRow[];
}
