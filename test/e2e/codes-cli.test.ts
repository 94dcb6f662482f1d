/**
 * The built command in a real process (run `npm run build` first): the code travels
 * through a real pipe on stdin, and exit codes reach the shell.
 */
import { describe, expect, it } from 'vitest';
import { runBin, type BinRun } from '../helpers/bin.js';
import { cliHome } from '../helpers/run-cli.js';

function peridio(env: Record<string, string>, args: readonly string[], input = ''): BinRun {
  return runBin(args, { env, input });
}

describe('peridio codes, as a process', () => {
  it('issues, redeems through a pipe once, then refuses the spent code', () => {
    const { env } = cliHome();
    peridio(env, ['init']);
    const pair = ['--user', 'dave', '--purpose', 'account_recovery'];
    const issued = peridio(env, ['codes', 'phrase', ...pair, '--authorize', '-q']);
    expect(issued).toMatchObject({ exitCode: 0, stderr: '' });
    const phrase = issued.stdout.trim();
    expect(phrase.split(' ')).toHaveLength(12);
    expect(peridio(env, ['codes', 'redeem', ...pair, '-q'], `  ${phrase.toUpperCase()}\n`)).toEqual({ stdout: 'consumed\n', stderr: '', exitCode: 0 });
    expect(peridio(env, ['codes', 'redeem', ...pair], `${phrase}\n`)).toMatchObject({
      stdout: '',
      exitCode: 3,
      stderr: expect.stringContaining('peridio: error: the code is not valid for this user and purpose\n'),
    });
    const long = peridio(env, ['codes', 'long', ...pair, '--authorize', '-q']).stdout.trim();
    expect(peridio(env, ['codes', 'redeem', ...pair, long])).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(/^peridio: error: the code is never taken from the command line/),
    });
    expect(peridio(env, ['codes', 'redeem', ...pair, long]).stderr).not.toContain(long);
    expect(peridio(env, ['codes', 'get', peridio(env, ['codes', 'list', '--status', 'active', '-q']).stdout.trim(), '-q']).stdout).toBe('active\n');
    expect(peridio(env, ['codes', 'redeem', ...pair])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('no code given: stdin is empty') });
  });
});
