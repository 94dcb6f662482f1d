// Wall time of `peridio device-certificates verify` on hostile input from the
// x509-limbo corpus: the four pathological chains of 100 intermediates (every one a
// candidate issuer of the others; the search is bounded by its candidate budget) and
// a root with thousands of name constraints (refused at the 64 KiB input cap), each
// against `node -e 0`. No target: the figure to watch is that each stays bounded.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { benchHome, BIN, CLEAN_ENV, compare, nodeBaseline, report, ROOT } from '../lib.js';

export const name = 'device-certificates verify (hostile input)';

const CASES = [
  'pathological::pathological-chain-same-subject-same-key',
  'pathological::pathological-chain-same-subject-distinct-key',
  'pathological::pathological-chain-distinct-subject-same-key',
  'pathological::pathological-chain-distinct-subject-distinct-key',
  'pathological::nc-dos-1',
];

/** Milliseconds of one run that must end with exit 2 or 3 (these chains are refused). */
function timeRefusal(argv, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...CLEAN_ENV, ...env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 2 && result.status !== 3) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function run() {
  const corpus = JSON.parse(gunzipSync(readFileSync(join(ROOT, 'fixtures', 'x509-limbo.json.gz'))).toString('utf8')).testcases;
  for (const id of CASES) {
    const testCase = corpus.find((c) => c.id === id);
    const { home, env } = benchHome();
    writeFileSync(join(home, 'root.pem'), testCase.trusted_certs[0]);
    writeFileSync(join(home, 'peer.pem'), testCase.peer_certificate);
    writeFileSync(join(home, 'chain.pem'), testCase.untrusted_intermediates.join(''));
    // The oversized nc-dos root cannot be registered: it is refused as input, and so is the check.
    spawnSync(process.execPath, [BIN, 'ca-certificates', 'create', '-c', join(home, 'root.pem'), '--verified', '-q'], { env });
    const verify = () =>
      timeRefusal(
        [
          process.execPath,
          BIN,
          'device-certificates',
          'verify',
          '-c',
          join(home, 'peer.pem'),
          '--chain-path',
          join(home, 'chain.pem'),
          '--dns-name',
          'example.com',
        ],
        env,
      );
    report(id.replace('pathological::', ''), compare(verify, nodeBaseline, { rounds: 5, warmup: 1 }), 'node -e 0');
  }
}
