// Several processes issuing codes against one store at the same moment: every one
// succeeds (busy_timeout + BEGIN IMMEDIATE), no code or audit event is lost.
import { describe, expect, it } from 'vitest';
import { runBin, runBinAsync } from '../helpers/bin.js';
import { cliHome } from '../helpers/run-cli.js';

describe('concurrent processes', () => {
  it('two waves of 8 processes creating codes at once all succeed, and nothing is lost', async () => {
    const { env } = cliHome();
    expect(runBin(['init'], { env }).exitCode).toBe(0);
    const codes: string[] = [];
    for (let wave = 0; wave < 2; wave += 1) {
      const runs = await Promise.all(Array.from({ length: 8 }, () => runBinAsync(['verification-codes', 'create', '-q'], { env })));
      for (const run of runs) {
        expect(run).toEqual({ stdout: expect.stringMatching(/^[A-Za-z0-9]{32}\n$/), stderr: '', exitCode: 0 });
        codes.push(run.stdout.trim());
      }
    }
    expect(new Set(codes).size).toBe(16);
    expect(runBin(['verification-codes', 'list', '-q', '--status', 'active'], { env }).stdout.trim().split('\n')).toHaveLength(16);
    expect(runBin(['audit', 'verify', '--json'], { env }).stdout).toContain('"events": 17');
  });
});
