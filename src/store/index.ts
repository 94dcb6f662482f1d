/** The encrypted store, for library users who open it themselves. */
export { Store, type StoreKey } from './store.js';
export { createKeyFile, readKeyFile } from './key-file.js';
export type { Page } from '../core/pagination.js';
