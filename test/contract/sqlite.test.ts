/** The store contract against the SQLCipher store file: each test gets a new temporary directory. */
import { join } from 'node:path';
import { describe } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-port.js';
import { tempDir } from '../helpers/temp.js';
import { storeContract } from './store-contract.js';

describe('SQLite store', () => {
  storeContract(async () => {
    const path = join(tempDir(), 'store.db');
    return { open: (key, options = {}) => openSqliteStore(path, key, options) };
  });
});
