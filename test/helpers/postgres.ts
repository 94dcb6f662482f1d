/**
 * A fresh PostgreSQL database for each test, on the run's throwaway cluster (see
 * ./postgres-cluster.ts), dropped when the test ends. Without PostgreSQL the test
 * fails with the reason: the PostgreSQL tests never skip.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject, onTestFinished } from 'vitest';

/** The cluster's URL (of its `postgres` database). @throws Error when there is no cluster. */
export function clusterUrl(): string {
  const postgres = inject('postgres');
  if ('error' in postgres) throw new Error(`the PostgreSQL tests need a cluster: ${postgres.error}`);
  return postgres.url;
}

/** The cluster's data directory, when this run started the cluster. */
export function clusterDataDir(): string | undefined {
  const postgres = inject('postgres');
  return 'dataDir' in postgres ? postgres.dataDir : undefined;
}

/** `url` naming another database of the same cluster. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `sql` as the test role on the cluster's `postgres` database. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database, dropped (with any connection left to it) after the test; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `vericode_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  onTestFinished(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return withDatabase(clusterUrl(), name);
}
