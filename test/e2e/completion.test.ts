/**
 * `peridio completion bash|zsh|fish`, each script run by its own shell as it runs on a
 * TAB (./support/shell-completion.ts): the same questions to each, then what is
 * particular to each shell.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';
import { bashCompletes, type Completion, fishCompletes, fishCompletionLines, zshCompletes } from './support/shell-completion.js';

const scripts = { bash: '', zsh: '', fish: '' };

beforeAll(() => {
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const run = runBin(['completion', shell]);
    expect(run.exitCode, run.stderr).toBe(0);
    scripts[shell] = run.stdout;
  }
});

/** Each zsh run starts an interactive zsh whose compinit reads every function in $fpath (about 2 s on a loaded machine). */
const ZSH_TIMEOUT = 120_000;

const shells: Array<[string, (line: string, options?: Completion) => string[]]> = [
  ['bash', (line, options) => bashCompletes(scripts.bash, line, options)],
  ['zsh (installed in $fpath)', (line, options) => zshCompletes(scripts.zsh, line, options)],
  ['fish', (line, options) => fishCompletes(scripts.fish, line, options)],
];

describe.each(shells)(
  'peridio completion, run by %s',
  (_name, complete) => {
    it('completes the nouns, then the verbs under them, then the verbs under those, through aliases', () => {
      expect(complete('peridio ca')).toEqual(['ca-certificates']);
      expect(complete('peridio co')).toEqual(['codes', 'completion']);
      expect(complete('vericode ca-certificates ver')).toEqual(['verification-codes', 'verify']);
      expect(complete('peridio ca-certificates verification-codes ')).toEqual(expect.arrayContaining(['create', 'get', 'list']));
      expect(complete('peridio verification-codes cr')).toEqual(['create']);
      expect(complete('peridio ca-certificates register --verif')).toEqual(['--verification-certificate-path', '--verified']);
    });

    it("completes a command's own options and the global ones, long and short", () => {
      expect(complete('peridio ca-certificates create --cert')).toEqual(['--certificate-path']);
      expect(complete('peridio codes short --jso')).toEqual(['--json']);
      expect(complete('peridio --')).toEqual(expect.arrayContaining(['--store', '--key-file', '--json', '--version', '--help']));
      expect(complete('peridio codes short -')).toEqual(expect.arrayContaining(['-V', '-h', '-q', '-y', '--ttl', '--user', '--store']));
    });

    it('skips the value of an option that takes one, and offers files for it', () => {
      expect(complete('peridio --store x509 ca-certificates l')).toEqual(['list']);
      const dir = tempDir('vericode-completion-');
      writeFileSync(join(dir, 'ca.pem'), '');
      expect(complete('peridio ca-certificates create -c c', { cwd: dir })).toEqual(['ca.pem']);
      expect(complete('peridio ca-certificates create --certificate-path c', { cwd: dir })).toEqual(['ca.pem']);
      expect(complete('peridio --json ca-certificates create -c ca.pem --na', { cwd: dir })).toEqual(['--name']);
    });
  },
  ZSH_TIMEOUT,
);

describe('peridio completion bash', () => {
  it('registers the function for both names', () => {
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', `source /dev/stdin <<'EOF'\n${scripts.bash}EOF\ncomplete -p peridio vericode`], {
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('complete -o default -F _peridio peridio\ncomplete -o default -F _peridio vericode\n');
  });
});

describe('peridio completion zsh', { timeout: ZSH_TIMEOUT }, () => {
  it('is a native completion function for both names', () => {
    expect(scripts.zsh.startsWith('#compdef peridio vericode\n')).toBe(true);
    expect(scripts.zsh).not.toContain('bashcompinit');
  });

  it('works sourced after compinit as well as installed in $fpath', () => {
    expect(zshCompletes(scripts.zsh, 'peridio ca-certificates verification-codes ', { installed: false })).toEqual(['create', 'get', 'list']);
    expect(zshCompletes(scripts.zsh, 'vericode x509 create --k', { installed: false })).toEqual(['--key-file', '--key-out', '--key-type']);
  });

  it('offers files after --option=', () => {
    const dir = tempDir('vericode-completion-');
    writeFileSync(join(dir, 'ca.pem'), '');
    expect(zshCompletes(scripts.zsh, 'peridio ca-certificates create --certificate-path=c', { cwd: dir })).toEqual(['ca.pem']);
  });
});

describe('peridio completion fish', () => {
  it("shows each command's and option's summary", () => {
    expect(fishCompletionLines(scripts.fish, 'peridio ca-certificates verification-codes c')).toEqual([
      'create\tissue a single-use verification code for CA registration',
    ]);
    expect(fishCompletionLines(scripts.fish, 'peridio codes short --tt')).toEqual(['--ttl\thow long the code stays valid: 1m to 10m (default 3m)']);
  });
});

describe('peridio completion', () => {
  it('an unknown shell is a usage error (exit 2)', () => {
    expect(runBin(['completion', 'tcsh'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: unknown shell "tcsh": expected bash, zsh or fish\nperidio: hint: see peridio completion --help\n',
      exitCode: 2,
    });
  });
});
