/**
 * End-to-end runs: the built `bin/peridio.js` in a child process with a private HOME,
 * and the real `openssl`, as a user would run them. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runBin, runBinAsync, type BinRun } from './bin.js';
import { cliHome } from './run-cli.js';

/** A private HOME and store for one test, and a runner for the built CLI inside it. */
export interface E2eHome {
  home: string;
  storePath: string;
  peridio(args: readonly string[], options?: { stdin?: string }): BinRun;
  /** The same, without waiting: for runs that must overlap. */
  peridioAsync(args: readonly string[]): Promise<BinRun>;
}

export function e2eHome(): E2eHome {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build before the end-to-end tests');
  const { home, storePath, env } = cliHome();
  const childEnv = { ...env, CI: 'true' };
  return {
    home,
    storePath,
    peridio: (args, options = {}) => runBin(args, { env: childEnv, cwd: home, input: options.stdin }),
    peridioAsync: (args) => runBinAsync(args, { env: childEnv, cwd: home }),
  };
}

/** Runs `openssl ARGS` in `cwd`; throws with its stderr when it fails. */
export function openssl(cwd: string, args: readonly string[]): string {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
