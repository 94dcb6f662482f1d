// The V8 code cache of each chunk of the release executable (scripts/release.mjs), made
// by the Node the executable is built from: a cache is accepted only by the same V8
// with the same flags. Run as
//   node24 scripts/sea-code-cache.cjs CHUNKS_DIR ADDON_PACKAGE [ARGS...]
// it runs the command ARGS from the chunks, as scripts/sea-main.cjs runs them in the
// executable, and then writes CHUNK.cache for each chunk it ran: V8 caches the code of
// every function compiled so far, so the functions a start runs come compiled from the
// cache too, not only each chunk's top level. With no ARGS it only compiles every chunk
// (a cache for the chunks no run touches).
'use strict';
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');

const [dir, addonPackage, ...args] = process.argv.slice(2);
const scripts = new Map();

function compile(id) {
  // As scripts/sea-main.cjs reads it: ASCII, as Latin-1.
  const script = new Script(readFileSync(join(dir, id), 'latin1'), { filename: id });
  scripts.set(id, script);
  return script;
}

function writeCaches() {
  for (const [id, script] of scripts) writeFileSync(join(dir, `${id}.cache`), script.createCachedData());
}

if (args.length === 0) {
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.js'))) compile(`./${name}`);
  writeCaches();
} else {
  const chunks = new Map();
  const chunkRequire = (id) => {
    if (!id.startsWith('./')) return require(id);
    const known = chunks.get(id);
    if (known) return known.exports;
    const module = { exports: {} };
    chunks.set(id, module);
    compile(id).runInThisContext()(module.exports, chunkRequire, module, id, '.');
    return module.exports;
  };
  // Outside the executable the command loads the addon the npm way: Node 24's build.
  chunkRequire.resolve = (request) => {
    if (request === 'better-sqlite3-multiple-ciphers/package.json') return join(addonPackage, 'package.json');
    throw new Error(`cannot resolve ${request} in a chunk`);
  };
  process.argv = [process.argv[0], 'vericode', ...args];
  process.on('exit', (code) => {
    if (code !== 0) throw new Error(`vericode ${args.join(' ')} failed (${code}): no code cache written`);
    writeCaches();
  });
  chunkRequire('./vericode.js');
}
