/**
 * `peridio completion bash` is run as bash runs it: the script is sourced, COMP_WORDS
 * and COMP_CWORD are set as for a TAB after the words typed, and the completion
 * function's COMPREPLY is read back.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

let script = '';

beforeAll(() => {
  const run = runBin(['completion', 'bash']);
  expect(run.exitCode, run.stderr).toBe(0);
  script = run.stdout;
});

/** What bash offers for a TAB after `line` (the last word is the one being completed). */
function complete(line: string, cwd?: string): string[] {
  const words = line.split(' ');
  const dir = cwd ?? tempDir('vericode-completion-');
  const file = join(dir, 'peridio.bash');
  writeFileSync(file, script);
  const program = [
    `source ${JSON.stringify(file)}`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_peridio',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { cwd: dir, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').filter((w) => w !== '').sort();
}

describe('peridio completion bash, run by bash', () => {
  it('registers the function for both names', () => {
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', `source /dev/stdin <<'EOF'\n${script}EOF\ncomplete -p peridio vericode`], { encoding: 'utf8' });
    expect(result.stdout).toBe('complete -o default -F _peridio peridio\ncomplete -o default -F _peridio vericode\n');
  });

  it('completes the nouns, then the verbs under them, then the verbs under those', () => {
    expect(complete('peridio ca')).toEqual(['ca-certificates']);
    expect(complete('peridio co')).toEqual(['codes', 'completion']);
    expect(complete('peridio ca-certificates ver')).toEqual(['verification-codes', 'verify']);
    expect(complete('peridio ca-certificates verification-codes ')).toEqual(expect.arrayContaining(['create', 'get', 'list']));
    expect(complete('peridio verification-codes cr')).toEqual(['create']);
  });

  it('completes a command\'s own options and the global ones, through aliases', () => {
    expect(complete('peridio ca-certificates create --cert')).toEqual(['--certificate-path']);
    expect(complete('peridio ca-certificates register --verif')).toEqual(['--verification-certificate-path', '--verified']);
    expect(complete('peridio codes short --jso')).toEqual(['--json']);
    expect(complete('peridio --')).toEqual(expect.arrayContaining(['--store', '--key-file', '--json', '--version', '--help']));
  });

  it('skips the value of an option that takes one, and offers files for it', () => {
    expect(complete('peridio --store x509 ca-certificates l')).toEqual(['list']);
    const dir = tempDir('vericode-completion-');
    writeFileSync(join(dir, 'ca.pem'), '');
    expect(complete('peridio ca-certificates create -c c', dir)).toEqual(['ca.pem']);
    expect(complete('peridio --json ca-certificates create -c ca.pem --na', dir)).toEqual(['--name']);
  });
});

describe('peridio completion', () => {
  it('zsh: the same function through zsh\'s bash completion layer', () => {
    const run = runBin(['completion', 'zsh']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`#compdef peridio vericode\nautoload -U +X bashcompinit && bashcompinit\n${script}`);
  });

  it('fish: a completion for every command and option of the tree', () => {
    const run = runBin(['completion', 'fish']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`complete -c peridio -c vericode -f -n '__peridio_at \\'ca-certificates\\'' -a 'verification-codes' -d`);
    expect(run.stdout).toContain(`complete -c peridio -c vericode -n '__peridio_at \\'ca-certificates create\\'' -l 'certificate-path' -r -F`);
  });

  it('an unknown shell is a usage error (exit 2)', () => {
    expect(runBin(['completion', 'tcsh'])).toEqual({
      stdout: '',
      stderr: 'peridio: error: unknown shell "tcsh": expected bash, zsh or fish\nperidio: hint: see peridio completion --help\n',
      exitCode: 2,
    });
  });
});
