/**
 * Scripts written for the Peridio CLI and for `az iot hub certificate`, run unchanged
 * (but for the command's name) against the built CLI with the real openssl: the
 * scripts in test/e2e/scripts/ are the test data, and each must end with status 0.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT } from '../helpers/bin.js';
import { cliHome } from '../helpers/run-cli.js';

/** Runs `script` with bash in a fresh home, with `peridio` on PATH running the built bin. */
function runScript(script: string): { stdout: string; stderr: string; status: number | null } {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run npm run build before the end-to-end tests');
  const { home, env } = cliHome();
  const bin = join(home, 'bin');
  const work = join(home, 'work');
  mkdirSync(bin);
  mkdirSync(work);
  writeFileSync(join(bin, 'peridio'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, 'peridio'), 0o755);
  const result = spawnSync('bash', ['-c', script], {
    cwd: work,
    encoding: 'utf8',
    env: { ...env, CI: 'true', PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

const scriptPath = (name: string): string => join(REPO_ROOT, 'test', 'e2e', 'scripts', name);

describe('scripts of other tools, run unchanged', { timeout: 120_000 }, () => {
  it('an az-style script of the Azure flow: create, generate-verification-code, verify, passing etags', () => {
    const run = runScript(`bash -x ${scriptPath('azure-flow.sh')}`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('azure flow: ok\n');
  });

  it("a Peridio CLI user's habitual commands", () => {
    const run = runScript(`bash -x ${scriptPath('peridio-cli-habits.sh')}`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        [
          'certificate\tcerts/dev-root-certificate\\.pem',
          'private key\tcerts/dev-root-private-key\\.pem',
          'certificate\tcerts/[A-Za-z0-9]{32}-certificate\\.pem',
          'private key\tcerts/[A-Za-z0-9]{32}-private-key\\.pem',
          'peridio cli habits: ok',
          '',
        ]
          .join('\n')
          .replace(/^/, '^')
          .concat('$'),
      ),
    );
  });

  it('x509 create --out - pipes the certificate into openssl, as openssl and step do', () => {
    const run = runScript(
      [
        'set -euo pipefail',
        'peridio x509 create --ca --common-name Pipe-Root --key-out ca.key --out ca.pem 2>/dev/null >/dev/null',
        'peridio x509 create --common-name Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z --signer-cert ca.pem --signer-key ca.key --out - | openssl x509 -noout -subject -issuer',
      ].join('\n'),
    );
    expect(run).toEqual({ stdout: 'subject=CN = Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\nissuer=CN = Pipe-Root\n', stderr: '', status: 0 });
  });
});
