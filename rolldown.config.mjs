/**
 * Bundles the command line (src/main.ts and everything it loads) into a few files in
 * dist/cli/. Start-up time is dominated by Node's module loader: resolving, reading
 * and wrapping ~70 small files cost more than running them. A bundle loads a handful.
 *
 * The lazy `await import()`s of src/ stay lazy: each becomes a chunk loaded on demand.
 * Chunks are grouped by what a command needs, so `verification-codes create` loads the
 * command line, the core with SQLite, and its noun, and nothing else:
 *   compile-cache.js      loaded first: on Node 22.1+, Node's compile cache in a
 *                         checked private directory (src/store/private-directory.ts)
 *   main.js               what every command runs (commander, parsing, output, errors)
 *   core.js               the store, SQLite's JavaScript side and the core
 *   x509.js               certificates: parsing, checks, CA registration, device checks
 *   one-time-codes.js     user codes; phrase.js the BIP-39 word list
 *   commands-<noun>.js    the verbs of one noun
 *   chalk.js, prompts.js  loaded only on a terminal
 *   jmespath.js           loaded only with --query
 *   postgres.js           the PostgreSQL store and node-postgres: loaded only for a
 *                         postgres:// store URL
 *   audit-worker.js       the entry of the helper thread of `audit verify`
 *
 * The library entry points (`vericode`, `vericode/store`) are built by tsc into dist/
 * as separate modules; this bundle is only the command. The release executable has
 * its own bundle, one file (scripts/release.mjs), which reuses the plugin below.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'rolldown';

const ENTRY = resolve(import.meta.dirname, 'src', 'main.ts');
/** Loaded by bin/peridio.js before the command, so it stays a file of its own, with the path checks it needs. */
const COMPILE_CACHE = resolve(import.meta.dirname, 'src', 'cli', 'compile-cache.ts');
const PRIVATE_DIRECTORY = resolve(import.meta.dirname, 'src', 'store', 'private-directory.ts');
/** The worker thread of `audit verify` on a long log (src/store/verify-helper.ts starts it from its file). */
const AUDIT_WORKER = resolve(import.meta.dirname, 'src', 'store', 'audit-worker.ts');

/**
 * Chunk names by path, most specific first; the first match wins. The 'cli' group is
 * merged into the entry, main.js. The CA name rule, etags and JITP settings stay in
 * core: the ca-certificates verbs check names, descriptions, --if-match and the --jitp-…
 * flags (as commander reads them, for every verb) before anything loads x509.js. The flag parsers (src/cli/parse.ts, in main.js) read durations, times and
 * page tokens with the core's small pure modules, which go with them.
 */
const GROUPS = [
  // SHA-256 and HMAC (src/core/digest.ts) are on the path of every write; the rest of
  // @noble/hashes serves the phrase codes.
  ['core', /node_modules[\\/]@noble[\\/]hashes[\\/](sha2|_md|_u64|hmac|utils)\.js$/],
  ['phrase', /node_modules[\\/]@(scure|noble)[\\/]|src[\\/]core[\\/]codes[\\/]phrase-code\.ts$/],
  ['cli', /src[\\/]core[\\/](duration|time|pagination)\.ts$/],
  ['x509', /src[\\/]core[\\/](x509[\\/]|ca-certificates[\\/](?!name-rule|etag|jitp)|device-certificates\.ts$)/],
  ['one-time-codes', /src[\\/]core[\\/](one-time-codes[\\/]|codes[\\/]one-time-code-format\.ts$)/],
  ['postgres', /src[\\/]postgres[\\/]|node_modules[\\/](pg|pg-[^\\/]+|pgpass|postgres-[^\\/]+|split2|xtend)[\\/]/],
  ['core', /src[\\/](core|store)[\\/]|node_modules[\\/](better-sqlite3-multiple-ciphers|bindings|file-uri-to-path)[\\/]/],
  ['cli', /src[\\/]cli[\\/][^\\/]+\.ts$|node_modules[\\/]commander[\\/]/],
  ['chalk', /node_modules[\\/]chalk[\\/]/],
  ['jmespath', /node_modules[\\/]jmespath[\\/]/],
  ['prompts', /node_modules[\\/]/],
];

/** Every module the entry loads before it runs anything: all of it goes in main.js. */
function startupModules(ctx) {
  const seen = new Set();
  const queue = [ENTRY];
  while (queue.length > 0) {
    const id = queue.pop();
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(ctx.getModuleInfo(id)?.importedIds ?? []));
  }
  return seen;
}

let startup;

/**
 * A module that stands for Node's module `name` and loads it on first use of one of its
 * properties (process.getBuiltinModule, Node 20.16+). Enumerating it (a namespace
 * import) loads it too, so every form of import still sees the whole module.
 */
export function lazyBuiltinSource(name) {
  const load = `process.getBuiltinModule(${JSON.stringify(name)})`;
  return `module.exports = new Proxy({}, {
  get: (_, key) => ${load}[key],
  has: (_, key) => key in ${load},
  ownKeys: () => Reflect.ownKeys(${load}),
  getOwnPropertyDescriptor: (_, key) => { const found = Reflect.getOwnPropertyDescriptor(${load}, key); return found && { ...found, configurable: true }; },
});`;
}

/**
 * commander requires node:child_process as it loads, for executable subcommands
 * (`program.command('name', 'description')`), which vericode does not use; loading it
 * pulls in net, dgram and their streams, ~5 ms of every start. Inside commander the
 * module is replaced by one that loads the real one on first use, so an executable
 * subcommand would still work.
 */
const LAZY_CHILD_PROCESS = '\0lazy-child-process';
export const lazyChildProcessInCommander = {
  name: 'lazy-child-process-in-commander',
  resolveId(source, importer) {
    if (source === 'node:child_process' && /node_modules[\\/]commander[\\/]/.test(importer ?? '')) return LAZY_CHILD_PROCESS;
    return null;
  },
  load(id) {
    return id === LAZY_CHILD_PROCESS ? lazyBuiltinSource('node:child_process') : null;
  },
};

/**
 * node:crypto loads some forty modules of Node's own (every cipher, key type, KDF and
 * X.509), ~10 ms on Node 24 and ~4 ms on Node 20, and the module that imports it is
 * loaded by every command (the randomness port, the audit chain): it is loaded when
 * a command first uses it instead, so `--help`, `-V` and the reading commands never do.
 */
const LAZY_CRYPTO = '\0lazy-crypto';
export const lazyCrypto = {
  name: 'lazy-crypto',
  resolveId: (source) => (source === 'node:crypto' || source === 'crypto' ? LAZY_CRYPTO : null),
  load: (id) => (id === LAZY_CRYPTO ? lazyBuiltinSource('node:crypto') : null),
};

function chunkName(id, ctx) {
  // private-directory.ts is shared with the core (the release executable's addon): it
  // lives in compile-cache.js, which every run loads first anyway.
  if (id === COMPILE_CACHE || id === PRIVATE_DIRECTORY) return 'compile-cache';
  // An entry of its own, requiring core.js: grouped with the core, it would take the core into its chunk.
  if (id === AUDIT_WORKER) return null;
  // A few lines, shared by the command line and the core: with the command line.
  if (id === LAZY_CRYPTO) return 'cli';
  startup ??= startupModules(ctx);
  if (startup.has(id)) return 'cli';
  const command = /src[\\/]cli[\\/]commands[\\/]([^\\/.]+)/.exec(id);
  if (command) return `commands-${command[1]}`;
  return GROUPS.find(([, test]) => test.test(id))?.[0] ?? null;
}

export default defineConfig({
  input: { main: ENTRY, 'compile-cache': COMPILE_CACHE, 'audit-worker': AUDIT_WORKER },
  platform: 'node',
  // The entry's exports are main's; chunks may add their own (needed by the grouping).
  preserveEntrySignatures: 'allow-extension',
  plugins: [lazyChildProcessInCommander, lazyCrypto],
  transform: { target: 'node20' },
  output: {
    dir: 'dist/cli',
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name].js',
    // Whitespace and comments only: names stay, so stack traces stay readable.
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    sourcemap: true,
    codeSplitting: { includeDependenciesRecursively: false, groups: [{ name: chunkName, debugName: 'by-path' }] },
  },
});
