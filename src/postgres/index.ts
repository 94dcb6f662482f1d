/**
 * The PostgreSQL store: a shared store for a team, on a server they already run. The
 * command line loads this module only when a store is named by a `postgres://` or
 * `postgresql://` URL, so nothing of it (nor node-postgres) loads otherwise.
 */
export { openPostgresStore, type PostgresOpenOptions } from './open.js';
