// Wall time of `peridio ca-certificates verification-codes create` on a key-file
// store, against `node -e 0`. Target: at most 1.5x. On Node 22.1+ the warm-up runs fill
// the compile cache (src/cli/compile-cache.ts), as any earlier run of the command would;
// the second line shows a run without it, as the first run after an install or upgrade
// is. Node 20 has no compile cache: both lines measure the same thing there.
import { benchHome, BIN, compare, nodeBaseline, report, timeRun } from '../lib.js';

export const name = 'verification-codes create';

export async function run() {
  const { env } = benchHome();
  const create = (runEnv) => () => timeRun([process.execPath, BIN, 'ca-certificates', 'verification-codes', 'create', '-q'], { env: runEnv });
  report('ca-certificates verification-codes create', compare(create(env), nodeBaseline), 'node -e 0', 1.5);
  report('  the same, without the compile cache', compare(create({ ...env, NODE_DISABLE_COMPILE_CACHE: '1' }), nodeBaseline), 'node -e 0');
}
