#!/usr/bin/env node
'use strict';
// No Reflect polyfill here: nothing in src imports @peculiar/x509 (certificates are
// read and built by src/core/x509's own DER code), and loading it would cost every
// command. A module that starts using @peculiar/x509 must load reflect-metadata itself.
// The command is bundled into dist/cli (see rolldown.config.mjs). Source maps are read
// only when a stack trace is asked for, before any of it loads.
if (process.env.VERICODE_DEBUG === '1') process.setSourceMapsEnabled(true);
const { main } = require('../dist/cli/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
