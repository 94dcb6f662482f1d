/**
 * The entry point: builds the real dependencies, runs the program, and is the one
 * place that turns an error into a message and an exit code.
 */
import { CommanderError, type Command } from 'commander';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { buildProgram } from './cli/program.js';
import { printVersion, VersionRequested } from './cli/version.js';
import type { CliDeps } from './cli/cli.js';
import { COMMAND, writeFailure } from './cli/output.js';
import { exitCodeFor, StoreError, UsageError, VericodeError } from './core/errors.js';
import { cryptoRandom, systemClock } from './core/ports.js';
import { directStdout } from './cli/direct-stdout.js';
import { version } from '../package.json';

export type { CliDeps } from './cli/cli.js';

/** The real dependencies of a process. */
export function processDeps(): CliDeps {
  const stdoutStream = (): Writable => {
    ignoreClosedReader(process.stdout);
    return process.stdout;
  };
  let stderr: CliDeps['stderr'] | undefined;
  return {
    programName: programNameOf(process.argv[1]),
    // Node builds the stdin stream on first access (~7 ms); most commands never read it.
    get stdin() {
      return process.stdin;
    },
    // A pipe, a file or /dev/null is written directly, without building a stream.
    stdout: directStdout(stdoutStream) ?? stdoutStream(),
    // stderr is made on first use: a socket when it is a pipe or a terminal (~4 ms,
    // loading net), and a command that succeeds quietly never writes there.
    get stderr() {
      if (stderr === undefined) {
        stderr = process.stderr;
        ignoreClosedReader(stderr);
      }
      return stderr;
    },
    env: process.env,
    clock: systemClock,
    random: cryptoRandom,
  };
}

/**
 * A reader that stops early (`peridio audit export | head`, `peridio … 2>&1 | head -1`)
 * is not an error: later writes to that stream are dropped and the run still ends
 * with the command's own exit code. Any other write error is still raised.
 */
function ignoreClosedReader(stream: Writable): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

/** The command as invoked: the basename of the script or executable (`vericode`, `peridio`), without `.js`. */
export function programNameOf(script: string | undefined): string {
  const name = script === undefined ? '' : basename(script).replace(/\.[cm]?js$/, '');
  return /^[A-Za-z0-9._-]{1,64}$/.test(name) ? name : 'peridio';
}

/** Runs the CLI with `argv` (the user's arguments, without node and script) and returns the exit code. */
export async function main(argv: readonly string[], deps: CliDeps = processDeps()): Promise<number> {
  const { program, cli } = await buildProgram(deps, argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof VersionRequested) {
      await printVersion(deps.stdout, version, error, argv.includes('--json'));
      return 0;
    }
    if (error instanceof CommanderError && isHelpOrVersion(error)) return 0;
    const failure = toVericodeError(error, commandPath(program, argv));
    writeFailure(deps.stderr, failure, { json: argv.includes('--json'), programName: cli.programName });
    if (deps.env.VERICODE_DEBUG === '1' && error instanceof Error && error.stack) deps.stderr.write(`${error.stack}\n`);
    return exitCodeFor(failure.code);
  } finally {
    await cli.close();
  }
}

/** The command followed by the (sub)commands `argv` names, for pointing at the right --help. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = [COMMAND];
  let current = program;
  for (const word of argv) {
    const sub = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) continue;
    names.push(sub.name());
    current = sub;
  }
  return names.join(' ');
}

function isHelpOrVersion(error: CommanderError): boolean {
  return (
    error.code === 'commander.helpDisplayed' ||
    error.code === 'commander.version' ||
    error.code === 'commander.help' ||
    (error.code === 'commander.executeSubCommandAsync' && error.exitCode === 0)
  );
}

/** Maps anything thrown to a VericodeError; what is not recognized is a bug (`internal`). */
function toVericodeError(error: unknown, command: string): VericodeError {
  if (error instanceof VericodeError) return error;
  if (error instanceof CommanderError) {
    return new UsageError(error.message.replace(/^error: /, ''), `see ${command} --help`);
  }
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_')) return storeFailure(sqliteCode, error as Error);
  return new VericodeError(
    'internal',
    `unexpected failure: ${(error as Error | undefined)?.message ?? String(error)}`,
    'this is a bug: please report it with the output of VERICODE_DEBUG=1 and the command you ran',
  );
}

function storeFailure(code: string, error: Error): StoreError {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError(
      'store_locked',
      'the store is busy: another process kept it locked for more than 5 seconds',
      'try again when the other process has finished',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError('store_corrupt', `the store is damaged: ${error.message.toLowerCase()}`, { kind: 'restore_from_backup' });
  }
  return new StoreError(
    'store_locked',
    `cannot write the store: ${error.message.toLowerCase()}`,
    'check free disk space and the permissions of the store and its directory',
  );
}
