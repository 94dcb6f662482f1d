/**
 * vitest's globalSetup: one throwaway PostgreSQL cluster for the whole run
 * (scripts/postgres-cluster.mjs), stopped in teardown. Its URL reaches the tests
 * through `inject('postgres')` and child processes through VERICODE_TEST_POSTGRES_URL.
 * When that variable is already set (a cluster started by hand, see the README), the
 * run uses it and starts none. When PostgreSQL is not installed, the run still starts:
 * the error travels to the PostgreSQL tests, which fail with it (test/helpers/postgres.ts).
 */
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain ES module script without type declarations.
import { startCluster, stopCluster } from '../../scripts/postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's URL and data directory, or why there is none. */
    postgres: { url: string; dataDir?: string } | { error: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.VERICODE_TEST_POSTGRES_URL;
  if (given !== undefined && given !== '') {
    const dir = process.env.VERICODE_TEST_POSTGRES_DIR;
    project.provide('postgres', { url: given, ...(dir ? { dataDir: `${dir}/data` } : {}) });
    return undefined;
  }
  let cluster: { url: string; dir: string; dataDir: string };
  try {
    cluster = (await startCluster()) as typeof cluster;
  } catch (error) {
    project.provide('postgres', { error: (error as Error).message });
    return undefined;
  }
  process.env.VERICODE_TEST_POSTGRES_URL = cluster.url;
  project.provide('postgres', { url: cluster.url, dataDir: cluster.dataDir });
  return () => stopCluster(cluster.dir);
}
