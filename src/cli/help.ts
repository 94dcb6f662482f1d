/**
 * Every command's help has a description, examples and the exit codes it can give,
 * in one shape, as smallstep's commands do.
 */
import type { Command } from 'commander';

/** What a command's help says beyond its flags. */
export interface CommandDoc {
  summary: string;
  description?: string;
  examples: readonly string[];
  /** Exit codes besides 0; usage (2) and store (7) are listed for every command. */
  exitCodes?: ReadonlyArray<readonly [number, string]>;
}

const COMMON_EXIT_CODES: ReadonlyArray<readonly [number, string]> = [
  [0, 'success'],
  [1, 'unexpected failure (please report it)'],
  [2, 'bad flag, argument or input'],
  [7, 'store locked (wrong or missing key) or unreadable'],
];

/** Applies `doc` to `command`: summary, description, and an examples/exit codes epilogue. */
export function documented(command: Command, doc: CommandDoc): Command {
  command.summary(doc.summary).description(doc.description ?? doc.summary);
  const exitCodes = [...COMMON_EXIT_CODES, ...(doc.exitCodes ?? [])].sort((a, b) => a[0] - b[0]);
  // Rendered when help is shown, so the examples name the command as it was invoked.
  command.addHelpText('after', ({ command: shown }) =>
    [
      '',
      'Examples:',
      ...doc.examples.map((e) => `  $ ${e.replace(/\bperidio (?=[a-z])/g, `${rootName(shown)} `)}`),
      '',
      'Exit codes:',
      ...exitCodes.map(([code, meaning]) => `  ${code}  ${meaning}`),
    ].join('\n'),
  );
  return command;
}

/** The program's name (`peridio`, `vericode`), as buildProgram set it from argv. */
function rootName(command: Command): string {
  let root = command;
  while (root.parent) root = root.parent;
  return root.name();
}
