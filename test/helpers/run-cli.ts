/**
 * Runs the CLI in-process through `main`, with captured streams, a fixed clock and
 * seeded randomness, and returns exactly what a user would see.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Prompter } from '../../src/cli/prompt.js';
import { main } from '../../src/main.js';
import type { Clock, RandomSource } from '../../src/core/ports.js';
import { fixedClock, type FixedClock } from './clock.js';
import { seededRandom } from './random.js';
import { tempDir } from './temp.js';
import { TEST_KEY } from './store.js';

export interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Text on stdin. */
  stdin?: string;
  /** Make stdin, stdout and stderr TTYs (default false: piped, as in scripts). */
  tty?: boolean;
  clock?: Clock;
  random?: RandomSource;
  prompter?: Prompter;
  /** The command as invoked (default: main's own, `peridio`). */
  programName?: string;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** Runs `peridio ARGS` in-process. */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = options.tty === true;
  stdin.end(options.stdin ?? '');
  const stdout = new Capture(options.tty === true);
  const stderr = new Capture(options.tty === true);
  const exitCode = await main(args, {
    stdin,
    stdout,
    stderr,
    env: options.env ?? {},
    clock: options.clock ?? fixedClock(),
    random: options.random ?? seededRandom(1),
    prompter: options.prompter,
    programName: options.programName,
  });
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

/** A private HOME with a key file for TEST_KEY, and the env that points the CLI at it. */
export interface CliHome {
  home: string;
  storePath: string;
  keyFile: string;
  env: Record<string, string>;
}

export function cliHome(): CliHome {
  const home = tempDir('vericode-home-');
  const keyFile = join(home, 'test.key');
  writeFileSync(keyFile, `${TEST_KEY.toString('hex')}\n`, { mode: 0o600 });
  // The store is at the default path under XDG_DATA_HOME, not named by VERICODE_STORE:
  // only the default store is created on first use.
  const dataHome = join(home, 'data');
  mkdirSync(dataHome, { mode: 0o700 });
  const storePath = join(dataHome, 'vericode', 'store.db');
  return { home, storePath, keyFile, env: { HOME: home, XDG_DATA_HOME: dataHome, VERICODE_KEY_FILE: keyFile } };
}

/** A CliHome whose runs share one clock and one random stream, as successive real runs would. */
export interface CliSession extends CliHome {
  clock: FixedClock;
  random: RandomSource;
  run(args: readonly string[], options?: Omit<RunOptions, 'clock' | 'random'>): Promise<CliRun>;
}

export function cliSession(options: { at?: string; seed?: string | number } = {}): CliSession {
  const home = cliHome();
  const clock = fixedClock(options.at);
  const random = seededRandom(options.seed ?? 1);
  return {
    ...home,
    clock,
    random,
    run: (args, runOptions = {}) => runCli(args, { ...runOptions, env: { ...home.env, ...runOptions.env }, clock, random }),
  };
}

/** A prompter that answers from a script and records what it was asked. */
export function scriptedPrompter(answers: Array<string | boolean>): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string): string | boolean => {
    asked.push(message);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    return answers.shift()!;
  };
  return {
    asked,
    secret: async (message) => String(next(message)),
    confirm: async (message) => next(message) === true,
  };
}
