/**
 * Progress of long operations (purge, rekey, audit verify) on stderr: one line,
 * rewritten in place, shown only when stderr is a TTY and neither --json nor -q is
 * set, and erased when the operation ends so the result is all that remains.
 */
import type { Cli } from './cli.js';

/** A progress line; every method does nothing when progress is not shown. */
export interface Progress {
  /** Replaces the line with `text`, after the program's name. */
  update(text: string): void;
  /** Erases the line (call when the operation ends, also on failure). */
  done(): void;
}

/** The progress line for this run of the CLI. */
export function progressLine(cli: Cli): Progress {
  const shown = cli.deps.stderr.isTTY === true && !cli.options.quiet && !cli.options.json;
  let written = false;
  return {
    update(text) {
      if (!shown) return;
      cli.output.progress(`\r\x1b[2K${cli.programName}: ${text}`);
      written = true;
    },
    done() {
      if (written) cli.output.progress('\r\x1b[2K');
      written = false;
    },
  };
}

/** Runs `work` with a progress line that is erased whether `work` succeeds or throws. */
export async function withProgress<T>(cli: Cli, work: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = progressLine(cli);
  try {
    return await work(progress);
  } finally {
    progress.done();
  }
}
