// Wall time of `peridio x509 create --ca` (a P-256 development CA: key pair,
// self-signed certificate, two files written) against `node -e 0`, target at most
// 2.0x; against the CLI's own startup (`peridio -V`), to show what the command
// itself costs; and beside it `openssl req -x509 -newkey ec` doing the same job.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { benchHome, BIN, compare, nodeBaseline, report, timeRun } from '../lib.js';

export const name = 'x509 create --ca';

export async function run() {
  const { home, env } = benchHome();
  const ca = join(home, 'ca.pem');
  const key = join(home, 'ca.key');
  const fresh = () => {
    rmSync(ca, { force: true });
    rmSync(key, { force: true });
  };
  const peridio = () => {
    fresh();
    return timeRun([process.execPath, BIN, 'x509', 'create', '--ca', '--common-name', 'Bench Root', '--key-out', key, '--out', ca, '-q'], { env });
  };
  report('x509 create --ca (ec-p256)', compare(peridio, nodeBaseline), 'node -e 0', 2.0);
  // What the command adds over starting the CLI at all (module loading is shared by every command).
  const version = () => timeRun([process.execPath, BIN, '-V'], { env });
  report('x509 create --ca vs peridio --version', compare(peridio, version), 'startup');
  if (spawnSync('openssl', ['version']).status !== 0) return;
  const openssl = () => {
    fresh();
    return timeRun([
      'openssl',
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      ca,
      '-subj',
      '/CN=Bench Root',
      '-days',
      '365',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
  };
  report('openssl req -x509 -newkey ec (same job)', compare(openssl, nodeBaseline), 'node -e 0');
  report('x509 create --ca vs openssl req -x509', compare(peridio, openssl), 'openssl');
}
