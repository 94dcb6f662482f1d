import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/setup.ts'],
    // One throwaway PostgreSQL cluster for the run (scripts/postgres-cluster.mjs).
    globalSetup: ['test/helpers/postgres-cluster.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
