/**
 * What `store info`, `store purge` and `store purge --compact` ask of the database
 * itself: its size, settings for long runs of writes, and giving freed space back.
 */
import type pg from 'pg';
import type { StoreFacts } from '../core/store-port.js';
import { POSTGRES_TABLES, schemaVersion } from './schema.js';

/** The bytes the store's tables take, with their indexes and TOAST. */
async function storeBytes(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ bytes: number }>(
    'SELECT coalesce(sum(pg_total_relation_size(to_regclass(name))), 0) AS bytes FROM unnest($1::text[]) AS name',
    [POSTGRES_TABLES],
  );
  return result.rows[0]!.bytes;
}

/**
 * The store's format, schema and size. PostgreSQL reuses the space deleted rows
 * leave inside its tables on its own and does not report it without an extension
 * (pg_freespacemap), so `free_bytes` is 0.
 */
export async function storeFacts(client: pg.ClientBase): Promise<StoreFacts> {
  const organizations = await client.query<{ n: number }>('SELECT count(*) AS n FROM organizations');
  return {
    format: 'postgres-aes-256-gcm',
    schema_version: await schemaVersion(client),
    size_bytes: await storeBytes(client),
    free_bytes: 0,
    organizations: organizations.rows[0]!.n,
  };
}

/**
 * Runs a long series of write units (`run` runs a statement between units) without waiting for each commit to reach the disk
 * (`synchronous_commit = off`): a crash may lose the last few, never half of one, and
 * a purge that lost some just runs again.
 */
export async function bulkWrites<T>(run: (sql: string) => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  await run('SET synchronous_commit = off');
  try {
    return await work();
  } finally {
    await run('RESET synchronous_commit').catch(() => {});
  }
}

/**
 * VACUUM (compact: VACUUM FULL, which rewrites each table holding its exclusive lock
 * meanwhile) the store's tables. Returns how many bytes the store shrank by.
 */
export async function reclaimSpace(client: pg.ClientBase, compact: boolean): Promise<number> {
  const before = await storeBytes(client);
  for (const table of POSTGRES_TABLES) await client.query(`VACUUM ${compact ? '(FULL, ANALYZE)' : '(ANALYZE)'} ${table}`);
  return Math.max(0, before - (await storeBytes(client)));
}
