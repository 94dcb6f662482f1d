/**
 * Runs the completion scripts of `peridio completion bash|zsh|fish` in the real shells,
 * for a TAB after the words typed, and returns the words each shell offers (sorted,
 * each once). A missing shell fails the test (spawn's ENOENT), never skips it: CI
 * installs bash, zsh and fish (.ci/run).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { tempDir } from '../../helpers/temp.js';

export interface Completion {
  /** Where the TAB runs: files offered for an option's value come from here. */
  cwd?: string;
}

function shell(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, TERM: 'dumb' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.error, `${command} must be installed (.ci/run installs it)`).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

const sortedWords = (lines: string[]) => [...new Set(lines.filter((line) => line !== ''))].sort();

/** bash: the script sourced, COMP_WORDS and COMP_CWORD set as for a TAB, COMPREPLY read back. */
export function bashCompletes(script: string, line: string, { cwd = tempDir('vericode-completion-') }: Completion = {}): string[] {
  const words = line.split(' ');
  const file = join(cwd, 'peridio.bash');
  writeFileSync(file, script);
  const program = [
    `source ${JSON.stringify(file)}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_peridio',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return sortedWords(shell('bash', ['--norc', '--noprofile', '-c', program], cwd).split('\n'));
}

/** fish's `complete -C LINE` after sourcing the script, as it prints it: `word<TAB>summary` lines. */
export function fishCompletionLines(script: string, line: string, { cwd = tempDir('vericode-completion-') }: Completion = {}): string[] {
  const file = join(cwd, 'peridio.fish');
  writeFileSync(file, script);
  return shell('fish', ['--no-config', '-c', `source ${fishQuote(file)}; complete -C ${fishQuote(line)}`], cwd)
    .split('\n')
    .filter((entry) => entry !== '');
}

/** fish: the words of `complete -C LINE`, without their summaries. */
export function fishCompletes(script: string, line: string, options: Completion = {}): string[] {
  return sortedWords(fishCompletionLines(script, line, options).map((entry) => entry.split('\t')[0] ?? ''));
}

/**
 * zsh: an interactive zsh on a pseudo-terminal (zsh/zpty) with compinit, the script
 * installed as `_peridio` in $fpath (`installed`) or sourced after compinit, and LINE
 * typed followed by a TAB. A compadd wrapper writes every match zsh adds to a file,
 * and the shell exits right after the completion (comppostfuncs), so the driver reads
 * the terminal to its end and waits for nothing else. (Nothing may be typed after the
 * TAB: zle does not complete while more input is pending.) A completion that never
 * ends is stopped by the spawn's timeout and fails the test.
 */
export function zshCompletes(
  script: string,
  line: string,
  { cwd = tempDir('vericode-completion-'), installed = true }: Completion & { installed?: boolean } = {},
): string[] {
  const functions = join(cwd, '.zfunctions');
  mkdirSync(functions, { recursive: true });
  writeFileSync(join(functions, '_peridio'), script);
  const out = join(cwd, '.completions');
  writeFileSync(out, '');
  const setup = join(cwd, '.setup.zsh');
  writeFileSync(
    setup,
    [
      "PROMPT=''",
      'bindkey -e',
      installed ? `fpath=(${zshQuote(functions)} $fpath)` : '',
      'autoload -Uz compinit && compinit -u -D',
      installed ? '' : `source ${zshQuote(join(functions, '_peridio'))}`,
      'compadd() {',
      // Calls that only ask for the matches (-O, -A, -D) are zsh's own bookkeeping.
      '  if (( $@[(I)-[OAD]] )); then builtin compadd "$@"; return; fi',
      '  local -a found',
      '  builtin compadd -O found "$@"',
      `  (( $#found )) && print -rl -- "\${found[@]}" >> ${zshQuote(out)}`,
      '  builtin compadd "$@"',
      '}',
      'comppostfuncs=(exit)',
      '',
    ].join('\n'),
  );
  const driver = [
    'zmodload zsh/zpty',
    'zpty shell zsh -f -i',
    `zpty -w shell ${zshQuote(`source ${zshQuote(setup)}`)}`,
    `zpty -w -n shell ${zshQuote(line)}$'\\t'`,
    'while zpty -r shell chunk; do :; done',
    'zpty -d shell',
  ].join('\n');
  shell('zsh', ['-f', '-c', driver], cwd);
  return sortedWords(readFileSync(out, 'utf8').split('\n'));
}

function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function zshQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
