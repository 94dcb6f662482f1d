/** Real child processes for the end-to-end tests: the built CLI and worker scripts. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { BIN, REPO_ROOT as ROOT } from '../../helpers/bin.js';

export { BIN, ROOT };
export const WORKERS = join(ROOT, 'test', 'e2e', 'workers');

/** The e2e tests run the built code: `npm test` builds first. */
export function requireBuild(): void {
  if (!existsSync(join(ROOT, 'dist', 'core', 'store-rekey.js'))) {
    throw new Error('dist/ is missing or stale: run npm run build before the e2e tests (npm test does)');
  }
}

/** A running child with its output collected. */
export interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Children still running: every test file that starts processes ends them after each test. */
const running = new Set<Child>();
afterEach(async () => {
  // A safety net behind the tests' own `finally` blocks: a failed assertion must never
  // leave a process writing to a store after its test.
  await Promise.all([...running].map(killHard));
});

export function start(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Child {
  const child = spawn(command, args, { env: options.env ?? process.env, uid: options.uid, gid: options.gid, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const started: Child = { process: child, stdout: () => out, stderr: () => err, exited };
  running.add(started);
  void exited.then(() => running.delete(started));
  return started;
}

/** Runs the built CLI to completion. */
export async function peridio(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ids: { uid?: number; gid?: number } = {},
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const child = start(process.execPath, [BIN, ...args], { env, ...ids });
  const exitCode = await child.exited;
  return { exitCode, stdout: child.stdout(), stderr: child.stderr() };
}

/** Starts a worker script from test/e2e/workers. */
export function worker(name: string, args: readonly string[]): Child {
  return start(process.execPath, [join(WORKERS, name), ...args]);
}

/** Resolves once the child has printed `line` on stdout (or rejects when it exits first). */
export function waitForLine(child: Child, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => child.stdout().split('\n').includes(line);
    if (check()) return resolve();
    const onData = (): void => {
      if (check()) {
        child.process.stdout!.off('data', onData);
        resolve();
      }
    };
    child.process.stdout!.on('data', onData);
    void child.exited.then(() => (check() ? resolve() : reject(new Error(`exited before printing "${line}": ${child.stderr()}`))));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** kill -9, and wait until the process is gone (a no-op for one that has exited). */
export async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
  await child.exited;
}
