/**
 * A CLI session for the codes tests: one private store, one clock shared by every run,
 * and a fresh seed per run so ids and codes never repeat.
 */
import { fixedClock, type FixedClock } from '../helpers/clock.js';
import { seededRandom } from '../helpers/random.js';
import { cliHome, runCli, type CliRun, type RunOptions } from '../helpers/run-cli.js';

export interface CodesSession {
  clock: FixedClock;
  run(args: readonly string[], options?: Omit<RunOptions, 'env' | 'clock' | 'random'>): Promise<CliRun>;
  /** Issues a code with `-q` and returns it. */
  issue(type: 'short' | 'long' | 'phrase', user?: string, purpose?: string, extra?: readonly string[]): Promise<string>;
}

export const ORG_ID = /prn:1:[0-9a-f-]{36}/.source;
export const CODE_PRN = `${ORG_ID}:code:[0-9a-f-]{36}`;

/** A session over a new store (created by a first, discarded run). */
export async function codesSession(): Promise<CodesSession> {
  const { env } = cliHome();
  const clock = fixedClock('2025-01-01T00:00:00Z');
  let seed = 0;
  const run: CodesSession['run'] = (args, options = {}) => {
    seed += 1;
    return runCli(args, { ...options, env, clock, random: seededRandom(`codes-${seed}`) });
  };
  await run(['organizations', 'list']);
  return {
    clock,
    run,
    async issue(type, user = 'alice', purpose = 'add_credential', extra = ['--authorize']) {
      const result = await run(['codes', type, '--user', user, '--purpose', purpose, ...extra, '-q']);
      if (result.exitCode !== 0) throw new Error(`issuing failed: ${result.stderr}`);
      return result.stdout.trim();
    },
  };
}

/** The exact stderr of an error with its hint. */
export function errorOutput(message: string, hint?: string): string {
  return `peridio: error: ${message}\n${hint === undefined ? '' : `peridio: hint: ${hint}\n`}`;
}
