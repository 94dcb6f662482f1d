// `npm run bench`: runs every bench/cases/*.js in name order. Each case exports
// `name` and an async `run()` that prints its own lines through lib.report.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.js';

const only = process.argv[2];
const dir = join(ROOT, 'bench', 'cases');
console.log(`vericode benchmarks: node ${process.version}, medians of interleaved runs; ratios are against a baseline measured in the same run\n`);
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .sort()) {
  if (only && !file.includes(only)) continue;
  const benchCase = await import(pathToFileURL(join(dir, file)).href);
  await benchCase.run();
}
