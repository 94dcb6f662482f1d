// Preloaded with --require by test/e2e/bundle.test.ts: at exit, writes what the process
// loaded (files of the bundle, native addons, and Node's own modules) to
// $RECORD_LOADED_TO as JSON. Addons are read from the process's memory map: the SQLite
// addon is loaded with process.dlopen, which require.cache does not see.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

process.on('exit', () => {
  const mapped = readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/)[5] ?? '');
  const addons = [...new Set(mapped.filter((path) => path.endsWith('.node')))];
  writeFileSync(process.env.RECORD_LOADED_TO, JSON.stringify({ files: Object.keys(require.cache), addons, builtins: process.moduleLoadList }));
});
