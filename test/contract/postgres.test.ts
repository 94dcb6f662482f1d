/** The store contract against PostgreSQL: each test gets a new database on the run's cluster. */
import { describe } from 'vitest';
import { openPostgresStore } from '../../src/postgres/index.js';
import { freshDatabase } from '../helpers/postgres.js';
import { postgresOnlyContract } from './postgres-only.js';
import { storeContract } from './store-contract.js';

describe('PostgreSQL store', () => {
  storeContract(async () => {
    const url = await freshDatabase();
    return { open: (key, options = {}) => openPostgresStore(url, key, options) };
  });
  postgresOnlyContract();
});
