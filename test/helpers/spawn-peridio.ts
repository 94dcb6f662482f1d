/**
 * End-to-end runs: the built `bin/peridio.js` in a child process with a private HOME,
 * and the real `openssl`, as a user would run them. Needs `npm run build` first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliRun } from './run-cli.js';
import { cliHome } from './run-cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'peridio.js');

/** A private HOME and store for one test, and a runner for the built CLI inside it. */
export interface E2eHome {
  home: string;
  storePath: string;
  peridio(args: readonly string[], options?: { stdin?: string }): CliRun;
  /** The same, without waiting: for runs that must overlap. */
  peridioAsync(args: readonly string[]): Promise<CliRun>;
}

export function e2eHome(): E2eHome {
  if (!existsSync(join(ROOT, 'dist', 'main.js'))) throw new Error('dist/ is missing: run npm run build before the end-to-end tests');
  const { home, storePath, env } = cliHome();
  const childEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, CI: 'true' };
  return {
    home,
    storePath,
    peridio(args, options = {}) {
      const result = spawnSync(process.execPath, [BIN, ...args], { cwd: home, env: childEnv, input: options.stdin ?? '', encoding: 'utf8', maxBuffer: 16 << 20 });
      return { stdout: result.stdout, stderr: result.stderr, exitCode: result.status ?? -1 };
    },
    peridioAsync(args) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: home, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
        child.on('error', reject);
        child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
      });
    },
  };
}

/** Runs `openssl ARGS` in `cwd`; throws with its stderr when it fails. */
export function openssl(cwd: string, args: readonly string[]): string {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** True when an `openssl` binary is on PATH. */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
}
