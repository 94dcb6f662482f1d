// Wall time of `peridio ca-certificates verification-codes create` on a key-file
// store, against `node -e 0`. Target: at most 1.5x.
import { benchHome, BIN, compare, nodeBaseline, report, timeRun } from '../lib.js';

export const name = 'verification-codes create';

export async function run() {
  const { env } = benchHome();
  timeRun([process.execPath, BIN, 'init'], { env });
  const create = () => timeRun([process.execPath, BIN, 'ca-certificates', 'verification-codes', 'create', '-q'], { env });
  report('ca-certificates verification-codes create', compare(create, nodeBaseline), 'node -e 0', 1.5);
}
