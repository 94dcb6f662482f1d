#!/usr/bin/env node
'use strict';
// @peculiar/x509 needs the Reflect metadata polyfill loaded before it.
require('reflect-metadata');
const { main } = require('../dist/main.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
