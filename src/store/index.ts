/** The encrypted store file, for library users who open it themselves: pass `openSqliteStore`'s result as `store`. */
export { openSqliteStore, SqliteStore, type SqliteOpenOptions } from './sqlite-port.js';
export { Store, type StoreKey } from './store.js';
export { createKeyFile, readKeyFile } from './key-file.js';
export type { Page } from '../core/pagination.js';
