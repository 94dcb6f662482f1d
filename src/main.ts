/**
 * The entry point: builds the real dependencies, runs the program, and is the one
 * place that turns an error into a message and an exit code.
 */
import { CommanderError, type Command } from 'commander';
import { buildProgram } from './cli/program.js';
import { printVersion, VersionRequested } from './cli/version.js';
import type { CliDeps } from './cli/cli.js';
import { exitCodeFor, StoreError, UsageError, VericodeError } from './core/errors.js';
import { cryptoRandom, systemClock } from './core/ports.js';
import { version } from '../package.json';

export type { CliDeps } from './cli/cli.js';

/** The real dependencies of a process. */
export function processDeps(): CliDeps {
  // A reader that stops early (`peridio audit export | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  return {
    // Node builds the stdin stream on first access (~7 ms); most commands never read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    clock: systemClock,
    random: cryptoRandom,
  };
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
    reportError(deps, failure, error, argv.includes('--json'));
    return exitCodeFor(failure.code);
  } finally {
    cli.close();
  }
}

/** `peridio` followed by the (sub)commands `argv` names, for pointing at the right --help. */
function commandPath(program: Command, argv: readonly string[]): string {
  const names = ['peridio'];
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
  return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' || (error.code === 'commander.executeSubCommandAsync' && error.exitCode === 0);
}

/** Maps anything thrown to a VericodeError; what is not recognized is a bug (`internal`). */
function toVericodeError(error: unknown, command: string): VericodeError {
  if (error instanceof VericodeError) return error;
  if (error instanceof CommanderError) {
    return new UsageError(error.message.replace(/^error: /, ''), `see ${command} --help`);
  }
  const sqliteCode = (error as { code?: unknown } | null)?.code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_')) return storeFailure(sqliteCode, error as Error);
  return new VericodeError('internal', `unexpected failure: ${(error as Error | undefined)?.message ?? String(error)}`, 'this is a bug: please report it with the output of VERICODE_DEBUG=1 and the command you ran');
}

function storeFailure(code: string, error: Error): StoreError {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('store_locked', 'the store is busy: another process kept it locked for more than 5 seconds', 'try again when the other process has finished');
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError('store_corrupt', `the store is damaged: ${error.message.toLowerCase()}`, 'restore it from a backup (peridio store backup)');
  }
  return new StoreError('store_locked', `cannot write the store: ${error.message.toLowerCase()}`, 'check free disk space and the permissions of the store and its directory');
}

function reportError(deps: CliDeps, failure: VericodeError, original: unknown, json: boolean): void {
  if (json) {
    deps.stderr.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message, hint: failure.hint ?? null } })}\n`);
  } else {
    deps.stderr.write(`peridio: error: ${failure.message}\n`);
    if (failure.hint) deps.stderr.write(`peridio: hint: ${failure.hint}\n`);
  }
  if (deps.env.VERICODE_DEBUG === '1' && original instanceof Error && original.stack) {
    deps.stderr.write(`${original.stack}\n`);
  }
}

