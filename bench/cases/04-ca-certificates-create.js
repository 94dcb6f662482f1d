// Wall time of `peridio ca-certificates create -c ca.pem -v verification.pem` (parse
// both certificates, consume the code, run every CA and verification-certificate
// check, store the CA) against `node -e 0`. Target: at most 2.0x. Beside it,
// `openssl verify -CAfile ca.pem verification.pem`, the same signature check in C.
// Every round registers a fresh CA with a fresh code, prepared before timing starts.
// `peridio --version` is reported too: the part of the time every command pays.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchHome, BIN, compare, nodeBaseline, report, timeRun } from '../lib.js';

export const name = 'ca-certificates create';

const ROUNDS = 15;
const WARMUP = 2;

function openssl(cwd, args) {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A P-256 CA and a verification certificate for a fresh code, as the guides make them. */
function prepareRound(home, env, i) {
  const dir = join(home, `round-${i}`);
  mkdirSync(dir);
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
  openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'ca.key',
    '-sha256',
    '-days',
    '30',
    '-out',
    'ca.pem',
    '-subj',
    `/CN=Bench CA ${i}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
  const code = spawnSync(process.execPath, [BIN, 'ca-certificates', 'verification-codes', 'create', '-q'], { env, encoding: 'utf8' }).stdout.trim();
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'verification.key']);
  openssl(dir, ['req', '-new', '-key', 'verification.key', '-out', 'verification.csr', '-subj', `/CN=${code}`]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'verification.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'verification.pem',
    '-days',
    '1',
    '-sha256',
  ]);
  return dir;
}

export async function run() {
  const { home, env } = benchHome();
  const rounds = Array.from({ length: ROUNDS + WARMUP }, (_, i) => prepareRound(home, env, i));
  let next = 0;
  const create = () => {
    const dir = rounds[next++];
    return timeRun([process.execPath, BIN, 'ca-certificates', 'create', '-c', join(dir, 'ca.pem'), '-v', join(dir, 'verification.pem'), '-q'], { env });
  };
  report('ca-certificates create -c -v (P-256)', compare(create, nodeBaseline, { rounds: ROUNDS, warmup: WARMUP }), 'node -e 0', 2.0);
  // The floor every command pays: starting Node and loading the CLI, with no store work.
  const version = () => timeRun([process.execPath, BIN, '--version']);
  report('peridio --version (startup floor, for reference)', compare(version, nodeBaseline, { rounds: ROUNDS, warmup: WARMUP }), 'node -e 0');
  const dir = rounds[0];
  const verify = () => timeRun(['openssl', 'verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'verification.pem')]);
  report('openssl verify -CAfile ca.pem verification.pem', compare(verify, nodeBaseline, { rounds: ROUNDS, warmup: WARMUP }), 'node -e 0');
}
