#!/usr/bin/env node
// No Reflect polyfill here: nothing in src imports @peculiar/x509 (certificates are
// read and built by src/core/x509's own DER code), and loading reflect-metadata costs
// every command more than half a `node -e 0`. A module that starts using
// @peculiar/x509 must `import 'reflect-metadata'` itself, right before it.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
