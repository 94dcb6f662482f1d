/**
 * The built command is a bundle (rolldown.config.mjs) split by what commands need:
 * these tests pin which of its files each kind of command loads, so start-up stays
 * fast, and that stack traces still point into src/.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

const PRELOAD = join(REPO_ROOT, 'test', 'e2e', 'support', 'record-loaded.cjs');

interface Loaded {
  /** Files of dist/cli, by name. */
  chunks: string[];
  /** Native add-ons (.node files), by name. */
  addons: string[];
  builtins: string[];
}

/** Runs `peridio ARGS` on a key-file store and reports what it loaded. */
function loadedBy(args: readonly string[], home = tempDir('vericode-bundle-')): Loaded {
  const record = join(home, 'loaded.json');
  const env = {
    HOME: home,
    XDG_DATA_HOME: home,
    VERICODE_KEY_FILE: join(home, 'store.key'),
    CI: 'true',
    NODE_OPTIONS: `--require ${PRELOAD}`,
    RECORD_LOADED_TO: record,
  };
  const run = runBin(args, { env });
  expect(run.exitCode, run.stderr).toBe(0);
  const { files, addons, builtins } = JSON.parse(readFileSync(record, 'utf8')) as { files: string[]; addons: string[]; builtins: string[] };
  const bundle = join(REPO_ROOT, 'dist', 'cli');
  return {
    chunks: files
      .filter((f) => f.startsWith(bundle))
      .map((f) => basename(f))
      .sort(),
    addons: addons.map((f) => basename(f)),
    builtins,
  };
}

describe('what the built command loads', () => {
  it('-V: the command line only; no SQLite, no stdin stream, no child_process, no node:crypto', () => {
    const loaded = loadedBy(['-V']);
    expect(loaded.chunks).toEqual(['compile-cache.js', 'main.js', 'rolldown-runtime.js']);
    expect(loaded.addons).toEqual([]);
    expect(loaded.builtins).not.toContain('NativeModule child_process');
    expect(loaded.builtins).not.toContain('NativeModule crypto');
    expect(loaded.builtins).not.toContain('NativeModule internal/fs/streams');
  });

  it('--version: the command line and the core, for the SQLite versions; nothing of the commands', () => {
    const loaded = loadedBy(['--version']);
    expect(loaded.chunks).toEqual(['compile-cache.js', 'core.js', 'main.js', 'rolldown-runtime.js']);
    expect(loaded.addons).toEqual(['better_sqlite3.node']);
  });

  it('verification-codes create: the command line, the core and its noun; nothing of X.509, one-time codes, prompts or node:crypto', () => {
    const loaded = loadedBy(['ca-certificates', 'verification-codes', 'create']);
    expect(loaded.chunks).toEqual([
      'commands-ca-certificates.js',
      'commands-verification-codes.js',
      'compile-cache.js',
      'core.js',
      'main.js',
      'rolldown-runtime.js',
    ]);
    expect(loaded.addons).toEqual(['better_sqlite3.node']);
    expect(loaded.builtins).not.toContain('NativeModule child_process');
    expect(loaded.builtins).not.toContain('NativeModule internal/fs/streams');
    // ~10 ms on Node 24: randomness comes from /dev/urandom, the HMAC and the audit hash from @noble/hashes.
    expect(loaded.builtins).not.toContain('NativeModule crypto');
  });

  it('codes short: adds the one-time codes, not the BIP-39 word list', () => {
    const loaded = loadedBy(['codes', 'short', '--user', 'alice', '--purpose', 'add_device']);
    expect(loaded.chunks).toEqual(['commands-codes.js', 'compile-cache.js', 'core.js', 'main.js', 'one-time-codes.js', 'rolldown-runtime.js']);
  });

  it('codes phrase: and the word list', () => {
    expect(loadedBy(['codes', 'phrase', '--user', 'alice', '--purpose', 'add_device']).chunks).toContain('phrase.js');
  });
});

describe('the streams of a quiet command', () => {
  /** `verification-codes create -q` with stdout to `stdout` and stderr a pipe: its code, its stderr and Node's modules it loaded. */
  function quietCreate(stdout: 'file' | 'pipe'): { code: string; stderr: string; builtins: string[] } {
    const home = tempDir('vericode-bundle-');
    const env = { HOME: home, XDG_DATA_HOME: home, VERICODE_KEY_FILE: join(home, 'store.key'), CI: 'true' };
    expect(runBin(['init', '-q'], { env }).exitCode).toBe(0);
    const record = join(home, 'loaded.json');
    const file = join(home, 'code.txt');
    const out = openSync(file, 'w');
    try {
      const run = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'peridio.js'), 'ca-certificates', 'verification-codes', 'create', '-q'], {
        env: { ...env, NODE_OPTIONS: `--require ${PRELOAD}`, RECORD_LOADED_TO: record },
        stdio: ['ignore', stdout === 'file' ? out : 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      const { builtins } = JSON.parse(readFileSync(record, 'utf8')) as { builtins: string[] };
      return { code: stdout === 'file' ? readFileSync(file, 'utf8') : run.stdout, stderr: run.stderr, builtins };
    } finally {
      closeSync(out);
    }
  }

  it.each(['file', 'pipe'] as const)('stdout a %s, nothing to say on stderr: no stream is made (no stream modules, no net)', (stdout) => {
    const run = quietCreate(stdout);
    expect(run.code).toMatch(/^[A-Za-z0-9]{32}\n$/);
    expect(run.stderr).toBe('');
    // stdout is written directly (src/cli/direct-stdout.ts); stderr is made on the first message.
    expect(run.builtins).not.toContain('NativeModule stream');
    expect(run.builtins).not.toContain('NativeModule net');
  });
});

describe('stack traces of the built command', () => {
  it('point into src/ with VERICODE_DEBUG=1 (the bundle ships source maps)', () => {
    const home = tempDir('vericode-bundle-');
    const run = runBin(['verification-codes', 'create', '--ttl', 'soon'], { env: { HOME: home, VERICODE_DEBUG: '1' } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^peridio: error: .*\n/);
    expect(run.stderr).toMatch(/\(.*src\/cli\/parse\.ts:\d+:\d+\)/);
  });
});
