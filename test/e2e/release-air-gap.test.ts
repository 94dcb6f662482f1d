/**
 * The release tarball as an air-gapped user runs it (`npm run release` builds it; `npm
 * test` does so first). Every step runs under `unshare --net` (no network), with
 * `env -i`, a PATH that holds only openssl, tar, gzip and coreutils (no node, npm or
 * compiler), an empty HOME, and the unpacked executable's directory mounted read-only.
 * Without the artifact this file fails, naming the command that builds it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/bin.js';
import { asRoot } from '../helpers/unprivileged.js';

const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const RELEASE = join(REPO_ROOT, 'release');
const NAME = `vericode-${version}-linux-x64`;
const TARBALL = join(RELEASE, `${NAME}.tar.gz`);
const TOOLS = ['openssl', 'tar', 'gzip', 'sha256sum', 'cat', 'ls', 'mkdir', 'cp', 'rm', 'sh'];

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** A sandbox: the carried files, the unpacked release (read-only when run), a PATH of tools, an empty HOME. */
interface AirGap {
  root: string;
  app: string;
  home: string;
  work: string;
  /** Runs `argv` in the sandbox; `unpack` leaves the app directory writable, to unpack into. */
  run(argv: readonly string[], options?: { input?: string; home?: string; unpack?: boolean }): Run;
  start(argv: readonly string[], options?: { home?: string }): Promise<Run>;
}

/** Inside the new namespaces: the app directory read-only, then only PATH and HOME. */
const SANDBOX_SCRIPT =
  'app="$1" bin="$2" work="$3" home="$4" mode="$5"; shift 5; { [ "$mode" = unpack ] || mount --bind -o ro "$app" "$app"; } && cd "$work" && exec /usr/bin/env -i PATH="$bin" HOME="$home" "$@"';

/** `argv` in the sandbox: no network (a new network namespace has only a down loopback), its own mounts. */
function sandboxArgv(box: { app: string; bin: string; work: string }, home: string, argv: readonly string[], mode = 'run'): string[] {
  const namespaces = asRoot ? ['--net', '--mount'] : ['--map-root-user', '--net', '--mount'];
  return ['unshare', ...namespaces, '--', '/bin/sh', '-c', SANDBOX_SCRIPT, 'sh', box.app, box.bin, box.work, home, mode, ...argv];
}

function airGap(): AirGap {
  const root = mkdtempSync(join(tmpdir(), 'vericode-airgap-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bin = join(root, 'bin');
  const home = join(root, 'home');
  const work = join(home, 'work');
  const app = join(root, 'app');
  mkdirSync(bin);
  mkdirSync(work, { recursive: true });
  mkdirSync(app);
  for (const tool of TOOLS) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(bin, tool));
  }
  // What the user carries across the air gap: the tarball and its checksums.
  copyFileSync(TARBALL, join(work, `${NAME}.tar.gz`));
  copyFileSync(join(RELEASE, 'SHA256SUMS'), join(work, 'SHA256SUMS'));
  const box = { app, bin, work };
  return {
    root,
    app,
    home,
    work,
    run: (argv, options = {}) => {
      const [command, ...args] = sandboxArgv(box, options.home ?? home, argv, options.unpack ? 'unpack' : 'run');
      const result = spawnSync(command!, args, { input: options.input ?? '', encoding: 'utf8', env: {} });
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.status };
    },
    start: (argv, options = {}) =>
      new Promise((resolve, reject) => {
        const [command, ...args] = sandboxArgv(box, options.home ?? home, argv);
        const child = spawn(command!, args, { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
        });
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString('utf8');
        });
        child.on('error', reject);
        child.on('close', (exitCode) => resolve({ stdout, stderr, exitCode }));
      }),
  };
}

function ok(run: Run): string {
  expect(run.stderr.includes('error'), run.stderr).toBe(false);
  expect(run.exitCode, run.stderr).toBe(0);
  return run.stdout;
}

let box: AirGap;
let peridio: string;

beforeAll(() => {
  if (!existsSync(TARBALL)) {
    throw new Error(`the release artifact ${TARBALL} is missing: build it with npm run release (npm test does)`);
  }
  box = airGap();
  // The README's steps: check the checksum, unpack.
  expect(ok(box.run(['sha256sum', '--ignore-missing', '-c', 'SHA256SUMS']))).toBe(`${NAME}.tar.gz: OK\n`);
  ok(box.run(['tar', '-xzf', `${NAME}.tar.gz`, '-C', box.app], { unpack: true }));
  peridio = join(box.app, NAME, 'peridio');
}, 120_000);

describe('the release executable, air-gapped', { timeout: 120_000 }, () => {
  it('the sandbox has no network, no node and a read-only app directory', () => {
    const interfaces = ok(box.run(['cat', '/proc/net/dev']))
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => line.trim().split(':')[0]);
    expect(interfaces).toEqual(['lo']);
    expect(box.run(['sh', '-c', 'command -v node npm cc gcc; echo "$PATH"']).stdout).toBe(`${join(box.root, 'bin')}\n`);
    const write = box.run(['sh', '-c', `echo x > ${join(box.app, NAME, 'planted')}`]);
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/read-only file system/i);
  });

  it('ships the executable, the peridio link, docs, completions and the man page', () => {
    const top = join(box.app, NAME);
    expect(readdirSync(top).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'completions', 'man', 'peridio', 'vericode']);
    expect(lstatSync(join(top, 'peridio')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(top, 'completions')).sort()).toEqual(['_peridio', 'peridio.bash', 'peridio.fish']);
    expect(readFileSync(join(top, 'man', 'man1', 'vericode.1'), 'utf8')).toMatch(/^\.TH VERICODE 1 "\d{4}-\d{2}-\d{2}" "vericode 0\.1\.0"/);
  });

  it('-V and --version --json: Node 24, SQLite inside, release executable', () => {
    expect(box.run([peridio, '-V'])).toEqual({ stdout: `vericode ${version}\n`, stderr: '', exitCode: 0 });
    const report = JSON.parse(ok(box.run([join(box.app, NAME, 'vericode'), '--version', '--json']))) as Record<string, unknown>;
    expect(report).toMatchObject({
      version,
      platform: 'linux-x64',
      release_executable: true,
      sqlite_error: null,
      sqlite: expect.stringMatching(/^3\./),
      sqlite3mc: expect.stringMatching(/^2\./),
    });
    expect(report.node).toMatch(/^24\./);
  });

  it('AWS flow with openssl-made certificates: code, verification certificate, register', () => {
    ok(box.run(['openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'aws-ca.key']));
    ok(
      box.run([
        'openssl',
        'req',
        '-x509',
        '-new',
        '-key',
        'aws-ca.key',
        '-sha256',
        '-days',
        '365',
        '-out',
        'aws-ca.pem',
        '-subj',
        '/CN=Air Gap Root/O=Example',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]),
    );
    const code = ok(box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '-q'])).trim();
    expect(code).toMatch(/^[A-Za-z0-9]{32}$/);
    ok(box.run(['openssl', 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'aws-v.key']));
    ok(box.run(['openssl', 'req', '-new', '-key', 'aws-v.key', '-out', 'aws-v.csr', '-subj', `/CN=${code}`]));
    ok(
      box.run([
        'openssl',
        'x509',
        '-req',
        '-in',
        'aws-v.csr',
        '-CA',
        'aws-ca.pem',
        '-CAkey',
        'aws-ca.key',
        '-CAcreateserial',
        '-out',
        'aws-v.pem',
        '-days',
        '1',
        '-sha256',
      ]),
    );
    const registered = JSON.parse(ok(box.run([peridio, 'ca-certificates', 'create', '-c', 'aws-ca.pem', '-v', 'aws-v.pem', '--json']))) as Record<
      string,
      unknown
    >;
    expect(registered).toMatchObject({ is_verified: true, status: 'active' });
  });

  it('Azure flow: register without -v, a code bound to it, verify', () => {
    ok(box.run(['openssl', 'genrsa', '-out', 'az-ca.key', '2048']));
    ok(
      box.run([
        'openssl',
        'req',
        '-x509',
        '-new',
        '-key',
        'az-ca.key',
        '-sha256',
        '-days',
        '365',
        '-out',
        'az-ca.pem',
        '-subj',
        '/CN=Azure Air Gap Root',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ]),
    );
    expect(JSON.parse(ok(box.run([peridio, 'ca-certificates', 'create', '-c', 'az-ca.pem', '--name', 'factory-ca', '--json'])))).toMatchObject({
      name: 'factory-ca',
      is_verified: false,
    });
    const code = ok(box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '--certificate', 'factory-ca', '-q'])).trim();
    ok(box.run(['openssl', 'genrsa', '-out', 'az-v.key', '2048']));
    ok(box.run(['openssl', 'req', '-new', '-key', 'az-v.key', '-out', 'az-v.csr', '-subj', `/CN=${code}`]));
    ok(
      box.run([
        'openssl',
        'x509',
        '-req',
        '-in',
        'az-v.csr',
        '-CA',
        'az-ca.pem',
        '-CAkey',
        'az-ca.key',
        '-CAcreateserial',
        '-out',
        'az-v.pem',
        '-days',
        '1',
        '-sha256',
      ]),
    );
    expect(JSON.parse(ok(box.run([peridio, 'ca-certificates', 'verify', 'factory-ca', '-v', 'az-v.pem', '--json'])))).toMatchObject({
      name: 'factory-ca',
      is_verified: true,
    });
  });

  it('x509 create --ca makes a CA openssl reads', () => {
    ok(box.run([peridio, 'x509', 'create', '--ca', '--common-name', 'Dev Root', '--key-out', 'dev.key', '--out', 'dev.pem']));
    expect(ok(box.run(['openssl', 'x509', '-in', 'dev.pem', '-noout', '-subject']))).toMatch(/CN\s*=\s*Dev Root/);
    expect(statSync(join(box.work, 'dev.key')).mode & 0o777).toBe(0o600);
  });

  it('one-time codes: short, long and phrase, issued and redeemed', () => {
    for (const type of ['short', 'long', 'phrase']) {
      const code = ok(box.run([peridio, 'codes', type, '--user', 'alice', '--purpose', `air_gap_${type}`, '--authorize', '-q']));
      expect(box.run([peridio, 'codes', 'redeem', '--user', 'alice', '--purpose', `air_gap_${type}`, '-q'], { input: code })).toEqual({
        stdout: 'consumed\n',
        stderr: '',
        exitCode: 0,
      });
    }
  });

  it('audit verify and store backup', () => {
    expect(ok(box.run([peridio, 'audit', 'verify']))).toMatch(/ok|intact|verified/i);
    ok(box.run([peridio, 'store', 'backup', '--out', 'backup.db']));
    expect(statSync(join(box.work, 'backup.db')).size).toBeGreaterThan(0);
  });

  it('audit verify of a log of over 100,000 events shares the work with a second thread', () => {
    const keyFile = join(box.work, 'long.key');
    writeFileSync(keyFile, `${'5a'.repeat(32)}\n`, { mode: 0o600 });
    // Made outside the sandbox by the npm build's store maker, as a year of use would leave it.
    const made = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'bench', 'make-store.mjs'), '--store', join(box.work, 'long.db'), '--key-file', keyFile, '--verification-codes', '70000', '--cas', '0'],
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    // Node says when it starts a worker thread (its chunk runs from the executable's assets).
    const run = box.run(['sh', '-c', 'NODE_DEBUG=worker exec "$0" --store long.db --key-file long.key audit verify --json', peridio]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain('created Worker with ID 1');
    expect(run.stderr).not.toMatch(/5a5a5a5a|5a 5a 5a 5a|90, 90, 90, 90/);
    expect((JSON.parse(run.stdout) as { events: number }).events).toBeGreaterThan(100_000);
  });

  it('unpacks its SQLite addon once, privately, under a name made of its SHA-256', () => {
    const dir = join(box.home, '.cache', 'vericode', 'sqlite');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(/^better_sqlite3-[0-9a-f]{64}\.node$/)]);
    expect(statSync(join(dir, files[0]!)).mode & 0o777).toBe(0o600);
  });

  it('two processes starting at once, with no addon unpacked yet, both unpack it and run', async () => {
    const home = join(box.root, 'fresh-home');
    mkdirSync(home);
    ok(box.run([peridio, 'init', '-q'], { home }));
    rmSync(join(home, '.cache'), { recursive: true });
    const runs = await Promise.all([0, 1].map(() => box.start([peridio, 'ca-certificates', 'verification-codes', 'create', '-q'], { home })));
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^[A-Za-z0-9]{32}\n$/);
    }
    expect(readdirSync(join(home, '.cache', 'vericode', 'sqlite'))).toEqual([expect.stringMatching(/^better_sqlite3-[0-9a-f]{64}\.node$/)]);
  });

  it('two first runs at once on a fresh HOME (no key, no store, no addon yet) both succeed with one key and one store', async () => {
    // The loser of the race to create the key file used to fail ("it already exists").
    for (let pair = 0; pair < 8; pair += 1) {
      const home = join(box.root, `first-run-${pair}`);
      mkdirSync(home);
      const runs = await Promise.all([0, 1].map(() => box.start([peridio, 'ca-certificates', 'verification-codes', 'create', '-q'], { home })));
      for (const run of runs) {
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^[A-Za-z0-9]{32}\n$/);
      }
      expect(
        ok(box.run([peridio, 'verification-codes', 'list', '-q'], { home }))
          .trim()
          .split('\n'),
      ).toHaveLength(2);
    }
  });

  it('a tampered or swapped unpacked addon is never loaded: it is replaced by the checked one', () => {
    const dir = join(box.home, '.cache', 'vericode', 'sqlite');
    const [file] = readdirSync(dir);
    const path = join(dir, file!);
    // One byte changed, the size kept: the file is not the executable's asset, so it is
    // written again before anything loads it.
    const original = readFileSync(path);
    const flipped = Buffer.from(original);
    const middle = flipped.length >> 1;
    flipped[middle] = flipped[middle]! ^ 0xff;
    writeFileSync(path, flipped);
    expect(ok(box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '-q']))).toMatch(/^[A-Za-z0-9]{32}\n$/);
    expect(readFileSync(path).equals(original)).toBe(true);
    writeFileSync(path, 'planted');
    expect(box.run([peridio, '-V', '--json']).exitCode).toBe(0);
    expect(ok(box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '-q']))).toMatch(/^[A-Za-z0-9]{32}\n$/);
    expect(statSync(path).size).toBeGreaterThan(1_000_000);
    unlinkSync(path);
    writeFileSync(join(box.root, 'evil.node'), 'planted');
    symlinkSync(join(box.root, 'evil.node'), path);
    ok(box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '-q']));
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readFileSync(join(box.root, 'evil.node'), 'utf8')).toBe('planted');
  });

  it.runIf(asRoot)('refuses to unpack under a HOME another user controls: exit 7, nothing loaded', () => {
    const home = join(box.root, 'alice');
    mkdirSync(home);
    chownSync(home, 65534, 65534);
    const run = box.run([peridio, 'ca-certificates', 'verification-codes', 'create', '-q'], { home });
    expect(run.exitCode).toBe(7);
    expect(run.stderr).toContain('peridio: error: found no private directory to unpack the sqlite addon into');
    expect(existsSync(join(home, '.cache'))).toBe(false);
    expect(existsSync(join(home, '.local', 'share', 'vericode', 'store.db'))).toBe(false);
  });
});
