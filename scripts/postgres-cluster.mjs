#!/usr/bin/env node
/**
 * A throwaway PostgreSQL cluster for the tests: initdb into a new temporary directory,
 * listening on 127.0.0.1 only, on a free port, its socket directory inside the
 * temporary directory, one password-protected role (scram-sha-256 for every
 * connection, the local socket included). Nothing outside the directory is touched.
 *
 *   node scripts/postgres-cluster.mjs start   prints VERICODE_TEST_POSTGRES_URL=… and
 *                                             VERICODE_TEST_POSTGRES_DIR=… (export them,
 *                                             and the test run uses this cluster)
 *   node scripts/postgres-cluster.mjs stop DIR
 *
 * The binaries are found in PATH, else in the newest /usr/lib/postgresql/<version>/bin
 * (Debian's packages put them there). PostgreSQL refuses to run as root: as root the
 * cluster belongs to, and runs as, nobody.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const ROLE = 'vericode_test';
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const owner = asRoot ? { uid: NOBODY, gid: NOBODY } : {};

/**
 * The directory holding initdb and pg_ctl: the first in `path`, else the newest under
 * `debianRoot`; or an Error saying how to install them.
 */
export function findPostgresBin(path = process.env.PATH ?? '', debianRoot = '/usr/lib/postgresql') {
  const fromPath = path.split(delimiter).filter((dir) => dir && existsSync(join(dir, 'initdb')));
  const debian = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(debianRoot, version, 'bin'))
        .filter((dir) => existsSync(join(dir, 'initdb')))
    : [];
  const dir = [...fromPath, ...debian][0];
  if (dir === undefined) {
    return new Error(`PostgreSQL is not installed: no initdb in PATH or ${debianRoot}/*/bin (on Debian: apt-get install -y postgresql)`);
  }
  return dir;
}

function run(bin, command, args, cwd) {
  const result = spawnSync(join(bin, command), args, { cwd, ...owner, encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} failed (exit ${result.status}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a new cluster. Returns `{ url, dir, dataDir }`: the URL names the `postgres`
 * database of the test role (a superuser, so tests can create databases).
 * @throws Error when PostgreSQL is not installed or does not start.
 */
/** Starts a cluster; `durable` keeps PostgreSQL's fsync on, as a real server runs (benchmarks). */
export async function startCluster({ durable = false } = {}) {
  const bin = findPostgresBin();
  if (bin instanceof Error) throw bin;
  const dir = mkdtempSync(join(tmpdir(), 'vericode-pg-'));
  const dataDir = join(dir, 'data');
  const socketDir = join(dir, 'socket');
  mkdirSync(socketDir, { mode: 0o700 });
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (asRoot) for (const path of [dir, socketDir, passwordFile]) chownSync(path, NOBODY, NOBODY);
  try {
    run(bin, 'initdb', ['-D', dataDir, '-U', ROLE, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync'], dir);
    rmSync(passwordFile);
    const port = await freePort();
    const settings = [
      `listen_addresses='127.0.0.1'`,
      `port=${port}`,
      `unix_socket_directories='${socketDir}'`,
      // Enough for the races the CLI tests run (12 processes) and the suite's workers.
      'max_connections=100',
      'shared_buffers=16MB',
      // A throwaway cluster for tests: durability across a power cut does not matter.
      ...(durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']),
    ];
    writeFileSync(join(dataDir, 'postgresql.auto.conf'), `${settings.join('\n')}\n`);
    run(bin, 'pg_ctl', ['-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'], dir);
    return { url: `postgres://${ROLE}:${password}@127.0.0.1:${port}/postgres`, dir, dataDir };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Stops the cluster in `dir` (if it runs) and removes the directory. */
export function stopCluster(dir) {
  const bin = findPostgresBin();
  const dataDir = join(dir, 'data');
  try {
    if (!(bin instanceof Error) && existsSync(join(dataDir, 'postmaster.pid'))) run(bin, 'pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, dir] = process.argv.slice(2);
  if (command === 'start') {
    const cluster = await startCluster();
    process.stdout.write(`VERICODE_TEST_POSTGRES_URL=${cluster.url}\nVERICODE_TEST_POSTGRES_DIR=${cluster.dir}\n`);
  } else if (command === 'stop' && dir !== undefined) {
    stopCluster(dir);
  } else {
    process.stderr.write('usage: node scripts/postgres-cluster.mjs start | stop DIR\n');
    process.exitCode = 2;
  }
}
