// The release executable's main script (scripts/release.mjs puts it in the SEA blob).
// The command itself is the bundle of src/sea.ts split into chunks, as the npm build
// splits it (rolldown.config.mjs), each chunk an asset of the executable with the V8
// code cache made for it at build time (scripts/sea-code-cache.cjs): a command compiles
// only the chunks it runs, and the functions a start runs come compiled.
// One script of the whole bundle (900 KB, x509 and the prompts included) made every
// start deserialize the code cache of all of it: running just its top level cost 1.28x
// the CPU of an executable that only loads node:crypto, fs, os and path (measured with
// Node 24.22.3); `verification-codes create` runs 230 KB of it.
// Chunks require each other as `./name.js`; anything else is one of Node's modules.
// They come only from the executable itself, never from a file, and are read in place
// (getRawAsset: no copy): the code cache as it is, the source as Latin-1, which makes
// V8 a one-byte string at no decoding cost (the build writes chunks in ASCII only).
'use strict';

/**
 * Runs the chunk `entry` and the chunks it requires. A worker thread of the executable
 * (`audit verify`'s helper, src/store/verify-helper.ts) runs its own entry chunk with
 * this same function, given its source: it finds it under the global symbol below.
 */
function runChunks(entry) {
  const { getRawAsset } = require('node:sea');
  const { Script } = require('node:vm');
  const builtinRequire = require;
  const chunks = new Map();
  function chunkRequire(id) {
    if (!id.startsWith('./')) return builtinRequire(id);
    const known = chunks.get(id);
    if (known) return known.exports;
    const module = { exports: {} };
    chunks.set(id, module);
    const source = Buffer.from(getRawAsset(`chunk:${id}`)).toString('latin1');
    const script = new Script(source, { filename: id, cachedData: new Uint8Array(getRawAsset(`cache:${id}`)) });
    script.runInThisContext()(module.exports, chunkRequire, module, id, '.');
    return module.exports;
  }
  chunkRequire(entry);
}

globalThis[Symbol.for('vericode.sea.runChunks')] = runChunks;
runChunks('./vericode.js');
