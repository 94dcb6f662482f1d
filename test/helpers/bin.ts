/**
 * Runs the built command (`node bin/peridio.js`, after `npm run build`) as a user
 * would, with a clean environment: only PATH plus what the test passes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
export const BIN = join(REPO_ROOT, 'bin', 'peridio.js');

export interface BinRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface BinOptions {
  env?: Record<string, string>;
  input?: string;
  /** Working directory (default: the test process's). */
  cwd?: string;
  /** Run as another user (tests run as root on CI machines, who ignores permissions). */
  uid?: number;
  gid?: number;
}

function spawnOptions(options: BinOptions) {
  return {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env },
    cwd: options.cwd,
    uid: options.uid,
    gid: options.gid,
  };
}

/** Runs `peridio ARGS` to completion. */
export function runBin(args: readonly string[], options: BinOptions = {}): BinRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { ...spawnOptions(options), input: options.input ?? '', encoding: 'utf8', maxBuffer: 16 << 20 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, exitCode: result.status ?? -1 };
}

/** Starts `peridio ARGS` and resolves when it exits, so several can run at once. */
export function runBinAsync(args: readonly string[], options: BinOptions = {}): Promise<BinRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { ...spawnOptions(options), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, exitCode: code ?? -1 }));
    child.stdin.end(options.input ?? '');
  });
}
