#!/usr/bin/env node
'use strict';
// No Reflect polyfill here: nothing in src imports @peculiar/x509 (certificates are
// read and built by src/core/x509's own DER code), and loading it would cost every
// command. A module that starts using @peculiar/x509 must load reflect-metadata itself.
// The command is bundled into dist/cli (see rolldown.config.mjs). On Node 22.1+ its
// compiled code is cached between runs, in a directory checked to be the user's own
// (src/cli/compile-cache.ts); a debugging run instead compiles from source with source
// maps, so stack traces point into src/.
if (process.env.VERICODE_DEBUG === '1') process.setSourceMapsEnabled(true);
else require('../dist/cli/compile-cache.js').enableCompileCache();
const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
