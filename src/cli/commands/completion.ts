/**
 * `peridio completion bash|zsh|fish`: a completion script generated from the command
 * tree commander holds (every noun is loaded for this command), so it never drifts
 * from the commands: no hand-kept lists. The scripts themselves are written by
 * ../completion-scripts.ts from the flattened tree made here.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { COMMAND } from '../output.js';
import type { Cli } from '../cli.js';
import { type CompletionNode, type CompletionOption, completionScript, SHELLS, type Shell } from '../completion-scripts.js';
import { documented } from '../help.js';

/** `peridio completion`: options, action and help. */
export function configureCompletion(command: Command, cli: Cli): void {
  documented(command, {
    summary: 'print a shell completion script: bash, zsh or fish',
    description: 'Print a completion script for bash, zsh or fish, made from the commands of this version.',
    examples: [
      'peridio completion bash > ~/.local/share/bash-completion/completions/peridio',
      'peridio completion zsh > "${fpath[1]}/_peridio"',
      'peridio completion fish > ~/.config/fish/completions/peridio.fish',
    ],
  });
  command.argument('<shell>', 'bash, zsh or fish').action((shell: string) => {
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`unknown shell ${JSON.stringify(shell)}: expected bash, zsh or fish`, `see ${COMMAND} completion --help`);
    }
    const root = command.parent!;
    cli.deps.stdout.write(completionScript(shell as Shell, commandTree(root)));
  });
}

/** The help option commander adds to every command (not in `command.options`). */
const HELP: CompletionOption = { names: ['--help', '-h'], takesValue: false, description: 'show help' };

/** The tree under `root`, flattened: one node per command, the root first. */
function commandTree(root: Command): CompletionNode[] {
  const rootOptions = optionsOf(root);
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string): void => {
    const visible = command.commands.filter((sub) => !(sub as unknown as { _hidden?: boolean })._hidden && sub.name() !== 'help');
    const childPath = (sub: Command) => (path ? `${path} ${sub.name()}` : sub.name());
    const own = command === root ? [] : optionsOf(command);
    nodes.push({
      path,
      children: visible.flatMap((sub) =>
        [sub.name(), ...sub.aliases()].map((word) => ({ word, path: childPath(sub), summary: sub.summary() || sub.description() })),
      ),
      // The root's options are global: commander accepts them after any command word.
      options: uniqueByName([...own, ...rootOptions, HELP]),
    });
    for (const sub of visible) visit(sub, childPath(sub));
  };
  visit(root, '');
  return nodes;
}

function optionsOf(command: Command): CompletionOption[] {
  return command.options
    .filter((option) => !(option as unknown as { hidden?: boolean }).hidden)
    .map((option) => ({
      names: [option.long, option.short].filter((flag): flag is string => flag !== undefined),
      takesValue: option.required || option.optional,
      description: option.description,
    }));
}

function uniqueByName(options: readonly CompletionOption[]): CompletionOption[] {
  const seen = new Set<string>();
  return options.filter((option) => {
    if (option.names.some((name) => seen.has(name))) return false;
    for (const name of option.names) seen.add(name);
    return true;
  });
}
