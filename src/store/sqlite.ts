/**
 * The SQLite binding: the one module that loads better-sqlite3-multiple-ciphers and its
 * compiled addon. From npm the addon is the one `npm install` compiled for the running
 * Node; in the release executable it is an asset of the executable, unpacked and
 * checked first (./sea-binding.ts). The addon is loaded before any store file is
 * made, so an addon that does not load leaves nothing behind, and its failure is its
 * own error naming the fix, not a store that "cannot be opened".
 */
// `import = require` rather than a default import: the declarations tsc emits then
// type-check in a consumer's project without `esModuleInterop`.
import Database = require('better-sqlite3-multiple-ciphers');
import { dirname, join } from 'node:path';
import { StoreError } from '../core/errors.js';
import { isReleaseExecutable, unpackReleaseAddon } from './sea-binding.js';

export { Database };
/** An open database. */
export type Db = Database.Database;
/** A prepared statement. */
export type Statement = Database.Statement;
/** A function wrapped in a transaction by `db.transaction`. */
export type Transaction<F extends (...args: never[]) => unknown> = Database.Transaction<F>;

/** The addon's exports, as better-sqlite3 takes them in its `nativeBinding` option. */
type Addon = object;

let loaded: Addon | undefined;
const REBUILD_HINT = `rebuild it for this node (${process.version}) with: npm rebuild better-sqlite3-multiple-ciphers; or use the release executable (vericode-linux-x64), which carries its own`;

/**
 * The compiled addon, loaded once.
 * @throws StoreError `sqlite_unavailable` when it cannot be loaded (built for another
 * Node, missing, damaged), with the command that rebuilds it.
 */
export function sqliteAddon(): Addon {
  loaded ??= isReleaseExecutable()
    ? loadAddonFile(unpackReleaseAddon(), 'the executable may be damaged: check it against SHA256SUMS')
    : loadAddonFile(npmAddonPath());
  return loaded;
}

/** Opens the database at `path` with the checked addon (options as better-sqlite3's). */
export function openDatabase(path: string, options: Omit<Database.Options, 'nativeBinding'>): Db {
  // Passed directly: the driver's own lookup (the `bindings` package) probes a dozen
  // paths. It takes the loaded addon as well as a path; its types say only a path.
  return new Database(path, { ...options, nativeBinding: sqliteAddon() as unknown as string });
}

/** The SQLite and SQLite3 Multiple Ciphers versions of the addon. */
export function sqliteVersions(): { sqlite: string; sqlite3mc: string } {
  const db = openDatabase(':memory:', {});
  try {
    const row = db.prepare('SELECT sqlite_version() AS sqlite, sqlite3mc_version() AS sqlite3mc').get() as { sqlite: string; sqlite3mc: string };
    return { sqlite: row.sqlite, sqlite3mc: row.sqlite3mc.replace(/^SQLite3 Multiple Ciphers /, '') };
  } finally {
    db.close();
  }
}

function npmAddonPath(): string {
  return join(dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'build', 'Release', 'better_sqlite3.node');
}

/**
 * Loads the addon at `path`.
 * @throws StoreError `sqlite_unavailable` naming the cause and the fix.
 */
export function loadAddonFile(path: string, hint = REBUILD_HINT): Addon {
  // Read by the addon once, as it loads: read-only media need the `immutable=1` URI
  // parameter (./connection.ts). Every store path is made absolute first, so none can
  // be mistaken for a URI.
  process.env.SQLITE_USE_URI = '1';
  const module = { exports: {} };
  try {
    process.dlopen(module, path);
  } catch (error) {
    const reason = error instanceof Error ? describeDlopenError(error) : String(error);
    throw new StoreError('sqlite_unavailable', `cannot load the sqlite binding ${path}: ${reason}`, hint, { cause: error });
  }
  return module.exports;
}

/** dlopen's message on one line, with the usual causes said plainly. */
function describeDlopenError(error: Error): string {
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  const versions = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires NODE_MODULE_VERSION (\d+)/.exec(message);
  if (versions) return `it was built for another version of node (node_module_version ${versions[1]}; this node needs ${versions[2]})`;
  if (/did not self-register/i.test(message)) return 'it was built for another version of node (module did not self-register)';
  if (/no such file/i.test(message)) return 'it is missing: the install did not compile it';
  return message.toLowerCase();
}
