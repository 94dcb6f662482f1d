import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin, runBinAsync } from '../helpers/bin.js';
import { tempDir } from '../helpers/temp.js';

describe('the built peridio command in a fresh HOME', () => {
  it('creates the store on first use, issues codes, and keeps them across runs', () => {
    const home = tempDir('vericode-e2e-');
    const env = { HOME: home };
    const first = runBin(['ca-certificates', 'verification-codes', 'create'], { env });
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(
      /^code\t[A-Za-z0-9]{32}\nid\tprn:1:[0-9a-f-]{36}:ca_verification_code:[0-9a-f-]{36}\norganization\tprn:1:[0-9a-f-]{36}\nexpires at\t\S+Z\n$/,
    );
    const keyFile = join(home, '.config', 'vericode', 'store.key');
    const storePath = join(home, '.local', 'share', 'vericode', 'store.db');
    expect(first.stderr.split('\n')[0]).toBe(`peridio: created a new store at ${storePath}, encrypted with a new key in ${keyFile}`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(storePath).mode & 0o777).toBe(0o600);

    const json = runBin(['verification-codes', 'create', '--json', '--ttl', '10m'], { env });
    expect(json.stderr).toBe('');
    const issued = JSON.parse(json.stdout) as { id: string; code: string; expires_at: string };
    const got = JSON.parse(runBin(['verification-codes', 'get', issued.id, '--json'], { env }).stdout) as Record<string, unknown>;
    expect(got).toMatchObject({ id: issued.id, status: 'active', expires_at: issued.expires_at });
    expect(JSON.stringify(got)).not.toContain(issued.code);

    const list = runBin(['verification-codes', 'list', '-q'], { env });
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
    expect(runBin(['audit', 'verify', '-q'], { env })).toEqual({ stdout: expect.stringMatching(/^[0-9a-f]{64}\n$/), stderr: '', exitCode: 0 });
    expect(readFileSync(storePath).includes(Buffer.from(issued.code))).toBe(false);
  });

  it('two first runs at once on a fresh HOME both succeed, with one key and one store', async () => {
    // Before the fix, the run that lost the race to link the key file failed with "cannot
    // create key file …: it already exists" (4 pairs in 15 of the release executable).
    // Ten pairs, each in its own fresh HOME.
    for (let pair = 0; pair < 10; pair += 1) {
      const env = { HOME: tempDir('vericode-e2e-') };
      const runs = await Promise.all([0, 1].map(() => runBinAsync(['ca-certificates', 'verification-codes', 'create', '-q'], { env })));
      for (const run of runs) {
        expect(run.exitCode, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^[A-Za-z0-9]{32}\n$/);
      }
      const list = runBin(['verification-codes', 'list', '-q'], { env });
      expect(list.stdout.trim().split('\n')).toHaveLength(2);
    }
  });

  it('exits with the documented codes', () => {
    const home = tempDir('vericode-e2e-');
    const env = { HOME: home };
    expect(runBin(['verification-codes', 'create', '--ttl', 'soon'], { env }).exitCode).toBe(2);
    expect(runBin(['verification-codes', 'get', 'nope'], { env }).exitCode).toBe(4);
    const wrongKey = join(home, 'wrong.key');
    writeFileSync(wrongKey, `${'00'.repeat(32)}\n`, { mode: 0o600 });
    expect(runBin(['verification-codes', 'list'], { env: { ...env, VERICODE_KEY_FILE: wrongKey } }).exitCode).toBe(7);
    expect(runBin(['verification-codes', 'list'], { env: { ...env, VERICODE_KEY_FILE: '/dev/null' } }).exitCode).toBe(2);
    expect(runBin(['-V'], { env })).toEqual({ stdout: 'vericode 0.1.0\n', stderr: '', exitCode: 0 });
  });

  it('never prompts when stdin is not a TTY: a passphrase store without a key source fails at once', () => {
    const home = tempDir('vericode-e2e-');
    runBin(['init', '--passphrase'], { env: { HOME: home, VERICODE_PASSPHRASE: 'long enough passphrase' } });
    const run = runBin(['verification-codes', 'list'], { env: { HOME: home } });
    expect(run.exitCode).toBe(7);
    expect(run.stderr).toContain('peridio: error: no passphrase or key for ');
  });
});
