// Preloaded with --require by test/e2e/bundle.test.ts: at exit, writes what the process
// loaded (files of the bundle, and Node's own modules) to $RECORD_LOADED_TO as JSON.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.RECORD_LOADED_TO, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList }));
});
