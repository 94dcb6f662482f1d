#!/usr/bin/env node
'use strict';
// No Reflect polyfill here: nothing in src imports @peculiar/x509 (certificates are
// read and built by src/core/x509's own DER code), and loading it would cost every
// command. A module that starts using @peculiar/x509 must load reflect-metadata itself.
const { main } = require('../dist/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
