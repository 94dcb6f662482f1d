import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from '../helpers/run-cli.js';

describe('peridio ca-certificates verification-codes create', () => {
  it('prints the code alone with -q', async () => {
    const { env } = cliHome();
    const run = await runCli(['ca-certificates', 'verification-codes', 'create', '-q'], { env });
    expect(run).toEqual({ stdout: expect.stringMatching(/^[A-Za-z0-9]{32}\n$/), stderr: '', exitCode: 0 });
  });
});
