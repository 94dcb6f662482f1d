/** The SQLite binding: the one module that loads better-sqlite3-multiple-ciphers. */
import Database from 'better-sqlite3-multiple-ciphers';

export { Database };
/** An open database. */
export type Db = Database.Database;
