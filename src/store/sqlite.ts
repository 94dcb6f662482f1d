/** The SQLite binding: the one module that loads better-sqlite3-multiple-ciphers. */
// `import = require` rather than a default import: the declarations tsc emits then
// type-check in a consumer's project without `esModuleInterop`.
import Database = require('better-sqlite3-multiple-ciphers');

export { Database };
/** An open database. */
export type Db = Database.Database;
